// What the fair queue holds per API key, for operators (GET /admin/pending): how many of each
// key's processes hold a slot and how many wait for one. Keys are named by their KEYS_FILE name
// and a short prefix of their account id (itself a hash of the key), never by the key.
import type { AccountRegistry } from '../core/accounts.js';
import type { EngineClass } from '../core/catalog/engine-classes.js';
import type { ConversionQueue } from '../core/queue.js';

/** Characters of the account id shown: enough to tell keys apart, too few to stand for the hash. */
const SHORT_ID = 8;

export interface KeySlots {
  /** The first characters of the account id. */
  readonly account: string;
  /** The key's name in KEYS_FILE; null for API_KEYS and for keys removed since. */
  readonly name: string | null;
  /** Its limit of conversions at once (in each class); null for a key removed since. */
  readonly concurrent: number | null;
  /** The engine class of these slots: a key has its slots in each class. */
  readonly engineClass: EngineClass;
  /** Processes holding a slot: queued in BullMQ for a worker, or converting. */
  readonly running: number;
  /** Processes waiting for a slot of this key. */
  readonly pending: number;
}

export interface PendingReport {
  readonly pending: number;
  readonly running: number;
  /** Keys with anything running or pending, one entry per key and engine class, most pending first. */
  readonly keys: readonly KeySlots[];
}

export async function pendingReport(queue: Pick<ConversionQueue, 'slots'>, accounts: AccountRegistry): Promise<PendingReport> {
  const keys = (await queue.slots()).map(({ owner, engineClass, running, pending }): KeySlots => {
    const account = accounts.get(owner);
    return { account: owner.slice(0, SHORT_ID), name: account?.name ?? null, concurrent: account?.limits.concurrent ?? null, engineClass, running, pending };
  });
  keys.sort((a, b) => b.pending - a.pending || b.running - a.running || a.account.localeCompare(b.account));
  const sum = (field: 'running' | 'pending'): number => keys.reduce((total, key) => total + key[field], 0);
  return { pending: sum('pending'), running: sum('running'), keys };
}
