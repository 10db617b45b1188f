// Part "isolation": key B's small conversions while key A's long videos convert. First the idle
// latencies of 200 png → jpg (64x48) from key B with 4 clients; then key A starts 4 mp4 → webm
// (VP9) conversions of a 1280x720 test pattern, and while they run key B sends the same 200
// again. Target: busy median < 3x idle median. The videos still running at the end are cancelled.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { abs, json, machine, median, percentile, printResult, request, round, sleep, startBenchServer } from '../lib.js';
import { photoPng, testVideo } from './fixtures.js';
import { MAGIC, convertAndDownload, convertForm, fixedCount, postConvert, type ConvertAnswer } from './load.js';

export const KEY_A = 'bench-key-A-aaaaaaaa';
export const KEY_B = 'bench-key-B-bbbbbbbb';
const VIDEOS = 4;
// About 26 CPU-seconds each to VP9 on this VM: two at once keep both cores busy for ~30 s.
const VIDEO_SECONDS = 20;
const SMALL = 200;
const SMALL_CLIENTS = 4;
const WARMUP = 20;
const TARGET = 3;
const FINAL = ['finished', 'error'];

/** Polls the videos' steps every 250 ms; `running` counts those not finished or failed. */
function watchVideos(videos: readonly ConvertAnswer[]): { running(): number; steps(): string[]; stop(): Promise<void> } {
  const steps = videos.map((v) => v.step);
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await Promise.all(videos.map(async (v, i) => (steps[i] = (await json<ConvertAnswer>('GET', abs(v.url))).step)));
      await sleep(250);
    }
  })();
  return {
    running: () => steps.filter((s) => !FINAL.includes(s)).length,
    steps: () => [...steps],
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

async function waitUntil(what: string, timeoutMs: number, ok: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

export async function isolationPart(env: Record<string, string>): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'oc-bench-iso-'));
  try {
    const [png, video] = await Promise.all([photoPng(64, 48), testVideo(dir, VIDEO_SECONDS)]);
    const server = await startBenchServer({ API_KEYS: `${KEY_A},${KEY_B}`, ...env });
    try {
      const small = convertForm(png, 'small.png', 'png', 'jpg', { apikey: KEY_B });
      const oneSmall = () => convertAndDownload(server.baseUrl, small, MAGIC.jpg);
      await fixedCount(WARMUP, 1, oneSmall);
      const idle = await fixedCount(SMALL, SMALL_CLIENTS, oneSmall);

      const videoForm = convertForm(video, 'testsrc.mp4', 'mp4', 'webm', { apikey: KEY_A, wait: false });
      const videos = await Promise.all(Array.from({ length: VIDEOS }, () => postConvert(server.baseUrl, videoForm)));
      const watch = watchVideos(videos);
      const videoStart = performance.now();
      let busy: number[] = [];
      let runningAtEnd = 0;
      let phaseMs = 0;
      try {
        await waitUntil('a video conversion starting', 60_000, () => {
          if (watch.steps().includes('error')) throw new Error(`a video conversion failed: ${watch.steps().join(', ')}`);
          return watch.steps().includes('convert');
        });
        // Each latency with the number of videos still converting when it ended.
        const during: number[] = [];
        const phaseStart = performance.now();
        busy = await fixedCount(SMALL, SMALL_CLIENTS, async () => {
          await oneSmall();
          during.push(watch.running());
        });
        phaseMs = performance.now() - phaseStart;
        runningAtEnd = watch.running();
        report(idle, busy, during, runningAtEnd, phaseMs, (performance.now() - videoStart) / 1000, env, video.length);
      } finally {
        await watch.stop();
        await Promise.all(videos.map((v) => request('GET', `${abs(v.url)}/cancel`)));
      }
    } finally {
      await server.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function report(idle: number[], busy: number[], during: number[], runningAtEnd: number, phaseMs: number, videoS: number, env: Record<string, string>, videoBytes: number): void {
  const ratio = median(busy) / median(idle);
  const whileVideos = during.filter((n) => n > 0).length;
  console.log(`throughput isolation on ${machine()}`);
  console.log(`  key A: ${VIDEOS} x mp4 → webm (1280x720, ${VIDEO_SECONDS} s test pattern, ${(videoBytes / 1e6).toFixed(2)} MB); key B: ${SMALL} x png 64x48 → jpg, ${SMALL_CLIENTS} clients; server env ${JSON.stringify(env)}`);
  console.log(`  idle: median ${median(idle).toFixed(1)} ms, p90 ${percentile(idle, 90).toFixed(1)} ms`);
  console.log(`  while the videos convert: median ${median(busy).toFixed(1)} ms, p90 ${percentile(busy, 90).toFixed(1)} ms, max ${Math.max(...busy).toFixed(0)} ms; the ${SMALL} took ${(phaseMs / 1000).toFixed(1)} s, ${whileVideos} ended while a video still ran, ${runningAtEnd} of ${VIDEOS} videos still running at the end (${videoS.toFixed(0)} s after they were sent)`);
  console.log(`  ratio busy / idle median ${ratio.toFixed(2)} (target < ${TARGET}: ${ratio < TARGET ? 'met' : 'NOT met'})`);
  printResult({
    bench: 'throughput-isolation',
    env,
    idleMedianMs: round(median(idle), 1),
    idleP90Ms: round(percentile(idle, 90), 1),
    busyMedianMs: round(median(busy), 1),
    busyP90Ms: round(percentile(busy, 90), 1),
    busyMaxMs: round(Math.max(...busy), 0),
    busyPhaseS: round(phaseMs / 1000, 1),
    endedWhileVideosRan: whileVideos,
    videosRunningAtEnd: runningAtEnd,
    ratio: round(ratio, 2),
    target: TARGET,
    met: ratio < TARGET,
  });
}
