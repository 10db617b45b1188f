// The operator's pages under /admin, behind ADMIN_KEY: the queue dashboard (bull-board) and the
// fair queue's pending lists. Without ADMIN_KEY they are not registered at all (404).
import type { FastifyInstance } from 'fastify';
import type { AccountRegistry } from '../../core/accounts.js';
import type { AdminDeps } from '../context.js';
import { registerRedisGuard, type RedisReady } from '../redis-guard.js';
import { dashboardRoutes } from './dashboard.js';
import { operatorGate } from './operator-session.js';
import { pendingRoutes } from './pending-routes.js';
import { ADMIN_HEADERS, CORS_HEADERS } from './security-headers.js';

export interface AdminOptions {
  readonly key: string;
  readonly writable: boolean;
  readonly admin: AdminDeps;
  readonly accounts: AccountRegistry;
  /** Whether Redis can take a command now: without it the pages answer 503 like the API. */
  readonly redisReady?: RedisReady;
}

/** Registers the routes; call inside a scope with the prefix `/admin`. */
export async function adminRoutes(app: FastifyInstance, options: AdminOptions): Promise<void> {
  // First the headers (also on a 401), then the gate; both before any route of the scope.
  app.addHook('onRequest', async (_request, reply) => {
    for (const name of CORS_HEADERS) reply.removeHeader(name);
    void reply.headers(ADMIN_HEADERS);
  });
  app.addHook('onRequest', operatorGate(options.key));
  // bull-board answers its own API's errors with 500; a Redis outage is a 503 here as elsewhere.
  registerRedisGuard(app, options.redisReady);
  pendingRoutes(app, options);
  await app.register(async (scope) => dashboardRoutes(scope, { queues: options.admin.queues, writable: options.writable, basePath: `${app.prefix}/queues` }), { prefix: '/queues' });
}
