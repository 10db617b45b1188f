// Readiness of this API node, for /readyz: "this node can take requests". Redis answers and the
// file store answers (its probe: HeadBucket or a folder check, cached for a few seconds: no writes
// and at most one store request per interval, however often the probe comes). Live workers per engine
// are reported in the body but never make the node not-ready: a worker rollout or scale-to-zero
// must not take every API node out of its load balancer, since accepted conversions wait in the
// queue until a worker takes them.
import type { Redis } from 'ioredis';
import { ALL_ENGINE_IDS } from '../core/catalog/index.js';
import { countPerEngine, liveWorkers } from '../core/workers-registry.js';
import { withTimeout } from '../core/time-limit.js';
import type { FileStore } from '../core/storage/file-store.js';

export interface CheckResult {
  readonly ok: boolean;
  /** Why it failed, for operators (never a secret: messages of Redis and S3 clients). */
  readonly error?: string;
}

export interface Readiness {
  /** Redis and the store answer; the workers are information only. */
  readonly ready: boolean;
  readonly checks: {
    readonly redis: CheckResult;
    readonly storage: CheckResult;
    /**
     * Live workers, per catalog engine how many of them advertise it, and per tool confinement
     * (bubblewrap, rlimits) how many use it. `ok: false` names the engines no live worker runs;
     * conversions for them wait in the queue.
     */
    readonly workers: CheckResult & { readonly alive: number; readonly engines: Record<string, number>; readonly sandboxes: Record<string, number> };
  };
}

export interface HealthDeps {
  readonly redis: Redis;
  readonly store: FileStore;
  readonly prefix: string;
  /** Each check gives up after this long. */
  readonly timeoutMs?: number;
  /** How long one answer of the file store is reused. */
  readonly storeCheckTtlMs?: number;
}


const failure = (error: unknown): CheckResult => ({ ok: false, error: error instanceof Error ? error.message : String(error) });

const within = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> => withTimeout(promise, ms, `${what} did not answer within ${ms} ms`);

export class HealthService {
  constructor(private readonly deps: HealthDeps) {}

  private get timeoutMs(): number {
    return this.deps.timeoutMs ?? 3000;
  }

  private async redis(): Promise<CheckResult> {
    try {
      const answer = await within(this.deps.redis.ping(), this.timeoutMs, 'Redis');
      return answer === 'PONG' ? { ok: true } : { ok: false, error: `unexpected PING answer ${answer}` };
    } catch (error) {
      return failure(error);
    }
  }

  private storeCheck: { readonly result: Promise<CheckResult>; readonly at: number } | undefined;

  /** One read of the store per interval, shared by every probe that arrives meanwhile. */
  private storage(): Promise<CheckResult> {
    const now = Date.now();
    if (this.storeCheck === undefined || now - this.storeCheck.at >= (this.deps.storeCheckTtlMs ?? 10_000)) {
      const result = within(this.deps.store.probe(), this.timeoutMs, 'the file store').then(
        () => ({ ok: true }),
        (error: unknown) => failure(error),
      );
      this.storeCheck = { result, at: now };
    }
    return this.storeCheck.result;
  }

  private async workers(): Promise<Readiness['checks']['workers']> {
    try {
      const workers = await within(liveWorkers(this.deps.redis, this.deps.prefix), this.timeoutMs, 'Redis');
      const engines = countPerEngine(workers);
      const missing = ALL_ENGINE_IDS.filter((engine) => engines[engine] === 0);
      const sandboxes: Record<string, number> = {};
      for (const { sandbox } of workers) sandboxes[sandbox ?? 'unknown'] = (sandboxes[sandbox ?? 'unknown'] ?? 0) + 1;
      if (workers.length === 0) return { ok: false, error: 'no live worker: conversions wait in the queue until one starts', alive: 0, engines, sandboxes };
      const found = { alive: workers.length, engines, sandboxes };
      return missing.length === 0 ? { ok: true, ...found } : { ok: false, error: `no live worker runs ${missing.join(', ')}: those conversions wait in the queue`, ...found };
    } catch (error) {
      return { ...failure(error), alive: 0, engines: {}, sandboxes: {} };
    }
  }

  async readiness(): Promise<Readiness> {
    const [redis, storage, workers] = await Promise.all([this.redis(), this.storage(), this.workers()]);
    return { ready: redis.ok && storage.ok, checks: { redis, storage, workers } };
  }
}
