// How fast a blocked `GET <process url>?wait=true` wakes when its process finishes. The record's
// `endtime` is in whole seconds, so the moment of completion is taken from the server's own
// events channel (`<prefix>:events`, "<id> <step>"), subscribed to here; the latency is the
// arrival of the ?wait answer minus the arrival of the "finished" event. Target: median < 10 ms.
import { Redis } from 'ioredis';
import { BENCH_KEY, SMALL_SVG, abs, json, machine, median, percentile, printResult, request, round, runBench, sleep, startBenchServer, WITHOUT_POOLS } from './lib.js';

const WARMUP = 5;
const N = 100;
// Head start of the ?wait request over the upload, so it is surely blocked server-side.
const HEAD_START_MS = 20;

interface Created {
  url: string;
  id: string;
}
interface Started {
  step: string;
  upload?: { url?: string };
}

/** Resolves `finished(id)` with the time the "<id> finished" event reached this process. */
function finishedEvents(subscriber: Redis): { finished(id: string): Promise<number> } {
  const waiting = new Map<string, (at: number) => void>();
  const seen = new Map<string, number>();
  subscriber.on('message', (_channel: string, message: string) => {
    const at = performance.now();
    const [id, step] = message.split(' ');
    // The step is stored JSON-encoded, so the message carries `"finished"` with its quotes.
    if (id === undefined || step?.replace(/"/g, '') !== 'finished') return;
    const resolve = waiting.get(id);
    if (resolve === undefined) seen.set(id, at);
    else resolve(at);
  });
  return {
    finished: (id) =>
      new Promise((resolve) => {
        const at = seen.get(id);
        if (at !== undefined) return resolve(at);
        waiting.set(id, resolve);
      }),
  };
}

async function once(baseUrl: string, events: ReturnType<typeof finishedEvents>): Promise<number> {
  const created = await json<Created>('POST', `${baseUrl}/process`, { apikey: BENCH_KEY, inputformat: 'svg', outputformat: 'png' });
  const processUrl = abs(created.url);
  const started = await json<Started>('POST', processUrl, { input: 'upload', outputformat: 'png' });
  if (started.upload?.url === undefined) throw new Error(`the start answer has no upload.url: ${JSON.stringify(started)}`);
  const finished = events.finished(created.id);
  let answeredAt = 0;
  const waited = request('GET', `${processUrl}?wait=true`).then((res) => {
    answeredAt = performance.now();
    return res;
  });
  await sleep(HEAD_START_MS);
  if (answeredAt !== 0) throw new Error('?wait answered before the upload');
  const upload = await request('PUT', `${abs(started.upload.url)}/in.svg`, { body: SMALL_SVG });
  if (upload.status !== 200) throw new Error(`the upload answered ${upload.status}: ${upload.body.toString('utf8')}`);
  const [res, finishedAt] = await Promise.all([waited, finished]);
  const body = JSON.parse(res.body.toString('utf8')) as { step?: string };
  if (res.status !== 200 || body.step !== 'finished') throw new Error(`?wait answered ${res.status} in step ${body.step}`);
  await json('DELETE', processUrl);
  return answeredAt - finishedAt;
}

await runBench('wait-wakeup', 5 * 60_000, async () => {
  const server = await startBenchServer(WITHOUT_POOLS);
  const subscriber = new Redis(server.redisUrl, { lazyConnect: true });
  try {
    await subscriber.connect();
    const events = finishedEvents(subscriber);
    await subscriber.subscribe(`${server.prefix}:events`);
    for (let i = 0; i < WARMUP; i += 1) await once(server.baseUrl, events);
    const latencies: number[] = [];
    for (let i = 0; i < N; i += 1) latencies.push(await once(server.baseUrl, events));

    const med = median(latencies);
    const p90 = percentile(latencies, 90);
    console.log(`wait-wakeup on ${machine()}`);
    console.log(`  N = ${N} sequential, after ${WARMUP} warm-ups; "finished" event -> ?wait answer received`);
    console.log(`  median ${med.toFixed(2)} ms, p90 ${p90.toFixed(2)} ms, max ${Math.max(...latencies).toFixed(2)} ms (target median < 10 ms: ${med < 10 ? 'met' : 'NOT met'})`);
    printResult({ bench: 'wait-wakeup', n: N, medianMs: round(med), p90Ms: round(p90), maxMs: round(Math.max(...latencies)), targetMs: 10, met: med < 10 });
  } finally {
    subscriber.disconnect();
  }
});
