// The client side of the throughput benchmark: one /convert (multipart, wait=true) followed by
// the download of its output, and a closed-loop load (N clients, each starting its next request
// when the last one ends) counted over a fixed window after a warm-up, with the CPU time each
// process and the whole machine used during that window.
import { BENCH_KEY, abs, cpuSeconds, machineCpuSeconds, multipart, request, since, sleep, type MultipartBody } from '../lib.js';

/** The first bytes of each output the benchmark asks for, to check that a download is the file. */
export const MAGIC = { jpg: Buffer.from([0xff, 0xd8, 0xff]), pdf: Buffer.from('%PDF'), webm: Buffer.from([0x1a, 0x45, 0xdf, 0xa3]) } as const;

export interface ConvertAnswer {
  readonly id: string;
  readonly url: string;
  readonly step: string;
  readonly output?: { readonly url?: string };
}

/** The /convert form: the key first (so the file streams straight into the process), the file last. */
export function convertForm(file: Buffer, filename: string, inputformat: string, outputformat: string, options: { apikey?: string; wait?: boolean } = {}): MultipartBody {
  const fields: Array<[string, string]> = [['apikey', options.apikey ?? BENCH_KEY], ['inputformat', inputformat], ['outputformat', outputformat], ['input', 'upload'], ['wait', String(options.wait ?? true)]];
  return multipart(fields, file, filename);
}

/** POST /convert with a prepared form; returns the status object (the final one when the form has wait=true). */
export async function postConvert(baseUrl: string, form: MultipartBody): Promise<ConvertAnswer> {
  const res = await request('POST', `${baseUrl}/convert`, { body: form.body, headers: { 'Content-Type': form.contentType } });
  if (res.status !== 200) throw new Error(`POST /convert answered ${res.status}: ${res.body.toString('utf8').slice(0, 500)}`);
  return JSON.parse(res.body.toString('utf8')) as ConvertAnswer;
}

/** One conversion as a client does it: /convert with wait=true, then the download, checked by its first bytes. */
export async function convertAndDownload(baseUrl: string, form: MultipartBody, magic: Buffer): Promise<Buffer> {
  const status = await postConvert(baseUrl, form);
  if (status.step !== 'finished' || status.output?.url === undefined) throw new Error(`/convert ended in step ${status.step}: ${JSON.stringify(status).slice(0, 500)}`);
  const file = await request('GET', abs(status.output.url));
  if (file.status !== 200 || !file.body.subarray(0, magic.length).equals(magic)) throw new Error(`the download of ${status.output.url} answered ${file.status} without the expected file`);
  return file.body;
}

export interface LoadOptions {
  readonly clients: number;
  /** Time before the window opens: the load runs but is not counted (pools fill, JIT warms). */
  readonly warmupMs: number;
  readonly windowMs: number;
  /** Processes whose CPU time is read at the window's start and end, by name. */
  readonly cpuOf?: Readonly<Record<string, number | undefined>>;
}

export interface LoadResult {
  /** Operations that ended inside the window. */
  readonly completed: number;
  readonly perSecond: number;
  /** Latencies of the operations that ended inside the window, in ms. */
  readonly latenciesMs: readonly number[];
  /** CPU seconds used during the window by each process of `cpuOf`, and `machine` (all processes). */
  readonly cpuSeconds: Readonly<Record<string, number>>;
  /** Cores the machine had. */
  readonly machineCores: number;
  /** The window on CLOCK_MONOTONIC in µs (the clock of a .cpuprofile), as the timers saw it. */
  readonly windowUs: { readonly fromUs: number; readonly toUs: number };
}

type CpuSnapshot = Record<string, number>;

async function snapshot(cpuOf: Readonly<Record<string, number | undefined>>): Promise<CpuSnapshot> {
  const entries = await Promise.all(
    Object.entries(cpuOf).map(async ([name, pid]) => [name, pid === undefined ? Number.NaN : await cpuSeconds(pid).catch(() => Number.NaN)] as const),
  );
  const machine = await machineCpuSeconds();
  return { ...Object.fromEntries(entries), machine: machine.busy, machineTotal: machine.total };
}

/**
 * Closed loop: `clients` loops run `one` until the window ends; only operations that end inside
 * [warm-up end, warm-up end + window] count. Operations still running at the end are awaited, not counted.
 */
