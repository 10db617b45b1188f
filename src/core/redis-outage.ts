// A Redis that is down or not answering, as the API's fail-fast connection reports it: the
// request cannot be served now, nothing was changed, and a retry in a few seconds may succeed.
// Mapped to 503 with Retry-After at the API edge, never to a 500.
import { AppError } from './errors.js';

/** Seconds a client should wait before it retries: ioredis tries to reconnect at least every 2 s. */
export const REDIS_RETRY_AFTER_SECONDS = 5;

// What ioredis says when a command cannot be sent or answered: no offline queue while
// disconnected, the connection dropped under the command, the command timeout, retries used up.
const OUTAGE_MESSAGES = [/enableOfflineQueue/, /^Connection is closed\.?$/, /^Command timed out$/, /^Reached the max retries per request limit/];

export function isRedisOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  return OUTAGE_MESSAGES.some((pattern) => pattern.test(error.message));
}

export function redisUnavailable(cause?: unknown): AppError {
  return new AppError('UNAVAILABLE', `The server cannot reach its database (Redis) at the moment, so nothing was done. Retry in ${REDIS_RETRY_AFTER_SECONDS} seconds; if it persists, the operator should check Redis.`, { cause, retryAfterSeconds: REDIS_RETRY_AFTER_SECONDS });
}
