// Failed API-key attempts per client address, in Redis: after `limit` unknown keys within a
// window, every key request from that address gets 429 until the window ends. Redis, not memory,
// because the API scales out: with per-process counters, N API processes behind a load balancer
// would allow N times the guesses. A correct key from another address is never held back.
import { isIP } from 'node:net';
import type { KeyValueStore } from './key-value.js';
import type { KeyFailureLimits } from '../config/index.js';
import { AppError } from './errors.js';
import { ipv6Words } from './net/address-guard.js';

/**
 * The address a throttle counts: IPv4 as it is, IPv6 by its /64 (one subscriber's network: an
 * attacker there has billions of addresses, each would otherwise get its own allowance).
 */
export function clientBucket(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  const words = ipv6Words(ip.replace(/%.*$/, ''));
  // An IPv4 client of a dual-stack listener shows as ::ffff:a.b.c.d: it is that one IPv4 address.
  const [w0, w1, w2, w3, w4, w5, w6 = 0, w7 = 0] = words;
  if ([w0, w1, w2, w3, w4].every((w) => w === 0) && w5 === 0xffff) return `${w6 >> 8}.${w6 & 255}.${w7 >> 8}.${w7 & 255}`;
  return `${words.slice(0, 4).map((w) => w.toString(16)).join(':')}::/64`;
}

export class KeyFailures {
  constructor(
    private readonly store: KeyValueStore,
    private readonly prefix: string,
    private readonly limits: KeyFailureLimits,
  ) {}

  private window(nowMs: number): { index: number; retryAfterSeconds: number } {
    const { windowSeconds } = this.limits;
    const index = Math.floor(nowMs / 1000 / windowSeconds);
    return { index, retryAfterSeconds: Math.max(1, Math.ceil((index + 1) * windowSeconds - nowMs / 1000)) };
  }

  private key(client: string, index: number): string {
    return `${this.prefix}:keyfail:${clientBucket(client)}:${index}`;
  }

  /** 429 with Retry-After when `client` sent `limit` unknown keys in the current window. */
  async assertAllowed(client: string, nowMs = Date.now()): Promise<void> {
    if (this.limits.limit === 0) return;
    const { index, retryAfterSeconds } = this.window(nowMs);
    const failures = Number((await this.store.get(this.key(client, index))) ?? 0);
    if (failures >= this.limits.limit) {
      throw new AppError('RATE_LIMITED', `Too many requests with an invalid API key from your address (${failures} in ${this.limits.windowSeconds} s). Retry after ${retryAfterSeconds} s (Retry-After) with a valid key.`, { retryAfterSeconds });
    }
  }

  /** Counts one unknown key sent by `client`. */
  async record(client: string, nowMs = Date.now()): Promise<void> {
    if (this.limits.limit === 0) return;
    await this.store.countWithin(this.key(client, this.window(nowMs).index), this.limits.windowSeconds + 1);
  }
}
