// Shared pieces of the benchmarks: a server under test in its own process (so its memory can be
// read from /proc), with its own redis-server and temp DATA_DIR; a small keep-alive HTTP client
// for 127.0.0.1; statistics; and a watchdog so every benchmark stops within a bounded time.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../src/runtime/embedded-redis.js';
import { startEmbeddedRedis, type EmbeddedRedis } from '../src/runtime/index.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BENCH_KEY = 'bench-key-aaaaaaaa';

/** The 120x80 SVG of the test fixtures: the "small SVG" of the API overhead benchmark. */
export const SMALL_SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"><rect width="120" height="80" fill="#f00"/><circle cx="60" cy="40" r="30" fill="#00f"/></svg>',
);

export { freePort };

// ---------------------------------------------------------------------------------------------
// HTTP client: node:http with one keep-alive agent, so the figures carry as little client cost
// as possible (fetch/undici adds a few hundred microseconds per request).

export const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

export interface HttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** One request; `body` as Buffer or string is sent with a Content-Length. */
export function request(method: string, url: string, options: { body?: Buffer | string; headers?: Record<string, string> } = {}): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A JSON request whose answer must have `expected` status; returns the parsed body. */
export async function json<T = Record<string, unknown>>(method: string, url: string, body?: unknown, expected = 200): Promise<T> {
  const headers: Record<string, string> = body === undefined ? {} : { 'Content-Type': 'application/json' };
  const res = await request(method, url, { ...(body === undefined ? {} : { body: JSON.stringify(body) }), headers });
  if (res.status !== expected) throw new Error(`${method} ${url} answered ${res.status} (expected ${expected}): ${res.body.toString('utf8').slice(0, 500)}`);
  return JSON.parse(res.body.toString('utf8')) as T;
}

/** `//host/path` as the API returns URLs, made absolute. */
export const abs = (url: string): string => (url.startsWith('//') ? `http:${url}` : url);

export interface MultipartBody {
  readonly body: Buffer;
  readonly contentType: string;
}

/**
 * multipart/form-data: the text fields in this order, then the file, as SDKs send it (a key
 * field before the file lets /convert stream the file straight into the process). Built once
 * and reused, so the client spends no CPU on it per request.
 */
export function multipart(fields: ReadonlyArray<readonly [string, string]>, file: Buffer, filename: string): MultipartBody {
  const boundary = `----bench${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = fields.map(([name, value]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`), file, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * Settings passed through to the server from `BENCH_ENV='K=V,K=V'` (e.g. to try
 * WORKER_CONCURRENCY=8); a benchmark reads its own environment, not the server's config.
 */
