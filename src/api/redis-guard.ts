// Fail fast while Redis is down: a route that needs Redis answers 503 with Retry-After before it
// reads the body, instead of taking an upload it cannot record. Routes that serve from memory
// (the catalog) say so with `config: { needsRedis: false }` and keep answering. A request that was
// already running when Redis went away gets the same 503 from the error handler.
import type { FastifyInstance } from 'fastify';
import { redisUnavailable } from '../core/redis-outage.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false for routes that never touch Redis; they keep answering during an outage. */
    needsRedis?: boolean;
  }
}

/** Whether the API's Redis connection can take a command now. */
export type RedisReady = () => boolean;

export function registerRedisGuard(app: FastifyInstance, ready: RedisReady | undefined): void {
  if (ready === undefined) return;
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.needsRedis === false) return;
    if (!ready()) throw redisUnavailable();
  });
}
