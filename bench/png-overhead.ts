// What the API adds to the conversion: one request at a time, POST /convert (multipart
// PNG -> JPG, wait=true) plus the download of the JPEG, against the project's sharp converting the
// same PNG file in-process the way the image engine does (metadata, then decode and encode to a
// file). For a 64x48 PNG and a 1000x1000 one. Targets (issue 17): overhead < 15 ms for 64x48,
// < 25 ms for 1 MP. Also the server process's CPU time per conversion (all its threads, from
// /proc), which other load on the machine disturbs less than the latency.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { cpuSeconds, machine, median, percentile, printResult, round, runBench, startBenchServer, timed } from './lib.js';
import { convertPngAndDownload, photoPng, smallPng } from './png-convert.js';

const WARMUP = 10;
const N = Number(process.env['BENCH_N'] ?? 100);
const CASES = [
  { name: '64x48', make: smallPng, targetMs: 15 },
  { name: '1MP', make: photoPng, targetMs: 25 },
] as const;

/** The engine's work for png -> jpg, from a file to a file, as workers/converters/image does it. */
async function bareSharp(input: string, output: string): Promise<void> {
  await sharp(input, { failOn: 'error' }).metadata();
  await sharp(input, { failOn: 'error' }).toFormat('jpeg').toFile(output);
}

await runBench('png-overhead', 10 * 60_000, async () => {
  const server = await startBenchServer();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'oc-png-overhead-'));
  sharp.cache(false); // as the image engine
  console.log(`png-overhead on ${machine()}`);
  const results: Record<string, unknown> = {};
  try {
    for (const c of CASES) {
      const png = await c.make();
      const input = path.join(dir, `${c.name}.png`);
      await writeFile(input, png);
      const api = () => convertPngAndDownload(server.baseUrl, png);
      const bare = () => bareSharp(input, path.join(dir, `${c.name}.jpg`));
      await timed(WARMUP, api);
      const cpuBefore = 1000 * (await cpuSeconds(server.pid));
      const apiTimes = await timed(N, api);
      const serverCpu = ((1000 * (await cpuSeconds(server.pid))) - cpuBefore) / N;
      await timed(WARMUP, bare);
      const sharpTimes = await timed(N, bare);
      const overhead = median(apiTimes) - median(sharpTimes);
      console.log(`  ${c.name} (${png.length} bytes), N = ${N} sequential after ${WARMUP} warm-ups:`);
      console.log(`    POST /convert + download: median ${median(apiTimes).toFixed(2)} ms, p90 ${percentile(apiTimes, 90).toFixed(2)} ms`);
      console.log(`    bare sharp (file to file): median ${median(sharpTimes).toFixed(2)} ms, p90 ${percentile(sharpTimes, 90).toFixed(2)} ms`);
      console.log(`    overhead ${overhead.toFixed(2)} ms (target < ${c.targetMs} ms: ${overhead < c.targetMs ? 'met' : 'NOT met'}); server CPU ${serverCpu.toFixed(2)} ms per conversion`);
      results[c.name] = { pngBytes: png.length, apiMedianMs: round(median(apiTimes)), apiP90Ms: round(percentile(apiTimes, 90)), sharpMedianMs: round(median(sharpTimes)), overheadMs: round(overhead), serverCpuMs: round(serverCpu), targetMs: c.targetMs, met: overhead < c.targetMs };
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  printResult({ bench: 'png-overhead', n: N, ...results });
});
