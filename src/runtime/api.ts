// The HTTP API's part of the runtime: the services only the API uses, built on the shared core,
// and the listening app. Imported by the entries that serve HTTP (src/server.ts,
// workers/standalone.ts), never by the worker-only entry.
import type { FastifyInstance } from 'fastify';
import type { Logger as Pino } from 'pino';
import { buildApp, type ApiDeps } from '../app.js';
import { KeyFailures } from '../core/key-failures.js';
import { redisKeyValue } from '../core/key-value.js';
import { HealthService } from '../services/health-service.js';
import { ProcessService } from '../services/process-service.js';
import { TransferService } from '../services/transfer-service.js';
import type { Core } from './core.js';

/** What buildApp needs, from the shared core. */
export function apiDeps(core: Core): ApiDeps {
  const { config, redis, accounts, metrics, serviceDeps } = core;
  return {
    config,
    accounts,
    processes: new ProcessService(serviceDeps),
    transfers: new TransferService(serviceDeps),
    usage: serviceDeps.usage,
    presets: serviceDeps.presets,
    // Failed API-key attempts per client address, shared by every API process through Redis.
    keyFailures: new KeyFailures(redisKeyValue(redis), config.redisPrefix, config.keyFailures),
    health: new HealthService({ redis, store: serviceDeps.store, prefix: config.redisPrefix }),
    metrics,
    admin: config.adminKey === undefined ? undefined : { queues: core.bullQueues, slots: serviceDeps.queue },
  };
}

export async function startApi(core: Core, log: Pino): Promise<FastifyInstance> {
  const app = await buildApp(apiDeps(core), { logger: log });
  await app.listen({ host: core.config.server.host, port: core.config.server.port });
  return app;
}
