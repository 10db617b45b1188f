// Liveness and readiness of the service as a whole, for /healthz and /readyz: Redis answers, the
// file store takes a write, and every engine of the catalog has at least one live worker.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Redis } from 'ioredis';
import { ALL_ENGINE_IDS } from '../core/catalog/index.js';
import { liveWorkers } from '../core/queue.js';
import type { FileStore } from '../core/storage/file-store.js';

export interface CheckResult {
  readonly ok: boolean;
  /** Why it failed, for operators (never a secret: messages of Redis and S3 clients). */
  readonly error?: string;
}

export interface Readiness {
  readonly ready: boolean;
  readonly checks: {
    readonly redis: CheckResult;
    readonly storage: CheckResult;
    /**
     * Live workers, per catalog engine how many of them advertise it, and per tool confinement
     * (bubblewrap, rlimits) how many use it.
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
}

const failure = (error: unknown): CheckResult => ({ ok: false, error: error instanceof Error ? error.message : String(error) });

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

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

  private async storage(): Promise<CheckResult> {
    // A small file under health/<random>/, written and removed again.
    const folder = `health/${randomBytes(8).toString('hex')}`;
    try {
      await within(this.deps.store.put(`${folder}/probe`, Readable.from([Buffer.from('ok')])), this.timeoutMs, 'the file store');
      await within(this.deps.store.deleteFolder(folder), this.timeoutMs, 'the file store');
      return { ok: true };
    } catch (error) {
      return failure(error);
    }
  }

  private async workers(): Promise<Readiness['checks']['workers']> {
    try {
      const workers = await within(liveWorkers(this.deps.redis, this.deps.prefix), this.timeoutMs, 'Redis');
      const engines = Object.fromEntries(ALL_ENGINE_IDS.map((engine) => [engine, workers.filter((w) => w.engines.includes(engine)).length]));
      const missing = ALL_ENGINE_IDS.filter((engine) => engines[engine] === 0);
      const sandboxes: Record<string, number> = {};
      for (const { sandbox } of workers) sandboxes[sandbox ?? 'unknown'] = (sandboxes[sandbox ?? 'unknown'] ?? 0) + 1;
      if (workers.length === 0) return { ok: false, error: 'no live worker', alive: 0, engines, sandboxes };
      const found = { alive: workers.length, engines, sandboxes };
      return missing.length === 0 ? { ok: true, ...found } : { ok: false, error: `no live worker runs ${missing.join(', ')}`, ...found };
    } catch (error) {
      return { ...failure(error), alive: 0, engines: {}, sandboxes: {} };
    }
  }

  async readiness(): Promise<Readiness> {
    const [redis, storage, workers] = await Promise.all([this.redis(), this.storage(), this.workers()]);
    return { ready: redis.ok && storage.ok && workers.ok, checks: { redis, storage, workers } };
  }
}