export function benchEnv(raw: string | undefined = process.env['BENCH_ENV']): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of (raw ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`BENCH_ENV: "${pair}" is not K=V (give e.g. BENCH_ENV='WORKER_CONCURRENCY=8,CONCURRENT=32')`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

// ---------------------------------------------------------------------------------------------
// The server under test.

export interface BenchServer {
  /** http://127.0.0.1:PORT */
  readonly baseUrl: string;
  /** Pid of the API (+ worker) process, for /proc/<pid>/status. */
  readonly pid: number;
  readonly redisUrl: string;
  /** REDIS_PREFIX of the server (its events channel is `<prefix>:events`). */
  readonly prefix: string;
  /** Pid of its redis-server, for its CPU time in /proc/<pid>/stat. */
  readonly redisPid: number | undefined;
  /** SIGTERM (graceful, so `--cpu-prof` writes its profile), SIGKILL after 10 s; then Redis and the temp dir. */
  stop(): Promise<void>;
}

/**
 * For the benchmarks that use neither LibreOffice nor Chromium: the server's default warm start of
 * those pools (WARM_POOLS) would spend the first seconds of the run starting them, inside what
 * these benchmarks time and measure (CPU, the server process's memory).
 */
export const WITHOUT_POOLS = { WARM_POOLS: 'false' } as const;

export interface BenchServerOptions {
  /** Flags for the server's node, before `--import tsx` (e.g. `--cpu-prof`). */
  readonly nodeFlags?: readonly string[];
}

const cleanups = new Set<() => Promise<void>>();

/**
 * Starts redis-server and `workers/standalone.ts` (API and worker in one process) on free
 * ports with a temp DATA_DIR; `env` overrides the server's environment (e.g. MAX_SIZE_MB).
 */
export async function startBenchServer(env: Record<string, string> = {}, options: BenchServerOptions = {}): Promise<BenchServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'oc-bench-'));
  let redis: EmbeddedRedis | undefined;
  let child: ChildProcess | undefined;
  let stopped: Promise<void> | undefined;
  // Registered before anything starts, so a watchdog firing mid-start still cleans up.
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      agent.destroy();
      if (child !== undefined) await stopChild(child, 10_000);
      await redis?.stop();
      await rm(dataDir, { recursive: true, force: true });
      cleanups.delete(stop);
    })());
  cleanups.add(stop);
  try {
    redis = await startEmbeddedRedis({ dir: path.join(dataDir, 'redis'), persistent: false });
    const port = await freePort();
    // UV_THREADPOOL_SIZE below: what `npm start` (scripts/start.sh) gives the server.
    child = spawn(process.execPath, [...(options.nodeFlags ?? []), '--import', 'tsx', 'workers/standalone.ts'], {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL: redis.url, API_KEYS: BENCH_KEY, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', UV_THREADPOOL_SIZE: String(4 * os.availableParallelism() + 4), ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHttp(`${baseUrl}/conversiontypes`, child, 60_000);
    if (child.pid === undefined) throw new Error('the server process has no pid');
    return { baseUrl, pid: child.pid, redisUrl: redis.url, prefix: env['REDIS_PREFIX'] ?? 'cc', redisPid: redis.pid, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited during start (code ${child.exitCode}, signal ${child.signalCode})`);
    const up = await request('GET', url).then(
      (res) => res.status === 200,
      () => false,
    );
    if (up) return;
    await sleep(100);
  }
  throw new Error(`the server did not answer ${url} within ${timeoutMs} ms`);
}

/** SIGTERM (graceful shutdown), then SIGKILL if it has not exited after `graceMs`. */
function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Runs a benchmark body with a server, always stopping it. The run is cut short after `limitMs`,
 * on a signal, or on an error escaping the body (e.g. a request torn down mid-flight), with the
 * server, redis-server and temp dir cleaned first, so nothing outlives the benchmark.
 */
export async function runBench(name: string, limitMs: number, body: () => Promise<void>): Promise<void> {
  const cleanUp = (): Promise<unknown> => Promise.allSettled([...cleanups].map((c) => c()));
  let bailing = false;
  const bail = async (why: string, error?: unknown): Promise<void> => {
    if (bailing) return; // later errors are fallout of the teardown
    bailing = true;
    if (error !== undefined) console.error(error);
    console.error(`${name}: ${why}; stopping`);
    await cleanUp();
    process.exit(1);
  };
  const watchdog = setTimeout(() => void bail(`did not finish within ${limitMs / 1000} s`), limitMs);
  process.once('SIGINT', () => void bail('interrupted'));
  process.once('SIGTERM', () => void bail('terminated'));
  process.on('unhandledRejection', (error) => void bail('unhandled rejection', error));
  process.on('uncaughtException', (error) => void bail('uncaught exception', error));
  try {
    await body();
  } catch (error) {
    await bail('failed', error);
  } finally {
    clearTimeout(watchdog);
    await cleanUp();
  }
}

// ---------------------------------------------------------------------------------------------
// Memory of a process, from /proc (Linux).

export interface Memory {
  /** Resident set size now, in KiB (VmRSS). */
  readonly rssKiB: number;
  /** Peak resident set size since start or the last resetPeak, in KiB (VmHWM). */
  readonly hwmKiB: number;
}

export async function readMemory(pid: number): Promise<Memory> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
    if (match?.[1] === undefined) throw new Error(`/proc/${pid}/status has no ${name}`);
    return Number(match[1]);
  };
  return { rssKiB: field('VmRSS'), hwmKiB: field('VmHWM') };
}

/** Resets VmHWM to the current RSS (Linux >= 4.0); false when the kernel refuses. */
export async function resetPeak(pid: number): Promise<boolean> {
  return writeFile(`/proc/${pid}/clear_refs`, '5').then(
    () => true,
    () => false,
  );
}

/** Samples VmRSS every `intervalMs` until stopped; returns the highest value seen, in KiB. */
export function sampleRss(pid: number, intervalMs = 50): { stop(): Promise<number> } {
  let peak = 0;
  let sampling = Promise.resolve();
  const timer = setInterval(() => {
    sampling = readMemory(pid).then(
      (m) => void (peak = Math.max(peak, m.rssKiB)),
      () => undefined,
    );
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await sampling;
      return peak;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// CPU time of processes and of the machine, from /proc (Linux).

// USER_HZ: the unit of /proc's CPU times. 100 on every Linux architecture Node runs on.
const TICKS_PER_SECOND = 100;

/** User + system CPU seconds a process has used so far (its threads included, its children not). */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // fields 14 and 15: utime, stime
}

/** Busy and total CPU seconds of the whole machine so far (all cores), from /proc/stat. */
export async function machineCpuSeconds(): Promise<{ busy: number; total: number }> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number); // user nice system idle iowait irq softirq steal
  const total = ticks.reduce((a, b) => a + b, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
}

// ---------------------------------------------------------------------------------------------
// Statistics and output.

/** The p-th percentile (0..100) with linear interpolation between the closest ranks. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

export const median = (values: readonly number[]): number => percentile(values, 50);

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

/** Milliseconds since `start` (a performance.now() value). */
export const since = (start: number): number => performance.now() - start;

/** Runs `fn` `runs` times one after the other; the milliseconds of each. */
export async function timed(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await fn();
    times.push(since(start));
  }
  return times;
}

/** The machine line every benchmark prints, so figures are read with their context. */
export function machine(): string {
  return `${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** Prefix of the one JSON line each benchmark prints; run-all collects these lines. */
export const RESULT_PREFIX = 'BENCH_RESULT ';

export function printResult(result: Record<string, unknown>): void {
  console.log(RESULT_PREFIX + JSON.stringify(result));
}
