// `npm run bench`: runs every benchmark in turn, each in its own process (one server at a time,
// so they do not disturb each other), then prints the JSON result lines together. Exits non-zero
// when a benchmark fails or overruns its time budget; a missed target is reported, not a failure.
import { spawn } from 'node:child_process';
import { RESULT_PREFIX, ROOT } from './lib.js';

const BENCHES = [
  { file: 'bench/api-overhead.ts', limitMs: 11 * 60_000 },
  { file: 'bench/wait-wakeup.ts', limitMs: 6 * 60_000 },
  { file: 'bench/socket-latency.ts', limitMs: 6 * 60_000 },
  { file: 'bench/v2-vs-v1.ts', limitMs: 6 * 60_000 },
  { file: 'bench/upload-1gib.ts', limitMs: 11 * 60_000 },
  { file: 'bench/s3-output-1gib.ts', limitMs: 11 * 60_000 },
  { file: 'bench/sftp-export.ts', limitMs: 16 * 60_000 },
  { file: 'bench/azure-export.ts', limitMs: 21 * 60_000 },
  { file: 'bench/ffmpeg-e2e.ts', limitMs: 16 * 60_000 },
  { file: 'bench/documents.ts', limitMs: 21 * 60_000 },
  { file: 'bench/website.ts', limitMs: 9 * 60_000 },
  { file: 'bench/sandbox-overhead.ts', limitMs: 6 * 60_000 },
  { file: 'bench/png-overhead.ts', limitMs: 11 * 60_000 },
  { file: 'bench/redis-commands.ts', limitMs: 6 * 60_000 },
  { file: 'bench/throughput.ts', limitMs: 21 * 60_000 },
] as const;

function run(file: string, limitMs: number): Promise<{ ok: boolean; results: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const results: string[] = [];
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      results.push(...lines.filter((line) => line.startsWith(RESULT_PREFIX)).map((line) => line.slice(RESULT_PREFIX.length)));
    });
    // Each benchmark has its own watchdog; this one only catches a benchmark that ignores it.
    const timer = setTimeout(() => child.kill('SIGTERM'), limitMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ ok: code === 0 && results.length > 0, results });
    });
  });
}

const failed: string[] = [];
const all: string[] = [];
for (const bench of BENCHES) {
  console.log(`\n== ${bench.file}`);
  const { ok, results } = await run(bench.file, bench.limitMs);
  if (!ok) failed.push(bench.file);
  all.push(...results);
}
console.log('\n== results');
for (const line of all) console.log(line);
if (failed.length > 0) {
  console.error(`failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
