// Account webhooks of API v2 (wire spec 11.4): per API key, a URL and the job events it hears,
// in Redis. One hash per webhook (each field JSON) and a sorted set per owner in creation order.
// The signing secret is sealed like the storage credentials (../secret-cipher.ts): a Redis dump
// or backup shows no secret, and nothing built from a record (logs, lists) can carry it, since
// records never hold it in the clear.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { appError } from '../errors.js';
import { encodeFields as encode } from '../json-hash.js';
import { nowSeconds } from '../process/lifecycle.js';
import { SecretCipherError, type SecretCipher } from '../secret-cipher.js';
import { isJobEvent, JOB_EVENTS, type JobEvent } from './job-events.js';
import { FieldReader } from './operations/fields.js';
import { InvalidDataError } from './operations/types.js';
import { isUuid } from './task-repository.js';
import { newSigningSecret } from './webhook-signature.js';

/** Most webhooks one API key may have: every job event is posted to each of them. */
export const MAX_WEBHOOKS_PER_KEY = 100;

export interface WebhookRecord {
  /** Lowercase UUID v4. */
  readonly id: string;
  /** Account id: only this key lists, deletes and is notified through the webhook. */
  readonly owner: string;
  readonly url: string;
  /** At least one; no duplicates. */
  readonly events: readonly JobEvent[];
  /** Set when the URL answered 410 Gone: no more deliveries. */
  readonly disabled: boolean;
  /** Set when a delivery failed every attempt; cleared by the next delivery that succeeds. */
  readonly failing: boolean;
  /** Unix seconds. */
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A webhook with its signing secret opened (shown only to its own key). */
export interface WebhookWithSecret {
  readonly webhook: WebhookRecord;
  readonly signingSecret: string;
}

export interface WebhookRequest {
  readonly url: string;
  readonly events: readonly JobEvent[];
}

/** Checks `POST /v2/webhooks`; throws InvalidDataError (422) naming `url` and/or `events`. */
export function checkWebhookRequest(body: unknown, allowPrivateUrls: boolean): WebhookRequest {
  const payload = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const fields = new FieldReader(payload);
  const url = fields.url('url', allowPrivateUrls, { required: true });
  const given = payload.events;
  // One event as a plain string is taken as a list of one (form bodies send it that way).
  const list = typeof given === 'string' ? [given] : given;
  const valid = `Valid events: ${JOB_EVENTS.join(', ')}.`;
  let events: JobEvent[] = [];
  if (!Array.isArray(list) || list.length === 0) fields.fail('events', `The events field is required: an array of at least one event. ${valid}`);
  else if (!list.every(isJobEvent)) fields.fail('events', `The events ${JSON.stringify(list.filter((e) => !isJobEvent(e))).slice(0, 100)} are not known. ${valid}`);
  else events = [...new Set(list)];
  fields.done();
  // Kept as given (not URL-normalized), so the list shows and filters by the client's own text.
  return { url: url === undefined ? '' : String(payload.url).trim(), events };
}


// Writes only to a webhook that still exists, so a late delivery result does not bring a
// deleted webhook back as a half record. KEYS: 1 hash. ARGV: field/value pairs.
const PATCH_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
for i = 1, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return 1
`;


export class WebhookStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly cipher: SecretCipher,
  ) {}

  private key(id: string): string {
    return `${this.prefix}:v2:wh:${id}`;
  }
  private ownerKey(owner: string): string {
    return `${this.prefix}:v2:owh:${owner}`;
  }
  private defaultSecretKey(owner: string): string {
    return `${this.prefix}:v2:whdefault:${owner}`;
  }

  /** Stores a new webhook with a new signing secret; throws InvalidDataError past MAX_WEBHOOKS_PER_KEY. */
  async create(owner: string, request: WebhookRequest): Promise<WebhookWithSecret> {
    // Counted before the write, not atomically: racing creates may pass the bound by a few, which is harmless.
    if ((await this.redis.zcard(this.ownerKey(owner))) >= MAX_WEBHOOKS_PER_KEY) {
      throw new InvalidDataError({ url: [`This API key has ${MAX_WEBHOOKS_PER_KEY} webhooks already, the most it may have. Delete one (DELETE /v2/webhooks/{id}) first.`] });
    }
    const now = nowSeconds();
    const webhook: WebhookRecord = { id: randomUUID(), owner, url: request.url, events: request.events, disabled: false, failing: false, createdAt: now, updatedAt: now };
    const signingSecret = newSigningSecret();
    const key = this.key(webhook.id);
    // The Redis key is the sealing context: a sealed secret copied to another webhook does not open.
    await this.redis.multi().hset(key, ...encode(webhook), 'secret', JSON.stringify(this.cipher.seal(signingSecret, key))).zadd(this.ownerKey(owner), Date.now(), webhook.id).exec();
    return { webhook, signingSecret };
  }

  async get(id: string): Promise<WebhookRecord | undefined> {
    if (!isUuid(id)) return undefined;
    return this.decode(await this.redis.hgetall(this.key(id)));
  }

  /** The webhook with its opened secret; undefined when it does not exist. */
  async withSecret(id: string): Promise<WebhookWithSecret | undefined> {
    if (!isUuid(id)) return undefined;
    const raw = await this.redis.hgetall(this.key(id));
    const webhook = this.decode(raw);
    if (webhook === undefined || raw.secret === undefined) return undefined;
    return { webhook, signingSecret: this.open(JSON.parse(raw.secret) as string, this.key(id)) };
  }

  /** Throws SECRETS_UNREADABLE (not retried: another attempt has the same keys) when this server's keys cannot open it. */
  private open(sealed: string, key: string): string {
    try {
      return this.cipher.open(sealed, key);
    } catch (error) {
      if (!(error instanceof SecretCipherError)) throw error;
      throw appError('SECRETS_UNREADABLE', `The signing secret of a webhook cannot be decrypted (${error.reason}: ${error.message}). Every API and worker must share the SECRETS_KEY that sealed it (or DATA_DIR/secrets-key).`, error);
    }
  }

  /** The owner's webhooks, oldest first (secrets stay sealed); ids of deleted ones are pruned. */
  async records(owner: string): Promise<WebhookRecord[]> {
    const ids = await this.redis.zrange(this.ownerKey(owner), 0, -1);
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.key(id));
    const found = ((await pipeline.exec()) ?? []).map(([, raw]) => this.decode((raw ?? {}) as Record<string, string>));
    const gone = ids.filter((_, i) => found[i] === undefined);
    if (gone.length > 0) await this.redis.zrem(this.ownerKey(owner), ...gone);
    return found.filter((w): w is WebhookRecord => w !== undefined);
  }

  /** The owner's webhooks with their secrets opened, oldest first. */
  async list(owner: string): Promise<WebhookWithSecret[]> {
    const found = await Promise.all((await this.records(owner)).map((w) => this.withSecret(w.id)));
    return found.filter((w): w is WebhookWithSecret => w !== undefined);
  }

  /** Deletes the owner's webhook; false when there is none of that id for this owner. */
  async delete(owner: string, id: string): Promise<boolean> {
    const webhook = await this.get(id);
    if (webhook === undefined || webhook.owner !== owner) return false;
    await this.redis.multi().del(this.key(id)).zrem(this.ownerKey(owner), id).exec();
    return true;
  }

  /** Sets `disabled` and/or `failing` (and updated_at) of a webhook that still exists. */
  async mark(id: string, patch: Partial<Pick<WebhookRecord, 'disabled' | 'failing'>>): Promise<void> {
    await this.redis.eval(PATCH_SCRIPT, 1, this.key(id), ...encode({ ...patch, updatedAt: nowSeconds() }));
  }

  /**
   * The secret that signs deliveries to a job's own `webhook_url` (the wire spec leaves it open):
   * the owner's oldest webhook's, so the one secret a client already verifies with works; with no
   * webhook, a per-owner secret made once and kept sealed, so the header is never missing.
   */
  async jobUrlSecret(owner: string): Promise<string> {
    const [oldest] = await this.records(owner);
    const opened = oldest === undefined ? undefined : await this.withSecret(oldest.id);
    if (opened !== undefined) return opened.signingSecret;
    const key = this.defaultSecretKey(owner);
    await this.redis.set(key, this.cipher.seal(newSigningSecret(), key), 'NX');
    const sealed = await this.redis.get(key);
    if (sealed === null) throw new Error(`the default webhook secret at ${key} vanished as it was made`);
    return this.open(sealed, key);
  }

  private decode(raw: Record<string, string>): WebhookRecord | undefined {
    if (raw.id === undefined) return undefined;
    const field = <T>(name: keyof WebhookRecord): T => JSON.parse(raw[name] ?? 'null') as T;
    return { id: field('id'), owner: field('owner'), url: field('url'), events: field('events'), disabled: field('disabled'), failing: field('failing'), createdAt: field('createdAt'), updatedAt: field('updatedAt') };
  }
}
