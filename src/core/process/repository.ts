// Process records and their Redis implementation: one hash per process (each field JSON), token and owner indexes, and
// an expiry index for the sweeper. Every update is one Lua script that checks the step
// transition, writes, and publishes an event, so waiters never miss a change.
import type { Redis } from 'ioredis';
import { stateGuard } from '../guarded-update.js';
import { decodeFields, encodeFields } from '../json-hash.js';
import { appError } from '../errors.js';
import type { ProcessPatch, ProcessRecord } from './record.js';
import { isWellFormedId } from './ids.js';
import { stepsLeadingTo, type Step } from './steps.js';

// KEYS: 1 process hash, 2 expiry index. ARGV: 1 allowed current steps (JSON strings joined by
// "|", empty = any), 2 channel, 3 id, 4 new expire ("" = unchanged), 5 TTL seconds ("" = none),
// 6 "1" to answer the updated record, 7.. field/value pairs. Returns "ok" (or the record's
// fields and values), "missing" or the current step when it does not allow the update.
const UPDATE_SCRIPT = `${stateGuard('step')}
for i = 7, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
if ARGV[4] ~= '' then redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3]) end
if ARGV[5] ~= '' then redis.call('EXPIRE', KEYS[1], ARGV[5]) end
local step = redis.call('HGET', KEYS[1], 'step')
redis.call('PUBLISH', ARGV[2], ARGV[3] .. ' ' .. step)
if ARGV[6] == '1' then return redis.call('HGETALL', KEYS[1]) end
return 'ok'
`;

export interface UpdateOptions {
  /** The update applies only when the current step is one of these. Default: any step. */
  readonly fromSteps?: readonly Step[];
  /** Keep the record this many more seconds (set when a process ends). */
  readonly ttlSeconds?: number;
}

export type UpdateResult = { readonly ok: true } | UpdateRefused;
export type UpdateRefused = { readonly ok: false; readonly reason: 'missing' } | { readonly ok: false; readonly reason: 'wrong-step'; readonly step: Step };
/** An update that answers the record as it left it. */
export type UpdatedRecord = { readonly ok: true; readonly record: ProcessRecord } | UpdateRefused;

/**
 * The process records as the services and the worker use them. Redis in every running server
 * (RedisProcessRepository); an in-memory one lets the API's input checks run without Redis in tests.
 */
export interface CreateOptions {
  /**
   * Also takes the record's start claim for this many seconds, in the same write (as
   * `claim(id, 'start', n)` would): for a creator that starts the process at once.
   */
  readonly claimStartSeconds?: number;
}

export interface ProcessRepository {
  /** Stores a new record with its upload and download tokens; all of it goes after `ttlSeconds`. */
  create(record: ProcessRecord, ttlSeconds: number, options?: CreateOptions): Promise<void>;
  /** The record, or undefined for an unknown or malformed id. */
  get(id: string): Promise<ProcessRecord | undefined>;
  /** Like get, but a missing process is the API's 404 (PROCESS_NOT_FOUND). */
  require(id: string): Promise<ProcessRecord>;
  /** Resolves an upload or download token to its process id (undefined when unknown or of the other kind). */
  resolveToken(token: string, kind: 'upload' | 'download'): Promise<string | undefined>;
  /**
   * Applies `patch` atomically when the current step allows it (the step machine, or
   * `options.fromSteps`) and tells every waiter of the process.
   */
  update(id: string, patch: ProcessPatch, options?: UpdateOptions): Promise<UpdateResult>;
  /** Like update, and answers the record as this update left it, in the same round trip. */
  updateAndGet(id: string, patch: ProcessPatch, options?: UpdateOptions): Promise<UpdatedRecord>;
  /** Removes the record, its tokens, claims and index entries, and tells its waiters. */
  delete(record: ProcessRecord): Promise<void>;
  /** The owner's processes, newest first, at most `limit`. */
  listByOwner(owner: string, limit: number): Promise<ProcessRecord[]>;
  /** Takes a one-time claim; false when it was taken already (racing requests get a clean 400). */
  claim(id: string, what: 'start' | 'upload' | 'ended', ttlSeconds: number): Promise<boolean>;
  releaseClaim(id: string, what: 'start' | 'upload'): Promise<void>;
  /** Claims the one download of `file`; false when it was claimed already. */
  claimDownload(id: string, file: string, ttlSeconds: number): Promise<boolean>;
  /** Gives back the claim of a download that did not complete. */
  releaseDownload(id: string, file: string): Promise<void>;
  /** How many distinct files of a process have been claimed for download. */
  downloadCount(id: string): Promise<number>;
  /** Ids whose files are due for removal at `now` (unix seconds), at most `limit`. */
  dueForExpiry(now: number, limit: number): Promise<string[]>;
  forgetExpiry(id: string): Promise<void>;
}

