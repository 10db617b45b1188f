// The user of GET /v2/users/me (wire spec section 10): the API key's account, with an integer id
// (PHP and .NET read it as an int; the socket channels are named after it) and its minutes left
// as integer credits.
import type { Account } from '../accounts.js';
import { isoTime, userIdOf } from './wire.js';

/** The largest credits value: .NET and PHP read credits into a 32-bit int. */
const MAX_CREDITS = 2 ** 31 - 1;

/**
 * API keys carry no creation date; a fixed one keeps the field stable across restarts and
 * API nodes (a client comparing users sees no change where there was none).
 */
const CREATED_AT_SECONDS = 0;

export function userObject(account: Account, minutesLeft: number, base: string): Record<string, unknown> {
  const id = userIdOf(account.id);
  return {
    id,
    username: account.name ?? 'openconvert',
    email: account.email,
    created_at: isoTime(CREATED_AT_SECONDS),
    credits: Math.max(0, Math.min(MAX_CREDITS, Math.floor(minutesLeft))),
    paying: false,
    task_priority: null,
    tasks_per_minute: null,
    links: { self: `${base}/v2/users/${id}` },
  };
}
