// API keys and what each may do. Keys are kept only as SHA-256 hashes; a process records the
// hash-derived account id, so no key is ever written to Redis or a log.
import { createHash } from 'node:crypto';
import type { AccountLimits } from '../config/index.js';
import { appError } from './errors.js';

export interface Account {
  /** Stable, non-secret id derived from the key. */
  readonly id: string;
  readonly name: string | null;
  /** Where `email=true` sends the notice; null when the key has none. */
  readonly email: string | null;
  readonly limits: AccountLimits;
}

export interface AccountSpec {
  readonly key: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly limits: AccountLimits;
}

export const accountId = (key: string): string => createHash('sha256').update(key).digest('base64url').slice(0, 24);

export class AccountRegistry {
  private readonly byId = new Map<string, Account>();
  /** The largest maxsize of any key, in MiB: the limit for a file read before its key is known. */
  readonly largestMaxsizeMb: number;

  constructor(specs: readonly AccountSpec[]) {
    for (const spec of specs) {
      const id = accountId(spec.key);
      this.byId.set(id, { id, name: spec.name, email: spec.email, limits: spec.limits });
    }
    this.largestMaxsizeMb = Math.max(0, ...specs.map((s) => s.limits.maxsizeMb));
  }

  /** The account behind a process's owner id; undefined when its key was removed since. */
  get(id: string): Account | undefined {
    return this.byId.get(id);
  }

  /** The account of a key; 401 when no key was sent, 403 when it is unknown. */
  resolve(key: string | undefined): Account {
    if (key === undefined || key === '') throw appError('API_KEY_MISSING');
    const account = this.byId.get(accountId(key));
    if (account === undefined) throw appError('API_KEY_INVALID', 'The API key is invalid. Check the key you send as "Authorization: Bearer <key>" or apikey.');
    return account;
  }
}

export const KEY_PATTERN = /^[A-Za-z0-9._~-]{8,200}$/;
export const EMAIL_PATTERN = /^[^\s@<>(),;:"\\]+@[^\s@<>(),;:"\\]+\.[^\s@<>(),;:"\\]+$/;

/** Keys of API_KEYS: the server-wide limits, no name or email. */
export const plainKeys = (keys: readonly string[], limits: AccountLimits): AccountSpec[] => keys.map((key) => ({ key, name: null, email: null, limits }));

class KeysFileError extends Error {
  constructor(where: string, problem: string) {
    super(`Invalid KEYS_FILE: ${where} ${problem}`);
    this.name = 'KeysFileError';
  }
}

function limit(entry: Record<string, unknown>, where: string, field: string, fallback: number, min: number, max: number): number {
  const value = entry[field];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw new KeysFileError(where, `"${field}" must be a whole number from ${min} to ${max}`);
  return value;
}

/**
 * Pure: the parsed KEYS_FILE (a JSON array of {key, name, email, maxtime, maxsize, concurrent,
 * minutes, rate_limit: {requests, window_seconds}}) into account specs; missing limits take
 * the server defaults. Errors name the entry and the field.
 */
export function parseKeysFile(json: unknown, defaults: AccountLimits): AccountSpec[] {
  if (!Array.isArray(json)) throw new KeysFileError('the file', 'must be a JSON array of key objects');
  const seen = new Set<string>();
  return json.map((raw: unknown, index) => {
    const where = `entry ${index + 1}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new KeysFileError(where, 'must be an object');
    const entry = raw as Record<string, unknown>;
    const key = entry['key'];
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) throw new KeysFileError(where, '"key" must be 8 to 200 characters of A-Z a-z 0-9 . _ ~ -');
    if (seen.has(key)) throw new KeysFileError(where, 'repeats a key');
    seen.add(key);
    const name = entry['name'] ?? null;
    if (name !== null && typeof name !== 'string') throw new KeysFileError(where, '"name" must be a string');
    const email = entry['email'] ?? null;
    if (email !== null && (typeof email !== 'string' || !EMAIL_PATTERN.test(email))) throw new KeysFileError(where, '"email" must be an e-mail address');
    const rate = (entry['rate_limit'] ?? {}) as Record<string, unknown>;
    if (typeof rate !== 'object' || rate === null) throw new KeysFileError(where, '"rate_limit" must be an object {requests, window_seconds}');
    return {
      key,
      name,
      email,
      limits: {
        maxtimeSeconds: limit(entry, where, 'maxtime', defaults.maxtimeSeconds, 1, 7 * 86400),
        maxsizeMb: limit(entry, where, 'maxsize', defaults.maxsizeMb, 1, 1024 * 1024),
        concurrent: limit(entry, where, 'concurrent', defaults.concurrent, 1, 10000),
        minutes: limit(entry, where, 'minutes', defaults.minutes, 0, 2 ** 31 - 1),
        rateLimitRequests: limit(rate, `${where} rate_limit`, 'requests', defaults.rateLimitRequests, 0, 1_000_000),
        rateLimitWindowSeconds: limit(rate, `${where} rate_limit`, 'window_seconds', defaults.rateLimitWindowSeconds, 1, 86400),
      },
    };
  });
}
