// Starts a conversion worker (and the expiry sweeper) on top of the core services.
import type { Logger as Pino } from 'pino';
import type { Core } from '../src/runtime/index.js';
import { Sweeper } from '../src/services/sweeper.js';
import { ConversionWorker } from './conversion-worker.js';
import { createEngines } from './converters/registry.js';
import { createInputAdapters } from './inputs/index.js';

export interface RunningWorker {
  close(): Promise<void>;
}

export async function startWorker(core: Core, log: Pino): Promise<RunningWorker> {
  const { config } = core;
  const worker = new ConversionWorker({
    config,
    accounts: core.accounts,
    repository: core.repository,
    services: {
      store: core.serviceDeps.store,
      inputs: createInputAdapters(core.serviceDeps.store, {
        allowPrivate: config.input.allowPrivateUrls,
        timeoutMs: config.input.downloadTimeoutMs,
        maxRedirects: config.input.maxRedirects,
      }),
      engines: createEngines({ image: { maxPixels: config.image.maxPixels }, media: config.media }),
    },
    connection: core.connect(),
    eventsConnection: core.connect(),
    subscriber: core.connect(),
    log,
  });
  await worker.waitUntilReady();
  const sweeper = new Sweeper(core.serviceDeps, log);
  sweeper.start();
  return {
    async close() {
      await sweeper.stop();
      await worker.close();
    },
  };
}