/** The script's answer when it did not update: "missing", or the step that does not allow it. */
function refusal(result: string): UpdateRefused {
  return result === 'missing' ? { ok: false, reason: 'missing' } : { ok: false, reason: 'wrong-step', step: JSON.parse(result) as Step };
}

export class RedisProcessRepository implements ProcessRepository {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Channel carrying `<id> "<step>"` (the step as stored, JSON) for every change, and `<id> deleted`. */
  get eventsChannel(): string {
    return `${this.prefix}:events`;
  }

  private key(id: string): string {
    return `${this.prefix}:p:${id}`;
  }
  private tokenKey(token: string): string {
    return `${this.prefix}:t:${token}`;
  }
  private ownerKey(owner: string): string {
    return `${this.prefix}:o:${owner}`;
  }
  private claimKey(id: string, what: 'start' | 'upload' | 'ended'): string {
    return `${this.prefix}:claim:${what}:${id}`;
  }
  /** Sorted set of process ids by the unix time their files expire. */
  get expiryKey(): string {
    return `${this.prefix}:expiry`;
  }

  async create(record: ProcessRecord, ttlSeconds: number, options: CreateOptions = {}): Promise<void> {
    const fields = encodeFields(record);
    const multi = this.redis
      .multi()
      .hset(this.key(record.id), ...fields)
      .expire(this.key(record.id), ttlSeconds)
      .set(this.tokenKey(record.uploadToken), `upload:${record.id}`, 'EX', ttlSeconds)
      .set(this.tokenKey(record.downloadToken), `download:${record.id}`, 'EX', ttlSeconds)
      .zadd(this.expiryKey, record.expire, record.id);
    // A v2 task's process is listed as the task, not among the key's v1 processes.
    if (record.task === undefined) multi.zadd(this.ownerKey(record.owner), record.createdAt, record.id);
    if (options.claimStartSeconds !== undefined) multi.set(this.claimKey(record.id, 'start'), '1', 'EX', options.claimStartSeconds, 'NX');
    await multi.exec();
  }

  async get(id: string): Promise<ProcessRecord | undefined> {
    if (!isWellFormedId(id)) return undefined;
    return decodeFields<ProcessRecord>(await this.redis.hgetall(this.key(id)));
  }

  /** Like get, but a missing process is the API's 404. */
  async require(id: string): Promise<ProcessRecord> {
    const record = await this.get(id);
    if (record === undefined) throw appError('PROCESS_NOT_FOUND');
    return record;
  }

  /** Resolves an upload or download token to its process id. */
  async resolveToken(token: string, kind: 'upload' | 'download'): Promise<string | undefined> {
    if (!isWellFormedId(token)) return undefined;
    const value = await this.redis.get(this.tokenKey(token));
    if (value === null || !value.startsWith(`${kind}:`)) return undefined;
    return value.slice(kind.length + 1);
  }

  async update(id: string, patch: ProcessPatch, options: UpdateOptions = {}): Promise<UpdateResult> {
    const result = await this.runUpdate(id, patch, options, false);
    return Array.isArray(result) || result === 'ok' ? { ok: true } : refusal(result);
  }

