// The HTTP API's part of the runtime: the services only the API uses, built on the shared core,
// and the listening app. Imported by the entries that serve HTTP (src/server.ts,
// workers/standalone.ts), never by the worker-only entry.
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger as Pino } from 'pino';
import { buildApp, type ApiDeps } from '../app.js';
import { KeyFailures } from '../core/key-failures.js';
import { liveChannel, redisLiveFeed } from '../core/v2/live-events.js';
import { redisKeyValue } from '../core/key-value.js';
import { HealthService } from '../services/health-service.js';
import { ProcessService } from '../services/process-service.js';
import { V2Service } from '../services/v2-service.js';
import { SignedUrlService } from '../services/signed-url-service.js';
import type { ServiceDeps } from '../services/deps.js';
import { markSyncListener } from '../api/v2/index.js';
import { createServer, type Server } from 'node:http';
import { TransferService } from '../services/transfer-service.js';
import type { Core } from './core.js';

/** API v2's services: the signed URLs run their jobs through the v2 service. */
function v2Services(serviceDeps: ServiceDeps): Pick<ApiDeps, 'v2' | 'signedUrls'> {
  const v2 = new V2Service(serviceDeps);
  return { v2, signedUrls: new SignedUrlService(serviceDeps, v2) };
}

/** What buildApp needs, from the API's view of the core (its Redis connection fails fast). */
export function apiDeps(core: Core): ApiDeps {
  const { config, accounts, metrics } = core;
  const { redis, serviceDeps } = core.api;
  return {
    config,
    accounts,
    processes: new ProcessService(serviceDeps),
    ...v2Services(serviceDeps),
    transfers: new TransferService(serviceDeps),
    usage: serviceDeps.usage,
    presets: serviceDeps.presets,
    webhooks: serviceDeps.webhooks,
    // Failed API-key attempts per client address, shared by every API process through Redis.
    keyFailures: new KeyFailures(redisKeyValue(redis), config.redisPrefix, config.keyFailures),
    health: new HealthService({ redis, store: serviceDeps.store, prefix: config.redisPrefix }),
    metrics,
    redisReady: () => redis.status === 'ready',
    endWaits: (error) => serviceDeps.events.endAll(error),
    // Its own subscriber connection: a subscribed connection runs no commands.
    realtime: config.server.socketIo ? { feed: redisLiveFeed(core.connect(), liveChannel(config.redisPrefix)), records: serviceDeps.tasks } : undefined,
    admin: config.adminKey === undefined ? undefined : { queues: core.api.bullQueues, slots: serviceDeps.queue },
  };
}

/** How long the start waits for Redis before it listens anyway (and answers 503 until Redis is there). */
const REDIS_START_WAIT_MS = 10_000;

export async function startApi(core: Core, log: Pino): Promise<FastifyInstance> {
  const deps = apiDeps(core);
  if (!(await connected(core.api.redis, REDIS_START_WAIT_MS))) log.warn({ waitedMs: REDIS_START_WAIT_MS }, 'Redis is not reachable yet; requests get 503 until it is');
  const app = await buildApp(deps, { logger: log });
  const { host, port, syncPort } = core.config.server;
  const sync = syncPort === 0 ? undefined : syncListener(app, core.config);
  app.addHook('onClose', async () => {
    sync?.closeAllConnections();
    await new Promise((resolve) => (sync === undefined ? resolve(undefined) : sync.close(resolve)));
  });
  await app.listen({ host, port });
  if (sync !== undefined) await new Promise<void>((resolve, reject) => sync.once('error', reject).listen(syncPort, host, () => resolve()));
  return app;
}

/**
 * The SYNC_PORT listener: the same app, every request marked so v2's GETs of jobs and tasks
 * block (wire spec 1: the Java SDK keeps only host and port of its sync base URL).
 */
function syncListener(app: FastifyInstance, config: Core['config']): Server {
  const server = createServer({ requestTimeout: config.server.requestTimeoutMs, headersTimeout: config.server.headersTimeoutMs }, (request, response) => {
    markSyncListener(request);
    app.server.emit('request', request, response);
  });
  return server;
}

/** Resolves true once the connection is ready, false after `ms` without it. */
function connected(redis: Redis, ms: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ready: boolean): void => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ready);
    };
    const onReady = (): void => done(true);
    const timer = setTimeout(() => done(false), ms);
    redis.on('ready', onReady);
  });
}
