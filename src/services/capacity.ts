// Whether new work can be taken now, for v1 processes and v2 jobs alike.
import type { Account } from '../core/accounts.js';
import { AppError } from '../core/errors.js';
import type { ServiceDeps } from './deps.js';

/**
 * The checks before new work of `account`: minutes left (402), then room in the queue (503).
 * Both are asked at once, one round trip instead of two; the first in that order that refuses answers.
 */
export async function requireRoomFor(deps: Pick<ServiceDeps, 'config' | 'queue' | 'usage'>, account: Account): Promise<void> {
  const checks = await Promise.allSettled([deps.usage.requireMinutes(account), requireCapacity(deps)]);
  for (const check of checks) if (check.status === 'rejected') throw check.reason;
}

/** 503 with Retry-After when no worker would run the work (REQUIRE_WORKER), or the queue is full. */
async function requireCapacity(deps: Pick<ServiceDeps, 'config' | 'queue'>): Promise<void> {
  const { requireWorker, maxDepth } = deps.config.queue;
  const health = await deps.queue.health();
  if (requireWorker && health.workers === 0) {
    throw new AppError('UNAVAILABLE', 'No conversion worker is running right now, so the work could not start. Retry after the seconds in Retry-After.', { retryAfterSeconds: 30 });
  }
  if (health.depth >= maxDepth) {
    throw new AppError('UNAVAILABLE', `The conversion queue is full (${health.depth} waiting). Retry after the seconds in Retry-After.`, { retryAfterSeconds: 30 });
  }
}
