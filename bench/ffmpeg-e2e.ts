// The audio/video engine end to end: a 10 s 720p clip to 480p H.264 through the API (upload by
// PUT, wait, download) against the same ffmpeg command run directly, in the same run.
// Target: ratio (API / bare ffmpeg) at most 1.05.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { resolvePlan } from '../src/core/catalog/resolve.js';
import { buildConvertArgs } from '../workers/converters/ffmpeg/command.js';
import { BENCH_KEY, abs, json, machine, median, printResult, request, round, runBench, since, startBenchServer, WITHOUT_POOLS } from './lib.js';

const RUNS = 5;
const OPTIONS = { video_resolution: 'x480', video_codec: 'h264' };

async function makeClip(file: string): Promise<void> {
  await promisify(execFile)('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc2=duration=10:size=1280x720:rate=30',
    '-f', 'lavfi', '-i', 'sine=frequency=440:duration=10:sample_rate=48000',
    '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', file,
  ]);
}

/** The exact command the server runs for this conversion (the same pure builder). */
function serverArgs(input: string, output: string): string[] {
  const plan = resolvePlan({ mode: 'convert', inputformat: 'mp4', outputformat: 'mp4', converteroptions: OPTIONS });
  if (plan.mode !== 'convert' || plan.engine !== 'ffmpeg') throw new Error('unexpected plan');
  return buildConvertArgs({ path: input, format: 'mp4' }, output, 'mp4', plan.options);
}

async function bareFfmpeg(input: string, output: string): Promise<number> {
  const start = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn('ffmpeg', serverArgs(input, output), { stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}`))));
  });
  return since(start);
}

async function apiRun(baseUrl: string, clip: Buffer): Promise<number> {
  const start = performance.now();
  const created = await json<{ url: string }>('POST', `${baseUrl}/process`, { apikey: BENCH_KEY, inputformat: 'mp4', outputformat: 'mp4' });
  const started = await json<{ upload: { url: string } }>('POST', abs(created.url), { input: 'upload', outputformat: 'mp4', converteroptions: OPTIONS });
  const put = await request('PUT', `${abs(started.upload.url)}/clip.mp4`, { body: clip });
  if (put.status !== 200) throw new Error(`upload answered ${put.status}`);
  const status = await json<{ step: string; output: { url: string } }>('GET', `${abs(created.url)}?wait=true`);
  if (status.step !== 'finished') throw new Error(`conversion ended in ${status.step}: ${JSON.stringify(status)}`);
  const file = await request('GET', abs(status.output.url));
  if (file.status !== 200 || file.body.length < 1000) throw new Error(`download answered ${file.status}`);
  return since(start);
}

await runBench('ffmpeg-e2e', 15 * 60_000, async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'oc-bench-ffmpeg-'));
  try {
    const input = path.join(dir, 'clip.mp4');
    await makeClip(input);
    const clip = await readFile(input);
    const server = await startBenchServer({ ...WITHOUT_POOLS, WORKER_CONCURRENCY: '1' });
    await apiRun(server.baseUrl, clip); // warm-up: first job, JIT, page cache
    await bareFfmpeg(input, path.join(dir, 'warm.mp4'));
    const apiTimes: number[] = [];
    const bareTimes: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      // Alternate, so drift of the machine's load hits both sides alike.
      bareTimes.push(await bareFfmpeg(input, path.join(dir, `bare-${i}.mp4`)));
      apiTimes.push(await apiRun(server.baseUrl, clip));
    }
    await server.stop();
    const api = median(apiTimes);
    const bare = median(bareTimes);
    const ratio = api / bare;
    console.log(`ffmpeg-e2e on ${machine()}`);
    console.log(`  10 s 1280x720 H.264/AAC clip (${(clip.length / 1048576).toFixed(1)} MiB) to 480p H.264, ${RUNS} runs each, alternating`);
    console.log(`  through the API (create, start, PUT, ?wait, download): median ${api.toFixed(0)} ms  [${apiTimes.map((t) => t.toFixed(0)).join(', ')}]`);
    console.log(`  bare ffmpeg, same arguments:                          median ${bare.toFixed(0)} ms  [${bareTimes.map((t) => t.toFixed(0)).join(', ')}]`);
    console.log(`  ratio ${ratio.toFixed(3)} (target <= 1.05: ${ratio <= 1.05 ? 'met' : 'NOT met'})`);
    printResult({ bench: 'ffmpeg-e2e', runs: RUNS, apiMedianMs: round(api, 0), bareMedianMs: round(bare, 0), ratio: round(ratio, 3), target: 1.05, met: ratio <= 1.05 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
