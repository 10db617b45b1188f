// The resident memory of a long-lived tool, read from /proc. The pid a pool holds is the
// sandbox's wrapper (setpriv → prlimit → bwrap); the tool itself (soffice, chromium and its
// helpers) runs among its descendants, inside a pid namespace under bubblewrap, so the whole
// tree is walked through the kernel's children lists (host pids, as the worker sees them).
import { readdir, readFile } from 'node:fs/promises';

/** Bytes of VmRSS summed over the processes of the trees rooted at `pids`; 0 for a process gone. */
export async function treeRssBytes(pids: readonly number[]): Promise<number> {
  const seen = new Set<number>();
  const queue = [...pids];
  let total = 0;
  for (let pid = queue.pop(); pid !== undefined; pid = queue.pop()) {
    if (seen.has(pid)) continue;
    seen.add(pid);
    const [rss, children] = await Promise.all([residentBytes(pid), childrenOf(pid)]);
    total += rss;
    queue.push(...children);
  }
  return total;
}

async function residentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kib = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  return kib === undefined ? 0 : Number(kib) * 1024;
}

/**
 * Every thread has its own list: a child is listed under the thread that forked it (Chromium
 * starts its helpers from a launcher thread, not its main one).
 */
async function childrenOf(pid: number): Promise<number[]> {
  const threads = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  const lists = await Promise.all(threads.map((tid) => readFile(`/proc/${pid}/task/${tid}/children`, 'utf8').catch(() => '')));
  return lists.flatMap((list) => list.split(/\s+/).filter((word) => word !== '').map(Number));
}
