// The file-system work of a server process during one request, read with strace (-f, so libuv's
// thread pool and child processes count): per file under the bench's temp DATA_DIR, the bytes
// read and written, and the renames, hard links, copies and removals. Shows where the payload is
// copied. Needs strace and ptrace rights over the server (root, or ptrace_scope 0).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const SYSCALLS = ['openat', 'read', 'pread64', 'write', 'pwrite64', 'writev', 'pwritev', 'copy_file_range', 'sendfile', 'rename', 'renameat', 'renameat2', 'link', 'linkat', 'unlink', 'unlinkat'];

export interface FileEvent {
  readonly call: string;
  /** The path (normalized), or "from -> to" for renames and links. */
  readonly target: string;
  /** Bytes moved by read/write/copy calls; 0 for the others. */
  readonly bytes: number;
}

export interface FileTrace {
  stop(): Promise<FileEvent[]>;
}

export const straceAvailable = (): boolean => spawnSync('strace', ['-V']).status === 0;

/** Attaches strace to `pid` (all its threads); `stop` detaches and returns what touched `under`. */
export async function traceFiles(pid: number, under: RegExp): Promise<FileTrace> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'oc-strace-'));
  const out = path.join(dir, 'trace.txt');
  const child = spawn('strace', ['-f', '-qq', '-y', '-s', '0', '-e', `trace=${SYSCALLS.join(',')}`, '-o', out, '-p', String(pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
  await attached(child);
  return {
    async stop() {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      });
      const text = await readFile(out, 'utf8');
      await rm(dir, { recursive: true, force: true });
      return parseTrace(text, under);
    },
  };
}

/** strace needs a moment to stop every thread; 300 ms is ample for a Node process. */
async function attached(child: ChildProcess): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, 300);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`strace exited at once (code ${code}); is ptrace allowed?`));
    });
  });
}

// `1234 write(23</path/file>, ""..., 65536) = 65536`, possibly split into `<unfinished ...>` and
// `<... write resumed>) = 65536` when threads interleave.
const LINE = /^(\d+)\s+(.*)$/;
const CALL = /^(\w+)\((.*)\)\s+=\s+(-?\d+)(?:<([^>]*)>)?/;

export function parseTrace(text: string, under: RegExp): FileEvent[] {
  const pending = new Map<string, string>();
  const events: FileEvent[] = [];
  for (const raw of text.split('\n')) {
    const match = LINE.exec(raw);
    if (match === null) continue;
    const [, pid = '', rest = ''] = match;
    let line = rest;
    if (line.endsWith('<unfinished ...>')) {
      pending.set(pid, line.slice(0, -'<unfinished ...>'.length).trimEnd());
      continue;
    }
    const resumed = /^<\.\.\. \w+ resumed>(.*)$/.exec(line);
    if (resumed !== null) {
      line = (pending.get(pid) ?? '') + (resumed[1] ?? '');
      pending.delete(pid);
    }
    const event = toEvent(line, under);
    if (event !== undefined) events.push(event);
  }
  return events;
}

function toEvent(line: string, under: RegExp): FileEvent | undefined {
  const call = CALL.exec(line);
  if (call === null) return undefined;
  const [, name = '', args = '', result = '', resultPath] = call;
  if (Number(result) < 0) return undefined;
  const paths = [...args.matchAll(/<([^<>]*)>|"([^"]+)"/g)].map((m) => m[1] ?? m[2] ?? '').filter((p) => under.test(p));
  if (name === 'openat') {
    const opened = resultPath ?? paths[0];
    if (opened === undefined || !under.test(opened)) return undefined;
    const mode = /O_WRONLY|O_RDWR/.test(args) ? (/O_CREAT/.test(args) ? 'create' : 'write') : 'read';
    return { call: `open(${mode})`, target: opened, bytes: 0 };
  }
  if (paths.length === 0) return undefined;
  const moves = ['read', 'pread64', 'write', 'pwrite64', 'writev', 'pwritev', 'copy_file_range', 'sendfile'].includes(name);
  const target = ['rename', 'renameat', 'renameat2', 'link', 'linkat'].includes(name) ? paths.join(' -> ') : (paths[0] ?? '');
  if (moves && Number(result) === 0) return undefined; // the end-of-file read
  return { call: name, target, bytes: moves ? Number(result) : 0 };
}

/** Replaces the random parts of paths (temp dir, ids, temp names) so runs compare. */
export function normalizePath(file: string, root: RegExp, ids: ReadonlyMap<string, string>): string {
  let out = file.replace(new RegExp(root.source, 'g'), '$DATA/');
  for (const [value, name] of ids) out = out.split(value).join(name);
  return out
    .replace(/\.partial-[0-9a-f]{16}/g, '.partial-<r>')
    .replace(/job-[A-Za-z0-9]{6}/g, 'job-<r>')
    .replace(/incoming\/[0-9a-f]{24}/g, 'incoming/<r>');
}

/** Per file and call: the number of calls and the bytes they moved, in first-seen order. */
export function summarize(events: readonly FileEvent[]): Array<{ target: string; call: string; calls: number; bytes: number }> {
  const rows = new Map<string, { target: string; call: string; calls: number; bytes: number }>();
  for (const event of events) {
    const key = `${event.call} ${event.target}`;
    const row = rows.get(key) ?? { target: event.target, call: event.call, calls: 0, bytes: 0 };
    row.calls += 1;
    row.bytes += event.bytes;
    rows.set(key, row);
  }
  return [...rows.values()];
}
