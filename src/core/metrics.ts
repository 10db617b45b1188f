// Prometheus metrics of one process (prom-client, a registry per process so tests can run several
// in one). Each process serves its own registry: the API on GET /metrics, a worker-only process
// on METRICS_PORT; with API and worker in one process both land in the same registry. The
// process's own metrics (CPU, memory, event loop lag, GC) keep prom-client's standard names
// (process_*, nodejs_*) so the usual Node.js dashboards work; ours start with openconvert_.
import { withTimeout } from './time-limit.js';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BuildInfo } from './build-info.js';

/** What the queue gauges read at scrape time (from Redis, so every process reports the same). */
export interface QueueProbe {
  health(): Promise<{ readonly workers: number; readonly depth: number }>;
  workersPerEngine?(): Promise<Record<string, number>>;
}

/** A scrape does not wait longer than this for Redis; the gauges are then left out, the rest is served. */
const PROBE_TIMEOUT_MS = 2000;

const withinProbeTime = <T>(promise: Promise<T>): Promise<T> => withTimeout(promise, PROBE_TIMEOUT_MS, 'Redis did not answer in time');

export const CONVERSION_RESULTS = ['finished', 'error', 'timeout', 'cancelled', 'retried'] as const;
export type ConversionResult = (typeof CONVERSION_RESULTS)[number];

const DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600];
/** Most answers take milliseconds; `?wait`, uploads and downloads may take minutes. */
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly requestDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly bytes: Counter<'direction'>;
  private readonly conversions: Counter<'engine' | 'result'>;
  private readonly failures: Counter<'engine' | 'code'>;
  private readonly duration: Histogram<'engine'>;
  private readonly wait: Histogram<'engine'>;

  /** `queue`: read at scrape time for the queue gauges; `build`: the labels of openconvert_build_info. */
  constructor(queue?: QueueProbe, build?: BuildInfo) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({ name: 'openconvert_http_requests_total', help: 'HTTP requests by method, route pattern and status', labelNames: ['method', 'route', 'status'], registers });
    this.requestDuration = new Histogram({ name: 'openconvert_http_request_duration_seconds', help: 'Time from the request to the end of the answer, by method, route pattern and status', labelNames: ['method', 'route', 'status'], buckets: REQUEST_BUCKETS, registers });
    this.bytes = new Counter({ name: 'openconvert_http_bytes_total', help: 'HTTP body bytes received (in) and sent (out) by the API', labelNames: ['direction'], registers });
    this.conversions = new Counter({ name: 'openconvert_conversions_total', help: 'Conversion attempts ended, by engine and result', labelNames: ['engine', 'result'], registers });
    this.failures = new Counter({ name: 'openconvert_conversion_failures_total', help: 'Conversions that ended in error, by engine and error code (CONVERSION_FAILED, TIMEOUT, TOO_LARGE, INPUT_UNAVAILABLE, INTERNAL...)', labelNames: ['engine', 'code'], registers });
    this.duration = new Histogram({ name: 'openconvert_conversion_duration_seconds', help: 'Run time of conversion attempts, by engine', labelNames: ['engine'], buckets: DURATION_BUCKETS, registers });
    this.wait = new Histogram({ name: 'openconvert_queue_wait_seconds', help: "Time a conversion waited in the queue before a worker took it, by engine (not the time in its key's pending list)", labelNames: ['engine'], buckets: DURATION_BUCKETS, registers });
    if (build !== undefined) {
      const info = new Gauge({ name: 'openconvert_build_info', help: 'Always 1; the labels say which version runs on which Node, from which commit when known', labelNames: ['version', 'node', 'commit'], registers });
      info.set(build.commit === undefined ? { version: build.version, node: build.node } : { version: build.version, node: build.node, commit: build.commit }, 1);
    }
    if (queue === undefined) return;
    // One Redis read per scrape serves both gauges. Without Redis they are left out of the
    // scrape (reset, no sample) rather than failing it.
    let pending: Promise<{ workers: number; depth: number } | undefined> | undefined;
    const read = () => (pending ??= withinProbeTime(queue.health()).catch(() => undefined).finally(() => setTimeout(() => (pending = undefined), 0)));
    const fromQueue = (pick: (h: { workers: number; depth: number }) => number) => async function (this: Gauge) {
      const health = await read();
      this.reset();
      if (health !== undefined) this.set(pick(health));
    };
    new Gauge({ name: 'openconvert_queue_depth', help: 'Conversions waiting for a worker (all keys)', registers, collect: fromQueue((h) => h.depth) });
    new Gauge({ name: 'openconvert_workers_active', help: 'Workers with a live heartbeat', registers, collect: fromQueue((h) => h.workers) });
    const perEngine = queue.workersPerEngine?.bind(queue);
    if (perEngine === undefined) return;
    new Gauge({
      name: 'openconvert_engine_workers',
      help: 'Live workers that run each engine (0: its conversions wait in the queue)',
      labelNames: ['engine'],
      registers,
      collect: async function () {
        const counts = await withinProbeTime(perEngine()).catch(() => undefined);
        this.reset();
        for (const [engine, count] of Object.entries(counts ?? {})) this.set({ engine }, count);
      },
    });
  }

  /** One answered request; `seconds` from its arrival to the end of the answer. */
  request(method: string, route: string, status: number, bytesIn: number, bytesOut: number, seconds?: number): void {
    const labels = { method, route, status: String(status) };
    this.requests.inc(labels);
    if (seconds !== undefined) this.requestDuration.observe(labels, Math.max(0, seconds));
    if (bytesIn > 0) this.bytes.inc({ direction: 'in' }, bytesIn);
    if (bytesOut > 0) this.bytes.inc({ direction: 'out' }, bytesOut);
  }

  conversionStarted(engine: string, waitedSeconds: number): void {
    this.wait.observe({ engine }, Math.max(0, waitedSeconds));
  }

  /** An attempt ended; `failure` is the error code when the process ended in error because of it. */
  conversionEnded(engine: string, result: ConversionResult, seconds: number, failure?: string): void {
    this.conversions.inc({ engine, result });
    this.duration.observe({ engine }, seconds);
    if (failure !== undefined) this.failures.inc({ engine, code: failure });
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
