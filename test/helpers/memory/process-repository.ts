// ProcessRepository in memory, for the fast API tests. It keeps what RedisProcessRepository does
// observably: every field goes through JSON (a record read back is a copy, undefined fields are
// absent), the step machine guards updates, claims and tokens expire, the owner's list is newest
// first (ties by id, descending, as ZREVRANGE), and each change is announced on the change feed
// asynchronously, as a Redis message would be. test/storage/process-repository.test.ts runs the
// same cases against both.
import { appError } from '../../../src/core/errors.js';
import type { ChangeFeed } from '../../../src/core/process/events.js';
import { isWellFormedId } from '../../../src/core/process/ids.js';
import type { ProcessPatch, ProcessRecord } from '../../../src/core/process/record.js';
import type { CreateOptions, ProcessRepository, UpdatedRecord, UpdateOptions, UpdateResult } from '../../../src/core/process/repository.js';
import { stepsLeadingTo, type Step } from '../../../src/core/process/steps.js';

interface Expiring<V> {
  readonly value: V;
  expiresAt: number;
}

const expiry = (ttlSeconds: number): number => Date.now() + ttlSeconds * 1000;
const encode = (fields: object): Array<[string, string]> => Object.entries(fields).flatMap(([k, v]) => (v === undefined ? [] : [[k, JSON.stringify(v)] as [string, string]]));

/** A map whose entries vanish at their expiry, read lazily. */
class ExpiringMap<V> {
  private readonly entries = new Map<string, Expiring<V>>();
  get(key: string): Expiring<V> | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined && entry.expiresAt <= Date.now()) this.entries.delete(key);
    return this.entries.get(key);
  }
  set(key: string, value: V, expiresAt: number): void {
    this.entries.set(key, { value, expiresAt });
  }
  delete(key: string): void {
    this.entries.delete(key);
  }
}

export class MemoryProcessRepository implements ProcessRepository {
  private readonly records = new ExpiringMap<Map<string, string>>();
  private readonly tokens = new ExpiringMap<string>();
  private readonly claims = new ExpiringMap<true>();
  private readonly downloads = new ExpiringMap<Set<string>>();
  /** Per owner: process id -> createdAt. */
  private readonly owners = new Map<string, Map<string, number>>();
  /** Process id -> unix seconds its files expire. */
  private readonly expiries = new Map<string, number>();
  private readonly listeners = new Set<(id: string, state: string) => void>();

  /** The feed ProcessEvents waits on: every update and delete of this repository. */
  readonly feed: ChangeFeed = {
    start: async (onChange) => {
      this.listeners.add(onChange);
    },
    close: async () => {
      this.listeners.clear();
    },
  };

  /** `state` as Redis publishes it: the step after the change (JSON), or "deleted". */
  private announce(id: string, state: string): void {
    setImmediate(() => {
      for (const listener of this.listeners) listener(id, state);
    });
  }

  async create(record: ProcessRecord, ttlSeconds: number, options: CreateOptions = {}): Promise<void> {
    const until = expiry(ttlSeconds);
    if (options.claimStartSeconds !== undefined) await this.claim(record.id, 'start', options.claimStartSeconds);
    this.records.set(record.id, new Map(encode(record)), until);
    this.tokens.set(record.uploadToken, `upload:${record.id}`, until);
    this.tokens.set(record.downloadToken, `download:${record.id}`, until);
    const owned = this.owners.get(record.owner) ?? new Map<string, number>();
    this.owners.set(record.owner, owned.set(record.id, record.createdAt));
    this.expiries.set(record.id, record.expire);
  }

  async get(id: string): Promise<ProcessRecord | undefined> {
    if (!isWellFormedId(id)) return undefined;
    const fields = this.records.get(id)?.value;
    if (fields === undefined) return undefined;
    return Object.fromEntries([...fields].map(([k, v]) => [k, JSON.parse(v) as unknown])) as unknown as ProcessRecord;
  }

