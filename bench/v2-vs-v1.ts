// What API v2's job graph costs over v1 for the same conversion, and how fast a blocked sync
// wait wakes. In one run, alternating, N rounds of a 1000x1000 PNG to JPG:
//  v1 process: POST /process, the start POST to its URL (multipart, the file last, wait=true),
//      then GET output.url (the issue's comparison: the same steps a v1 client takes);
//  v1 /convert: the one-request shortcut (POST /convert, wait=true), then GET output.url;
//  v2: POST /v2/jobs {import/upload -> convert -> export/url}, the upload form POST (its
//      parameters, then the file), GET /sync/v2/jobs/{id}, then GET the export URL.
// Then the wake-up of a blocked GET /sync/v2/tasks/{id} on an import/upload task: from the
// moment the task's end is published on Redis (the bench subscribes to the server's events
// channel, so both instants are read on this process's clock) to the arrival of the blocked GET's
// answer. Targets: ratio of medians v2 / v1 process <= 1.1; wake-up median < 10 ms.
import { Redis } from 'ioredis';
import sharp from 'sharp';
import { BENCH_KEY, abs, machine, median, multipart, percentile, printResult, request, round, runBench, since, sleep, startBenchServer, WITHOUT_POOLS } from './lib.js';

const WARMUP = 3;
const N = 30;
// Head start of the blocked GET over the upload, so it is surely waiting server-side.
const HEAD_START_MS = 20;
const AUTH = { Authorization: `Bearer ${BENCH_KEY}` };

type Obj = Record<string, unknown>;
interface Form {
  url: string;
  parameters: Record<string, string>;
}

