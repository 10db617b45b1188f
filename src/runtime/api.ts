// Starts the HTTP API on the configured port.
import type { FastifyInstance } from 'fastify';
import type { Logger as Pino } from 'pino';
import { buildApp } from '../app.js';
import type { Core } from './core.js';

export async function startApi(core: Core, log: Pino): Promise<FastifyInstance> {
  const { usage, presets } = core.serviceDeps;
  const app = await buildApp({ config: core.config, accounts: core.accounts, processes: core.processes, transfers: core.transfers, usage, presets, keyFailures: core.keyFailures, health: core.health, metrics: core.metrics }, { logger: log });
  await app.listen({ host: core.config.server.host, port: core.config.server.port });
  return app;
}