  async require(id: string): Promise<ProcessRecord> {
    const record = await this.get(id);
    if (record === undefined) throw appError('PROCESS_NOT_FOUND');
    return record;
  }

  async resolveToken(token: string, kind: 'upload' | 'download'): Promise<string | undefined> {
    if (!isWellFormedId(token)) return undefined;
    const value = this.tokens.get(token)?.value;
    return value?.startsWith(`${kind}:`) === true ? value.slice(kind.length + 1) : undefined;
  }

  async update(id: string, patch: ProcessPatch, options: UpdateOptions = {}): Promise<UpdateResult> {
    const entry = this.records.get(id);
    if (entry === undefined) return { ok: false, reason: 'missing' };
    const allowed = patch.step !== undefined && options.fromSteps === undefined ? stepsLeadingTo(patch.step) : options.fromSteps;
    const current = JSON.parse(entry.value.get('step') ?? 'null') as Step;
    if (allowed !== undefined && allowed.length > 0 && !allowed.includes(current)) return { ok: false, reason: 'wrong-step', step: current };
    for (const [field, value] of encode(patch)) entry.value.set(field, value);
    if (patch.expire !== undefined) this.expiries.set(id, patch.expire);
    if (options.ttlSeconds !== undefined) entry.expiresAt = expiry(options.ttlSeconds);
    this.announce(id, entry.value.get('step') ?? 'null');
    return { ok: true };
  }

  async updateAndGet(id: string, patch: ProcessPatch, options: UpdateOptions = {}): Promise<UpdatedRecord> {
    const result = await this.update(id, patch, options);
    return result.ok ? { ok: true, record: await this.require(id) } : result;
  }

  async delete(record: ProcessRecord): Promise<void> {
    for (const map of [this.records, this.downloads]) map.delete(record.id);
    this.tokens.delete(record.uploadToken);
    this.tokens.delete(record.downloadToken);
    for (const what of ['start', 'upload']) this.claims.delete(`${what}:${record.id}`);
    this.owners.get(record.owner)?.delete(record.id);
    this.expiries.delete(record.id);
    this.announce(record.id, 'deleted');
  }

  async listByOwner(owner: string, limit: number): Promise<ProcessRecord[]> {
    const owned = this.owners.get(owner) ?? new Map<string, number>();
    const ids = [...owned].sort(([a, x], [b, y]) => y - x || (b > a ? 1 : b < a ? -1 : 0)).slice(0, limit);
    const records = await Promise.all(ids.map(([id]) => this.get(id)));
    ids.forEach(([id], i) => records[i] === undefined && owned.delete(id));
    return records.filter((r): r is ProcessRecord => r !== undefined);
  }

  async claim(id: string, what: 'start' | 'upload' | 'ended', ttlSeconds: number): Promise<boolean> {
    if (this.claims.get(`${what}:${id}`) !== undefined) return false;
    this.claims.set(`${what}:${id}`, true, expiry(ttlSeconds));
    return true;
  }

  async releaseClaim(id: string, what: 'start' | 'upload'): Promise<void> {
    this.claims.delete(`${what}:${id}`);
  }

  async claimDownload(id: string, file: string, ttlSeconds: number): Promise<boolean> {
    const files = this.downloads.get(id)?.value ?? new Set<string>();
    const first = !files.has(file);
    this.downloads.set(id, files.add(file), expiry(ttlSeconds));
    return first;
  }

  async releaseDownload(id: string, file: string): Promise<void> {
    this.downloads.get(id)?.value.delete(file);
  }

  async downloadCount(id: string): Promise<number> {
    return this.downloads.get(id)?.value.size ?? 0;
  }

  async dueForExpiry(now: number, limit: number): Promise<string[]> {
    return [...this.expiries].filter(([, at]) => at <= now).sort(([a, x], [b, y]) => x - y || (a < b ? -1 : a > b ? 1 : 0)).slice(0, limit).map(([id]) => id);
  }

  async forgetExpiry(id: string): Promise<void> {
    this.expiries.delete(id);
  }
}