export async function closedLoop(options: LoadOptions, one: () => Promise<unknown>): Promise<LoadResult> {
  const start = performance.now();
  const windowStart = start + options.warmupMs;
  const windowEnd = windowStart + options.windowMs;
  const cpuOf = { ...options.cpuOf, bench: process.pid };
  const latencies: number[] = [];
  const snapshots: Promise<CpuSnapshot>[] = [];
  const monotonicUs: number[] = [];
  const mark = (): void => {
    monotonicUs.push(Number(process.hrtime.bigint() / 1000n));
    snapshots.push(snapshot(cpuOf));
  };
  const marks = [windowStart, windowEnd].map((at) => setTimeout(mark, at - start));
  try {
    await Promise.all(
      Array.from({ length: options.clients }, async () => {
        while (performance.now() < windowEnd) {
          const began = performance.now();
          await one();
          const ended = performance.now();
          if (ended >= windowStart && ended <= windowEnd) latencies.push(ended - began);
        }
      }),
    );
  } finally {
    marks.forEach(clearTimeout);
  }
  // A timer delayed by a busy event loop may not have fired yet when the last loop ends.
  while (snapshots.length < 2) mark();
  const [before, after] = await Promise.all(snapshots);
  const cpu: Record<string, number> = {};
  if (before !== undefined && after !== undefined) for (const name of Object.keys(before)) cpu[name] = (after[name] ?? Number.NaN) - (before[name] ?? Number.NaN);
  const machineCores = cpu['machineTotal'] === undefined ? Number.NaN : cpu['machineTotal'] / (options.windowMs / 1000);
  delete cpu['machineTotal'];
  const windowUs = { fromUs: monotonicUs[0] ?? 0, toUs: monotonicUs[1] ?? 0 };
  return { completed: latencies.length, perSecond: latencies.length / (options.windowMs / 1000), latenciesMs: latencies, cpuSeconds: cpu, machineCores, windowUs };
}

/** `total` operations by `clients` loops (no window): each one's latency in ms, in order of ending. */
export async function fixedCount(total: number, clients: number, one: () => Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < total) {
        next += 1;
        const began = performance.now();
        await one();
        latencies.push(since(began));
      }
    }),
  );
  return latencies;
}

/**
 * Open loop on a schedule: operation i is due at start + i x `intervalMs`, run by client i mod
 * `clients`, and its latency is counted from when it was due, not from when its client got to it.
 * A client held up by a slow operation then shows the wait in every operation queued behind it
 * (a closed loop would send fewer operations instead, and hide the stall: coordinated omission).
 * Returns each operation's latency and its due time (ms after the start), by index.
 */
export async function scheduled(total: number, clients: number, intervalMs: number, one: () => Promise<unknown>): Promise<{ latencies: number[]; dueMs: number[] }> {
  const latencies: number[] = new Array<number>(total).fill(Number.NaN);
  const dueMs = Array.from({ length: total }, (_, i) => i * intervalMs);
  const start = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = client; i < total; i += clients) {
        const due = start + dueMs[i]!;
        const early = due - performance.now();
        if (early > 0) await sleep(early);
        await one();
        latencies[i] = performance.now() - due;
      }
    }),
  );
  return { latencies, dueMs };
}

/**
 * "server 3.10 s (0.26 cores), ..., machine 23.2 s (1.94 cores), others 9.1 s (0.76 cores)" for a
 * window of `windowMs`: "others" is what the machine spent outside the listed processes: their
 * tools (LibreOffice, ffmpeg) and anything else running, so a run on a busy machine shows in it.
 */
export function describeCpu(result: LoadResult, windowMs: number): string {
  const seconds = windowMs / 1000;
  const listed = Object.entries(result.cpuSeconds).filter(([name]) => name !== 'machine');
  const others = (result.cpuSeconds['machine'] ?? Number.NaN) - listed.reduce((sum, [, used]) => sum + (Number.isNaN(used) ? 0 : used), 0);
  const all = [...listed, ['machine', result.cpuSeconds['machine'] ?? Number.NaN] as const, ['others', others] as const];
  return all
    .map(([name, used]) => `${name} ${used.toFixed(2)} s (${(used / seconds).toFixed(2)} cores)`)
    .join(', ')
    .concat(` of ${Number.isNaN(result.machineCores) ? '?' : result.machineCores.toFixed(1)} cores`);
}
