// Per-key usage (in Redis in a server): the request rate (fixed windows) and conversion minutes used.
import type { KeyValueStore } from './key-value.js';
import type { Account } from './accounts.js';
import { AppError, appError } from './errors.js';

export class UsageStore {
  constructor(
    private readonly store: KeyValueStore,
    private readonly prefix: string,
  ) {}

  /** Counts one request of the key; over its rate the request is refused with 429 and Retry-After. */
  async hit(account: Account, nowMs = Date.now()): Promise<void> {
    const { rateLimitRequests: limit, rateLimitWindowSeconds: window } = account.limits;
    if (limit === 0) return;
    const index = Math.floor(nowMs / 1000 / window);
    const key = `${this.prefix}:rate:${account.id}:${index}`;
    const count = await this.store.countWithin(key, window + 1);
    if (count > limit) {
      const retryAfterSeconds = Math.max(1, Math.ceil((index + 1) * window - nowMs / 1000));
      throw new AppError('RATE_LIMITED', `Too many requests: this API key may send ${limit} requests per ${window} s. Retry after ${retryAfterSeconds} s (Retry-After).`, { retryAfterSeconds });
    }
  }

  async minutesLeft(account: Account): Promise<number> {
    const used = Number((await this.store.get(`${this.prefix}:minutes:${account.id}`)) ?? 0);
    return Math.max(0, account.limits.minutes - used);
  }

  /** Refuses with 402 when the key has no conversion minutes left. */
  async requireMinutes(account: Account): Promise<number> {
    const left = await this.minutesLeft(account);
    if (left <= 0) throw appError('NO_MINUTES', `No conversion minutes left for this API key (it had ${account.limits.minutes}). Ask the operator to raise "minutes" in KEYS_FILE.`);
    return left;
  }

  async useMinutes(accountIdValue: string, minutes: number): Promise<void> {
    await this.store.add(`${this.prefix}:minutes:${accountIdValue}`, minutes);
  }
}
