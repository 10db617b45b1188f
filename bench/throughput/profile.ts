// Part "profile": the 16-client image load again with the server under `node --cpu-prof`;
// stopped with SIGTERM so the profile is written, then summed over the load's window only (not
// the start, whose TypeScript loading would dominate): self time by bucket, by file/package and
// by function, per thread that has samples in the window. Also the CPU seconds of the server,
// its redis-server, this client and the whole machine in the window.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT, machine, printResult, round, startBenchServer, WITHOUT_POOLS } from '../lib.js';
import { formatRows, summariseProfile, type CpuProfile, type ProfileSummary } from './cpu-profile.js';
import { photoPng } from './fixtures.js';
import { IMAGE_WINDOW_MS, describeLoad, serverImageLoad } from './images.js';
import { describeCpu, type LoadResult } from './load.js';

/** Node names its profiles CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main one. */
const threadOf = (file: string): string => file.split('.').at(-3) ?? '?';

export async function profilePart(env: Record<string, string>): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'oc-bench-prof-'));
  try {
    const png = await photoPng(1000, 1000);
    const server = await startBenchServer({ ...WITHOUT_POOLS, ...env }, { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
    let load: LoadResult;
    try {
      load = await serverImageLoad(server, png);
    } finally {
      await server.stop(); // SIGTERM: the graceful exit is what writes the profile
    }
    const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile')).sort();
    if (files.length === 0) throw new Error(`the server wrote no .cpuprofile into ${dir} (did it exit gracefully on SIGTERM?)`);
    const summaries: Array<{ thread: string; summary: ProfileSummary }> = [];
    for (const file of files) {
      const profile = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as CpuProfile;
      const summary = summariseProfile(profile, { root: ROOT, range: load.windowUs });
      if (summary.totalMs > 0) summaries.push({ thread: threadOf(file), summary });
    }
    report(load, summaries, env);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function report(load: LoadResult, summaries: ReadonlyArray<{ thread: string; summary: ProfileSummary }>, env: Record<string, string>): void {
  console.log(`throughput profile on ${machine()}`);
  console.log(`  the images load under node --cpu-prof (server env ${JSON.stringify(env)}): ${describeLoad(load)}`);
  console.log(`  CPU in the ${IMAGE_WINDOW_MS / 1000} s window: ${describeCpu(load, IMAGE_WINDOW_MS)}`);
  for (const { thread, summary } of summaries) {
    const idle = summary.buckets.find((b) => b.name.startsWith('idle'))?.share ?? 0;
    const head = `\n  server thread ${thread}${thread === '0' ? ' (main: API + worker event loop)' : ''}: ${summary.totalMs.toFixed(0)} ms of samples in the window`;
    if (idle > 0.99) {
      console.log(`${head}, ${(idle * 100).toFixed(1)} % idle (tsx's loader thread once the modules are loaded)`);
      continue;
    }
    console.log(head);
    console.log(formatRows('by bucket', summary.buckets));
    console.log(formatRows('by file / package (top 20)', summary.files));
    console.log(formatRows('by function (top 25)', summary.functions));
  }
  const main = summaries.find((s) => s.thread === '0')?.summary;
  const shares = (rows: ProfileSummary['buckets'] | undefined) => Object.fromEntries((rows ?? []).map((r) => [r.name, round(r.share * 100, 1)]));
  printResult({
    bench: 'throughput-profile',
    env,
    serverPerSecond: round(load.perSecond),
    cpuSeconds: Object.fromEntries(Object.entries(load.cpuSeconds).map(([k, v]) => [k, round(v)])),
    mainThreadBucketsPercent: shares(main?.buckets),
    mainThreadTopFunctions: (main?.functions ?? []).slice(0, 10).map((r) => ({ name: r.name, percent: round(r.share * 100, 1) })),
  });
}
