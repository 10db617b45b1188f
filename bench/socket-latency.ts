// How soon a socket subscriber hears that a task or job has ended (the real-time API, wire
// spec 12). 50 jobs in turn, each import/upload -> convert (SVG to PNG, by the worker) ->
// export/url, with one socket subscribed to private-job.{id} and private-job.{id}.tasks. The
// moment a task is recorded finished is the arrival of its task.finished on the server's live
// channel (`<prefix>:v2:live`, published by the same Lua script that writes the end), to which
// the benchmark subscribes, so both instants are on its own clock. Reported: convert task's end
// -> the socket's task.finished, and the same end -> the socket's job.finished (the export task
// ends and the job's end is announced in between). Target: median and p95 < 20 ms.
import { Redis } from 'ioredis';
import { io, type Socket } from 'socket.io-client';
import { BENCH_KEY, SMALL_SVG, machine, median, multipart, percentile, printResult, request, round, runBench, startBenchServer, WITHOUT_POOLS } from './lib.js';

const WARMUP = 5;
const N = 50;
const AUTH = { Authorization: `Bearer ${BENCH_KEY}` };

type Obj = Record<string, any>;

/** Arrival times of events, by "<event> <id>", with waiters for those still to come. */
class Arrivals {
  private readonly seen = new Map<string, number>();
  private readonly waiting = new Map<string, (at: number) => void>();

  note(key: string, at = performance.now()): void {
    const resolve = this.waiting.get(key);
    if (resolve === undefined) this.seen.set(key, at);
    else resolve(at);
  }

  when(key: string, ms = 60_000): Promise<number> {
    const at = this.seen.get(key);
    if (at !== undefined) return Promise.resolve(at);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${key} within ${ms} ms`)), ms);
      this.waiting.set(key, (t) => {
        clearTimeout(timer);
        resolve(t);
      });
    });
  }
}

async function subscribe(socket: Socket, channel: string): Promise<void> {
  const answer = (await socket.timeout(30_000).emitWithAck('subscribe', { channel, auth: { headers: AUTH } })) as { ok: boolean; message?: string };
  if (!answer.ok) throw new Error(`subscribe ${channel} refused: ${answer.message}`);
}

async function once(baseUrl: string, socket: Socket, published: Arrivals, heard: Arrivals): Promise<{ task: number; job: number; announce: number; jobSocket: number }> {
  const spec = { tasks: { up: { operation: 'import/upload' }, png: { operation: 'convert', input: 'up', input_format: 'svg', output_format: 'png' }, out: { operation: 'export/url', input: 'png' } } };
  const answer = await request('POST', `${baseUrl}/v2/jobs`, { body: JSON.stringify(spec), headers: { ...AUTH, 'Content-Type': 'application/json' } });
  if (answer.status !== 201) throw new Error(`POST /v2/jobs answered ${answer.status}: ${answer.body.toString('utf8').slice(0, 300)}`);
  const created = JSON.parse(answer.body.toString('utf8')) as { data: Obj };
  const job = created.data;
  const tasks = job['tasks'] as Obj[];
  const up = tasks.find((t) => t['name'] === 'up') ?? {};
  const convert = tasks.find((t) => t['name'] === 'png') ?? {};
  await subscribe(socket, `private-job.${job['id']}`);
  await subscribe(socket, `private-job.${job['id']}.tasks`);
  const form = up['result'].form as { url: string; parameters: Record<string, string> };
  const body = multipart(Object.entries(form.parameters), SMALL_SVG, 'in.svg');
  const res = await request('POST', form.url, { body: body.body, headers: { 'Content-Type': body.contentType } });
  if (res.status !== 201) throw new Error(`the upload answered ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`);
  const [ended, jobEnded, taskHeard, jobHeard] = await Promise.all([published.when(`task.finished ${convert['id']}`), published.when(`job.finished ${job['id']}`), heard.when(`task.finished ${convert['id']}`), heard.when(`job.finished ${job['id']}`)]);
  socket.emit('unsubscribe', { channel: `private-job.${job['id']}` });
  socket.emit('unsubscribe', { channel: `private-job.${job['id']}.tasks` });
  return { task: taskHeard - ended, job: jobHeard - ended, announce: jobEnded - ended, jobSocket: jobHeard - jobEnded };
}

function summary(values: readonly number[]): { median: number; p95: number; max: number } {
  return { median: round(median(values)), p95: round(percentile(values, 95)), max: round(Math.max(...values)) };
}

await runBench('socket-latency', 5 * 60_000, async () => {
  const server = await startBenchServer(WITHOUT_POOLS);
  const subscriber = new Redis(server.redisUrl, { lazyConnect: true });
  const socket = io(server.baseUrl, { transports: ['websocket'], reconnection: false });
  try {
    const published = new Arrivals();
    const heard = new Arrivals();
    await subscriber.connect();
    subscriber.on('message', (_channel: string, message: string) => {
      const at = performance.now();
      // A task message holds the hash as [field, JSON value, ...].
      const data = JSON.parse(message) as { event: string; fields?: string[] };
      const fields = data.fields ?? [];
      const idAt = fields.findIndex((f, i) => i % 2 === 0 && f === 'id');
      if (data.event === 'job.finished') published.note(`job.finished ${(data as { job?: { id?: string } }).job?.id ?? ''}`, at);
      if (data.event === 'task.finished' && idAt >= 0) published.note(`task.finished ${JSON.parse(fields[idAt + 1] ?? '""') as string}`, at);
    });
    await subscriber.subscribe(`${server.prefix}:v2:live`);
    socket.on('task.finished', (_channel: string, data: Obj) => heard.note(`task.finished ${data['task'].id}`));
    socket.on('job.finished', (_channel: string, data: Obj) => heard.note(`job.finished ${data['job'].id}`));
    for (let i = 0; i < WARMUP; i += 1) await once(server.baseUrl, socket, published, heard);
    const task: number[] = [];
    const job: number[] = [];
    const announce: number[] = [];
    const jobSocket: number[] = [];
    for (let i = 0; i < N; i += 1) {
      const one = await once(server.baseUrl, socket, published, heard);
      task.push(one.task);
      job.push(one.job);
      announce.push(one.announce);
      jobSocket.push(one.jobSocket);
    }
    const t = summary(task);
    const j = summary(job);
    const a = summary(announce);
    const s = summary(jobSocket);
    const met = t.p95 < 20 && j.p95 < 20;
    console.log(`socket-latency on ${machine()}`);
    console.log(`  N = ${N} jobs in turn, after ${WARMUP} warm-ups; from the convert task's end published on Redis`);
    console.log(`  -> socket task.finished: median ${t.median} ms, p95 ${t.p95} ms, max ${t.max} ms`);
    console.log(`  -> socket job.finished:  median ${j.median} ms, p95 ${j.p95} ms, max ${j.max} ms (target < 20 ms: ${met ? 'met' : 'NOT met'})`);
    console.log(`     of which the scheduler's work until job.finished is published (export task, job end): median ${a.median} ms, p95 ${a.p95} ms;`);
    console.log(`     job.finished published -> socket: median ${s.median} ms, p95 ${s.p95} ms, max ${s.max} ms`);
    printResult({ bench: 'socket-latency', n: N, taskFinished: t, jobFinished: j, jobAnnounced: a, jobPublishedToSocket: s, targetMs: 20, met });
  } finally {
    socket.close();
    subscriber.disconnect();
  }
});
