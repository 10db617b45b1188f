// Part "isolation": key B's small conversions while key A's long videos convert. Key B sends 200
// png → jpg (64x48) on a fixed schedule (one every INTERVAL, from 4 clients; latency counted from
// when each was due, so a stalled client cannot hide a stall by sending less), first on the idle
// server, then again right after key A has started 4 mp4 → webm (VP9) conversions of a 1280x720
// test pattern. Target: busy median < 3x idle median. Videos still running at the end are cancelled.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { abs, json, machine, median, percentile, printResult, request, round, sleep, startBenchServer, WITHOUT_POOLS } from '../lib.js';
import { photoPng, testVideo } from './fixtures.js';
import { MAGIC, convertAndDownload, convertForm, fixedCount, postConvert, scheduled, type ConvertAnswer } from './load.js';

export const KEY_A = 'bench-key-A-aaaaaaaa';
export const KEY_B = 'bench-key-B-bbbbbbbb';
const VIDEOS = 4;
// About 21 CPU-seconds each to VP9 on this VM: two at once keep both cores busy for 20+ s, and
// the four end within about 45 s on a quiet machine, however the server schedules them.
const VIDEO_SECONDS = 16;
const SMALL = 200;
const SMALL_CLIENTS = 4;
const WARMUP = 20;
// The schedule's spacing: 1.5x the sequential median of the warm-ups (at least 10 ms), about
// half of what 4 clients can do on the idle server, so the idle run does not queue by itself.
const spacing = (warmupMedianMs: number): number => Math.max(10, Math.round(1.5 * warmupMedianMs));
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

interface Phase {
  /** Latency of each conversion from when it was due, in ms, by index. */
  readonly latencies: number[];
  /** How many videos were still converting when each conversion was due, by index. */
  readonly runningWhenDue: number[];
  /** How many videos were still converting when each conversion was sent (later than due when its client was held up). */
  readonly runningWhenSent: number[];
  readonly ms: number;
}

async function onSchedule(intervalMs: number, one: () => Promise<unknown>, running: () => number = () => 0): Promise<Phase> {
  const start = performance.now();
  const runningWhenDue = new Array<number>(SMALL).fill(0);
  const timers = runningWhenDue.map((_, i) => setTimeout(() => (runningWhenDue[i] = running()), i * intervalMs));
  const runningWhenSent: number[] = [];
  try {
    const result = await scheduled(SMALL, SMALL_CLIENTS, intervalMs, async () => {
      runningWhenSent.push(running());
      await one();
    });
    return { latencies: result.latencies, runningWhenDue, runningWhenSent, ms: performance.now() - start };
  } finally {
    timers.forEach(clearTimeout);
  }
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
    const server = await startBenchServer({ ...WITHOUT_POOLS, API_KEYS: `${KEY_A},${KEY_B}`, ...env });
    try {
      const small = convertForm(png, 'small.png', 'png', 'jpg', { apikey: KEY_B });
      const oneSmall = () => convertAndDownload(server.baseUrl, small, MAGIC.jpg);
      const intervalMs = spacing(median(await fixedCount(WARMUP, 1, oneSmall)));
      const idle = await onSchedule(intervalMs, oneSmall);

      const videoForm = convertForm(video, 'testsrc.mp4', 'mp4', 'webm', { apikey: KEY_A, wait: false });
      const videos = await Promise.all(Array.from({ length: VIDEOS }, () => postConvert(server.baseUrl, videoForm)));
      const watch = watchVideos(videos);
      const videoStart = performance.now();
      try {
        await waitUntil('a video conversion starting', 60_000, () => {
          if (watch.steps().includes('error')) throw new Error(`a video conversion failed: ${watch.steps().join(', ')}`);
          return watch.steps().includes('convert');
        });
        const busy = await onSchedule(intervalMs, oneSmall, () => watch.running());
        report({ idle, busy, intervalMs, runningAtEnd: watch.running(), videoS: (performance.now() - videoStart) / 1000, env, videoBytes: video.length });
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

interface Report {
  readonly idle: Phase;
  readonly busy: Phase;
  readonly intervalMs: number;
  readonly runningAtEnd: number;
  readonly videoS: number;
  readonly env: Record<string, string>;
  readonly videoBytes: number;
}

function report({ idle, busy, intervalMs, runningAtEnd, videoS, env, videoBytes }: Report): void {
  const ratio = median(busy.latencies) / median(idle.latencies);
  const dueWhileVideos = busy.runningWhenDue.filter((n) => n > 0).length;
  const sentWhileVideos = busy.runningWhenSent.filter((n) => n > 0).length;
  const met = ratio < TARGET && dueWhileVideos === SMALL;
  const stats = (p: Phase): string => `median ${median(p.latencies).toFixed(1)} ms, p90 ${percentile(p.latencies, 90).toFixed(1)} ms, max ${Math.max(...p.latencies).toFixed(0)} ms (the ${SMALL} took ${(p.ms / 1000).toFixed(1)} s)`;
  console.log(`throughput isolation on ${machine()}`);
  console.log(`  key A: ${VIDEOS} x mp4 → webm (1280x720, ${VIDEO_SECONDS} s test pattern, ${(videoBytes / 1e6).toFixed(2)} MB); key B: ${SMALL} x png 64x48 → jpg, one due every ${intervalMs} ms, ${SMALL_CLIENTS} clients; server env ${JSON.stringify(env)}`);
  console.log(`  idle:                     ${stats(idle)}`);
  console.log(`  while the videos convert: ${stats(busy)}`);
  console.log(`    ${dueWhileVideos} of ${SMALL} were due and ${sentWhileVideos} were sent while a video still converted; ${runningAtEnd} of ${VIDEOS} videos still running at the end (${videoS.toFixed(0)} s after they were sent)`);
  console.log(`  ratio busy / idle median ${ratio.toFixed(2)} (target < ${TARGET}, with all ${SMALL} due while videos ran: ${met ? 'met' : 'NOT met'})`);
  printResult({
    bench: 'throughput-isolation',
    env,
    intervalMs,
    idleMedianMs: round(median(idle.latencies), 1),
    idleP90Ms: round(percentile(idle.latencies, 90), 1),
    busyMedianMs: round(median(busy.latencies), 1),
    busyP90Ms: round(percentile(busy.latencies, 90), 1),
    busyMaxMs: round(Math.max(...busy.latencies), 0),
    busyPhaseS: round(busy.ms / 1000, 1),
    dueWhileVideosRan: dueWhileVideos,
    sentWhileVideosRan: sentWhileVideos,
    videosRunningAtEnd: runningAtEnd,
    ratio: round(ratio, 2),
    target: TARGET,
    met,
  });
}
