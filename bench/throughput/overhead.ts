// Part "overhead": one request at a time, /convert (multipart, wait=true) + download of png → jpg
// for a 64x48 and a 1000x1000 photo-like PNG, against the same conversion by sharp in this
// process, sequentially. Overhead = difference of the medians. Targets: < 15 ms and < 25 ms.
import { machine, median, percentile, printResult, round, since, startBenchServer, WITHOUT_POOLS } from '../lib.js';
import { photoPng } from './fixtures.js';
import { bareJpeg } from './images.js';
import { MAGIC, convertAndDownload, convertForm } from './load.js';

const WARMUP = 20;
const N = 100;
const SIZES = [
  { name: '64x48', width: 64, height: 48, targetMs: 15 },
  { name: '1000x1000', width: 1000, height: 1000, targetMs: 25 },
] as const;

async function sequential(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(since(start));
  }
  return times;
}

interface SizeResult {
  readonly name: string;
  readonly bytes: number;
  readonly apiMs: readonly number[];
  readonly sharpMs: readonly number[];
  readonly targetMs: number;
}

export async function overheadPart(env: Record<string, string>): Promise<void> {
  const pngs = await Promise.all(SIZES.map((s) => photoPng(s.width, s.height)));
  const server = await startBenchServer({ ...WITHOUT_POOLS, ...env });
  const results: SizeResult[] = [];
  try {
    for (const [i, size] of SIZES.entries()) {
      const png = pngs[i]!;
      const form = convertForm(png, 'photo.png', 'png', 'jpg');
      const api = () => convertAndDownload(server.baseUrl, form, MAGIC.jpg);
      const bare = bareJpeg(png);
      await sequential(WARMUP, api);
      const apiMs = await sequential(N, api);
      await sequential(WARMUP, bare);
      const sharpMs = await sequential(N, bare);
      results.push({ name: size.name, bytes: png.length, apiMs, sharpMs, targetMs: size.targetMs });
    }
  } finally {
    await server.stop();
  }
  console.log(`throughput overhead on ${machine()}`);
  console.log(`  png → jpg one request at a time, N = ${N} after ${WARMUP} warm-ups; server env ${JSON.stringify(env)}`);
  const summary: Record<string, unknown> = {};
  for (const r of results) {
    const overhead = median(r.apiMs) - median(r.sharpMs);
    const met = overhead < r.targetMs;
    console.log(`  ${r.name} (${r.bytes} bytes): /convert + download median ${median(r.apiMs).toFixed(2)} ms (p90 ${percentile(r.apiMs, 90).toFixed(2)}), sharp median ${median(r.sharpMs).toFixed(2)} ms (p90 ${percentile(r.sharpMs, 90).toFixed(2)})`);
    console.log(`    overhead ${overhead.toFixed(2)} ms (target < ${r.targetMs} ms: ${met ? 'met' : 'NOT met'})`);
    summary[r.name] = { apiMedianMs: round(median(r.apiMs)), apiP90Ms: round(percentile(r.apiMs, 90)), sharpMedianMs: round(median(r.sharpMs)), overheadMs: round(overhead), targetMs: r.targetMs, met };
  }
  printResult({ bench: 'throughput-overhead', n: N, env, ...summary, met: results.every((r) => median(r.apiMs) - median(r.sharpMs) < r.targetMs) });
}