  async updateAndGet(id: string, patch: ProcessPatch, options: UpdateOptions = {}): Promise<UpdatedRecord> {
    const result = await this.runUpdate(id, patch, options, true);
    if (!Array.isArray(result)) return refusal(result);
    const fields: Record<string, string> = {};
    for (let i = 0; i + 1 < result.length; i += 2) fields[result[i]!] = result[i + 1]!;
    const record = decodeFields<ProcessRecord>(fields);
    // The script answered the hash it has just written: it cannot be empty.
    if (record === undefined) throw new Error(`process ${id} read back empty after its update`);
    return { ok: true, record };
  }

  /** The update script; answers "ok", a refusal, or with `read` the record's fields and values. */
  private async runUpdate(id: string, patch: ProcessPatch, options: UpdateOptions, read: boolean): Promise<string | string[]> {
    const allowed = patch.step !== undefined && options.fromSteps === undefined ? stepsLeadingTo(patch.step) : options.fromSteps;
    const pairs = encodeFields(patch);
    return (await this.redis.eval(
      UPDATE_SCRIPT,
      2,
      this.key(id),
      this.expiryKey,
      (allowed ?? []).map((s) => JSON.stringify(s)).join('|'),
      this.eventsChannel,
      id,
      patch.expire === undefined ? '' : String(patch.expire),
      options.ttlSeconds === undefined ? '' : String(options.ttlSeconds),
      read ? '1' : '',
      ...pairs,
    )) as string | string[];
  }

  async delete(record: ProcessRecord): Promise<void> {
    await this.redis
      .multi()
      .del(
        this.key(record.id),
        this.tokenKey(record.uploadToken),
        this.tokenKey(record.downloadToken),
        `${this.prefix}:dl:${record.id}`,
        this.claimKey(record.id, 'start'),
        this.claimKey(record.id, 'upload'),
      )
      .zrem(this.ownerKey(record.owner), record.id)
      .zrem(this.expiryKey, record.id)
      .publish(this.eventsChannel, `${record.id} deleted`)
      .exec();
  }

  /** The owner's processes, newest first; ids whose records expired are pruned on the way. */
  async listByOwner(owner: string, limit: number): Promise<ProcessRecord[]> {
    const ids = await this.redis.zrevrange(this.ownerKey(owner), 0, limit - 1);
    const records = await Promise.all(ids.map((id) => this.get(id)));
    const gone = ids.filter((_, i) => records[i] === undefined);
    if (gone.length > 0) await this.redis.zrem(this.ownerKey(owner), ...gone);
    return records.filter((r): r is ProcessRecord => r !== undefined);
  }

  /**
   * Takes a one-time claim ("start", "upload") on a process; false when already taken. Claims
   * make a second start or a second upload a clean 400 even when requests race.
   */
  async claim(id: string, what: 'start' | 'upload' | 'ended', ttlSeconds: number): Promise<boolean> {
    return (await this.redis.set(this.claimKey(id, what), '1', 'EX', ttlSeconds, 'NX')) === 'OK';
  }

  async releaseClaim(id: string, what: 'start' | 'upload'): Promise<void> {
    await this.redis.del(this.claimKey(id, what));
  }

  /**
   * Claims the one download of `file` of a process; false when it was claimed already. Taken
   * before the file is sent, so a request racing the first download cannot get the file too.
   */
  async claimDownload(id: string, file: string, ttlSeconds: number): Promise<boolean> {
    const key = `${this.prefix}:dl:${id}`;
    const results = await this.redis.multi().sadd(key, file).expire(key, ttlSeconds).exec();
    return Number(results?.[0]?.[1] ?? 0) === 1;
  }

  /** Gives back the claim of a download that did not complete. */
  async releaseDownload(id: string, file: string): Promise<void> {
    await this.redis.srem(`${this.prefix}:dl:${id}`, file);
  }

  /** How many distinct files of a process have been claimed for download. */
  async downloadCount(id: string): Promise<number> {
    return this.redis.scard(`${this.prefix}:dl:${id}`);
  }

  /** Ids whose files are due for removal at `now` (unix seconds). */
  async dueForExpiry(now: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.expiryKey, 0, now, 'LIMIT', 0, limit);
  }

  async forgetExpiry(id: string): Promise<void> {
    await this.redis.zrem(this.expiryKey, id);
  }
}