/** A 1000x1000 PNG with gradients and shapes (a few tens of KiB), not a flat colour. */
async function benchPng(): Promise<Buffer> {
  const circles = Array.from({ length: 12 }, (_, i) => `<circle cx="${80 + i * 75}" cy="${500 + Math.round(300 * Math.sin(i))}" r="${40 + i * 6}" fill="hsl(${i * 30},70%,55%)" fill-opacity="0.7"/>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="1000"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#1e3c72"/><stop offset="1" stop-color="#f0a500"/></linearGradient></defs><rect width="1000" height="1000" fill="url(#g)"/>${circles}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

async function download(url: string): Promise<void> {
  const file = await request('GET', url);
  // A JPEG starts with FF D8 FF.
  if (file.status !== 200 || file.body.readUIntBE(0, 3) !== 0xffd8ff) throw new Error(`the download of ${url} answered ${file.status} without a JPEG`);
}

/** Per-phase times of the measured rounds, to see where a difference comes from. */
type Phases = Record<string, number[]>;
const phases: { v1: Phases; v1process: Phases; v2: Phases; wake: Phases } = { v1: {}, v1process: {}, v2: {}, wake: {} };
function mark(into: Phases, name: string, start: number): number {
  (into[name] ??= []).push(since(start));
  return performance.now();
}

async function v1Round(baseUrl: string, png: Buffer): Promise<void> {
  let t = performance.now();
  const form = multipart([['inputformat', 'png'], ['outputformat', 'jpg'], ['input', 'upload'], ['wait', 'true']], png, 'photo.png');
  const res = await request('POST', `${baseUrl}/convert`, { body: form.body, headers: { ...AUTH, 'Content-Type': form.contentType } });
  const status = JSON.parse(res.body.toString('utf8')) as { step?: string; output?: { url?: string } };
  if (res.status !== 200 || status.step !== 'finished' || status.output?.url === undefined) throw new Error(`/convert answered ${res.status} in step ${status.step}: ${res.body.toString('utf8').slice(0, 300)}`);
  t = mark(phases.v1, 'convert (upload + wait)', t);
  await download(abs(status.output.url));
  mark(phases.v1, 'download', t);
}

async function v1ProcessRound(baseUrl: string, png: Buffer): Promise<void> {
  let t = performance.now();
  const created = await request('POST', `${baseUrl}/process`, { body: JSON.stringify({ inputformat: 'png', outputformat: 'jpg' }), headers: { ...AUTH, 'Content-Type': 'application/json' } });
  const processUrl = (JSON.parse(created.body.toString('utf8')) as { url?: string }).url;
  if (created.status !== 200 || processUrl === undefined) throw new Error(`POST /process answered ${created.status}: ${created.body.toString('utf8').slice(0, 300)}`);
  t = mark(phases.v1process, 'create', t);
  const form = multipart([['input', 'upload'], ['outputformat', 'jpg'], ['wait', 'true']], png, 'photo.png');
  const res = await request('POST', abs(processUrl), { body: form.body, headers: { 'Content-Type': form.contentType } });
  const status = JSON.parse(res.body.toString('utf8')) as { step?: string; output?: { url?: string } };
  if (res.status !== 200 || status.step !== 'finished' || status.output?.url === undefined) throw new Error(`the start answered ${res.status} in step ${status.step}: ${res.body.toString('utf8').slice(0, 300)}`);
  t = mark(phases.v1process, 'start (upload + wait)', t);
  await download(abs(status.output.url));
  mark(phases.v1process, 'download', t);
}

async function createJob(baseUrl: string, tasks: Obj): Promise<Obj> {
  const created = await request('POST', `${baseUrl}/v2/jobs`, { body: JSON.stringify({ tasks }), headers: { ...AUTH, 'Content-Type': 'application/json' } });
  if (created.status !== 201) throw new Error(`POST /v2/jobs answered ${created.status}: ${created.body.toString('utf8').slice(0, 300)}`);
  return (JSON.parse(created.body.toString('utf8')) as { data: Obj }).data;
}

const taskNamed = (job: Obj, name: string): Obj => ((job['tasks'] as Obj[]).find((t) => t['name'] === name) ?? {}) as Obj;

/** The upload form POST; returns when its answer (201) has arrived. */
async function upload(task: Obj, png: Buffer): Promise<void> {
  const form = (task['result'] as { form?: Form } | null)?.form;
  if (form === undefined) throw new Error(`the upload task has no form: ${JSON.stringify(task)}`);
  const body = multipart(Object.entries(form.parameters), png, 'photo.png');
  const res = await request('POST', form.url, { body: body.body, headers: { 'Content-Type': body.contentType } });
  if (res.status !== 201) throw new Error(`the upload answered ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`);
}

async function v2Round(baseUrl: string, png: Buffer): Promise<void> {
  let t = performance.now();
  const job = await createJob(baseUrl, {
    'import-it': { operation: 'import/upload' },
    'convert-it': { operation: 'convert', input: 'import-it', output_format: 'jpg' },
    'export-it': { operation: 'export/url', input: 'convert-it' },
  });
  t = mark(phases.v2, 'create job', t);
  await upload(taskNamed(job, 'import-it'), png);
  t = mark(phases.v2, 'upload', t);
  const waited = await request('GET', `${baseUrl}/sync/v2/jobs/${String(job['id'])}`, { headers: AUTH });
  const ended = (JSON.parse(waited.body.toString('utf8')) as { data?: Obj }).data ?? {};
  if (waited.status !== 200 || ended['status'] !== 'finished') throw new Error(`the sync wait answered ${waited.status}: ${waited.body.toString('utf8').slice(0, 500)}`);
  const files = (taskNamed(ended, 'export-it')['result'] as { files?: Array<{ url: string }> } | null)?.files ?? [];
  if (files[0] === undefined) throw new Error('the export task has no file');
  t = mark(phases.v2, 'sync wait', t);
  await download(files[0].url);
  mark(phases.v2, 'download', t);
}

/** When each id's latest change was published on the server's events channel (this process's clock). */
const published = new Map<string, number>();

/** One blocked GET /sync/v2/tasks/{id}, woken by an upload: ms from the publish of the task's end to the GET's answer. */
async function wakeUp(baseUrl: string, png: Buffer): Promise<number> {
  const job = await createJob(baseUrl, { 'import-it': { operation: 'import/upload' } });
  const task = taskNamed(job, 'import-it');
  let answeredAt = 0;
  const waited = request('GET', `${baseUrl}/sync/v2/tasks/${String(task['id'])}`, { headers: AUTH }).then((res) => {
    answeredAt = performance.now();
    return res;
  });
  await sleep(HEAD_START_MS);
  if (answeredAt !== 0) throw new Error('the sync wait answered before the upload');
  const uploadStart = performance.now();
  await upload(task, png);
  mark(phases.wake, 'upload (no dependants)', uploadStart);
  const res = await waited;
  const endedAt = published.get(String(task['id']));
  if (endedAt === undefined || endedAt > answeredAt) throw new Error('the end of the task was not seen on the events channel before the answer');
  const status = (JSON.parse(res.body.toString('utf8')) as { data?: Obj }).data?.['status'];
  if (res.status !== 200 || status !== 'finished') throw new Error(`the sync wait answered ${res.status} with status ${String(status)}`);
  await request('DELETE', `${baseUrl}/v2/jobs/${String(job['id'])}`, { headers: AUTH });
  return answeredAt - endedAt;
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await fn();
  return since(start);
}

const stats = (values: readonly number[]) => ({ median: median(values), p90: percentile(values, 90) });

await runBench('v2-vs-v1', 5 * 60_000, async () => {
  const server = await startBenchServer(WITHOUT_POOLS);
  const events = new Redis(server.redisUrl);
  events.on('message', (_channel: string, message: string) => published.set(message.slice(0, message.indexOf(' ')), performance.now()));
  await events.subscribe(`${server.prefix}:events`);
  const png = await benchPng();
  for (let i = 0; i < WARMUP; i += 1) {
    await v1ProcessRound(server.baseUrl, png);
    await v1Round(server.baseUrl, png);
    await v2Round(server.baseUrl, png);
    await wakeUp(server.baseUrl, png);
  }
  phases.v1 = {};
  phases.v1process = {};
  phases.v2 = {};
  phases.wake = {};
  const v1: number[] = [];
  const v1process: number[] = [];
  const v2: number[] = [];
  for (let i = 0; i < N; i += 1) {
    v1process.push(await timed(() => v1ProcessRound(server.baseUrl, png)));
    v1.push(await timed(() => v1Round(server.baseUrl, png)));
    v2.push(await timed(() => v2Round(server.baseUrl, png)));
  }
  const wake: number[] = [];
  for (let i = 0; i < N; i += 1) wake.push(await wakeUp(server.baseUrl, png));
  events.disconnect();

  const a = stats(v1);
  const p = stats(v1process);
  const b = stats(v2);
  const w = stats(wake);
  const ratio = b.median / p.median;
  console.log(`v2-vs-v1 on ${machine()}`);
  console.log(`  N = ${N} rounds, alternating, after ${WARMUP} warm-ups; a 1000x1000 PNG (${png.length} bytes) to JPG`);
  console.log(`  v1 POST /process + start (multipart, wait=true) + download: median ${p.median.toFixed(2)} ms, p90 ${p.p90.toFixed(2)} ms`);
  console.log(`  v1 POST /convert (multipart, wait=true) + download:        median ${a.median.toFixed(2)} ms, p90 ${a.p90.toFixed(2)} ms`);
  console.log(`  v2 POST /v2/jobs + upload form + sync wait + download:     median ${b.median.toFixed(2)} ms, p90 ${b.p90.toFixed(2)} ms`);
  for (const [api, byPhase] of Object.entries(phases)) console.log(`    ${api} phases (medians): ${Object.entries(byPhase).map(([name, times]) => `${name} ${median(times).toFixed(2)} ms`).join(', ')}`);
  console.log(`  ratio of medians v2 / v1 process ${ratio.toFixed(3)} (target <= 1.1: ${ratio <= 1.1 ? 'met' : 'NOT met'}); v2 / v1 /convert ${(b.median / a.median).toFixed(3)}`);
  console.log(`  sync wait wake-up (task end published -> blocked GET /sync/v2/tasks/{id} answered): median ${w.median.toFixed(2)} ms, p90 ${w.p90.toFixed(2)} ms, min ${Math.min(...wake).toFixed(2)} ms, max ${Math.max(...wake).toFixed(2)} ms (target median < 10 ms: ${w.median < 10 ? 'met' : 'NOT met'})`);
  printResult({
    bench: 'v2-vs-v1',
    n: N,
    pngBytes: png.length,
    v1ProcessMedianMs: round(p.median),
    v1ProcessP90Ms: round(p.p90),
    v1ConvertMedianMs: round(a.median),
    v1ConvertP90Ms: round(a.p90),
    v2MedianMs: round(b.median),
    v2P90Ms: round(b.p90),
    ratio: round(ratio, 3),
    phaseMediansMs: Object.fromEntries(Object.entries(phases).map(([api, byPhase]) => [api, Object.fromEntries(Object.entries(byPhase).map(([name, times]) => [name, round(median(times))]))])),
    ratioTarget: 1.1,
    wakeMedianMs: round(w.median),
    wakeP90Ms: round(w.p90),
    wakeTargetMs: 10,
    met: ratio <= 1.1 && w.median < 10,
  });
});
