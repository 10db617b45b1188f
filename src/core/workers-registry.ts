// The live workers: each worker's heartbeat in Redis, with the engines it runs and how it
// confines its tools, so the API can answer 503 when no worker is alive and /readyz can say which
// engines have none.
import type { Redis } from 'ioredis';
import { ALL_ENGINE_IDS } from './catalog/engines.js';

/** Per catalog engine, how many of `workers` advertise it. */
export const countPerEngine = (workers: readonly LiveWorker[]): Record<string, number> =>
  Object.fromEntries(ALL_ENGINE_IDS.map((engine) => [engine, workers.filter((w) => w.engines.includes(engine)).length]));

/** Sorted set of worker ids scored by when their heartbeat expires (ms). */
export const workersKey = (prefix: string): string => `${prefix}:workers`;
/** Hash of worker id -> the engines it runs (comma-separated), written with each heartbeat. */
export const workerEnginesKey = (prefix: string): string => `${prefix}:workers:engines`;

/** Hash of worker id -> how it confines its tools (bubblewrap, rlimits), written with each heartbeat. */
export const workerSandboxKey = (prefix: string): string => `${prefix}:workers:sandbox`;

export interface LiveWorker {
  readonly id: string;
  readonly engines: readonly string[];
  /** How the worker confines its tools; undefined for a worker that does not say. */
  readonly sandbox: string | undefined;
}

/** The workers whose heartbeat has not expired, with the engines each advertises. */
export async function liveWorkers(redis: Redis, prefix: string): Promise<LiveWorker[]> {
  const ids = await redis.zrangebyscore(workersKey(prefix), Date.now(), '+inf');
  if (ids.length === 0) return [];
  const [engines, sandboxes] = await Promise.all([redis.hmget(workerEnginesKey(prefix), ...ids), redis.hmget(workerSandboxKey(prefix), ...ids)]);
  return ids.map((id, i) => ({ id, engines: (engines[i] ?? '').split(',').filter((e) => e !== ''), sandbox: sandboxes[i] ?? undefined }));
}

/** A worker's heartbeat, so the API can answer 503 when no worker is alive. */
export class WorkerHeartbeat {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly workerId: string,
    private readonly engines: readonly string[] = [],
    /** How this worker confines its tools, for /readyz. */
    private readonly sandbox: string | undefined = undefined,
    private readonly intervalMs = 5000,
  ) {}

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat().catch(() => undefined), this.intervalMs);
    this.timer.unref();
  }

  private async beat(): Promise<void> {
    const now = Date.now();
    const expired = (await this.redis.zrangebyscore(workersKey(this.prefix), 0, now)).filter((id) => id !== this.workerId);
    const batch = this.redis.multi().zadd(workersKey(this.prefix), now + 3 * this.intervalMs, this.workerId).zremrangebyscore(workersKey(this.prefix), 0, now);
    batch.hset(workerEnginesKey(this.prefix), this.workerId, this.engines.join(','));
    if (this.sandbox !== undefined) batch.hset(workerSandboxKey(this.prefix), this.workerId, this.sandbox);
    if (expired.length > 0) batch.hdel(workerEnginesKey(this.prefix), ...expired).hdel(workerSandboxKey(this.prefix), ...expired);
    await batch.exec();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.redis.multi().zrem(workersKey(this.prefix), this.workerId).hdel(workerEnginesKey(this.prefix), this.workerId).hdel(workerSandboxKey(this.prefix), this.workerId).exec().catch(() => null);
  }
}
