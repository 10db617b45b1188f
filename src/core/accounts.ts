// API keys and what each may do. Keys are kept only as SHA-256 hashes; a process records the
// hash-derived account id, so no key is ever written to Redis or a log.
import { createHash } from 'node:crypto';
import type { AccountLimits } from '../config/index.js';
import { appError } from './errors.js';

export interface Account {
  /** Stable, non-secret id derived from the key. */
  readonly id: string;
  readonly name: string | null;
  readonly limits: AccountLimits;
}

const accountId = (key: string): string => createHash('sha256').update(key).digest('base64url').slice(0, 24);

export class AccountRegistry {
  private readonly byId = new Map<string, Account>();

  constructor(keys: readonly string[], limits: AccountLimits) {
    for (const key of keys) this.byId.set(accountId(key), { id: accountId(key), name: null, limits });
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
