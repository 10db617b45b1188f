// The API built over in-memory dependencies, for tests that need no Redis, no worker and no
// listening socket: requests go through app.inject. The file store is the real local one in a
// temp DATA_DIR. What these tests can prove: routing, schemas, parameter checks, error bodies and
// the services' decisions. What they cannot: Redis scripts, queue fairness, conversions, the wire.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { DestinationStream } from 'pino';
import { buildApp, type ApiDeps } from '../../../src/app.js';
import { loadConfig, type Config } from '../../../src/config/index.js';
import { AccountRegistry } from '../../../src/core/accounts.js';
import { KeyFailures } from '../../../src/core/key-failures.js';
import { ProcessEndings } from '../../../src/core/process/endings.js';
import { ProcessEvents } from '../../../src/core/process/events.js';
import { SecretStore } from '../../../src/core/process/secrets.js';
import { PresetStore } from '../../../src/core/presets.js';
import { SecretCipher } from '../../../src/core/secret-cipher.js';
import { UsageStore } from '../../../src/core/usage.js';
import { TaskScheduler } from '../../../src/core/v2/scheduler.js';
import { TaskRepository } from '../../../src/core/v2/task-repository.js';
import { WebhookStore } from '../../../src/core/v2/webhooks.js';
import { configuredKeys } from '../../../src/runtime/api-keys.js';
import { createLogger } from '../../../src/runtime/logger.js';
import { createFileStore } from '../../../src/runtime/file-store.js';
import type { ServiceDeps } from '../../../src/services/deps.js';
import { ProcessService } from '../../../src/services/process-service.js';
import { V2Service } from '../../../src/services/v2-service.js';
import { SignedUrlService } from '../../../src/services/signed-url-service.js';
import { TransferService } from '../../../src/services/transfer-service.js';
import { OTHER_KEY, TEST_KEY } from '../test-keys.js';
import { MemoryKeyValue } from './key-value.js';
import { MemoryProcessRepository } from './process-repository.js';
import { MemoryConversionQueue, MemoryNotificationQueue } from './queues.js';

export interface MemoryApp {
  readonly app: FastifyInstance;
  readonly config: Config;
  readonly dataDir: string;
  readonly repository: MemoryProcessRepository;
  readonly queue: MemoryConversionQueue;
  /** Process ids whose cancel was published (to a worker that is not there). */
  readonly cancelled: readonly string[];
  /** app.inject, with a protocol-relative URL from a response (`//host/path`) turned into its path. */
  request(options: InjectOptions & { url: string }): Promise<LightMyRequestResponse>;
  stop(): Promise<void>;
}

/** The services over memory, as src/runtime/core.ts builds them over Redis. */
function memoryServiceDeps(config: Config, accounts: AccountRegistry, repository: MemoryProcessRepository, queue: MemoryConversionQueue, cancelled: string[]): ServiceDeps {
  const keyValue = new MemoryKeyValue();
  const usage = new UsageStore(keyValue, config.redisPrefix);
  const cipher = new SecretCipher([randomBytes(32)]);
  const secrets = new SecretStore(keyValue, config.redisPrefix, cipher);
  const notifications = new MemoryNotificationQueue();
  const endings = new ProcessEndings({ config, accounts, queue, usage, notifications, repository, secrets });
  const store = createFileStore(config);
  const publishCancel = async (id: string): Promise<void> => {
    cancelled.push(id);
  };
  // API v2 keeps its records in Redis only: over memory its routes meet a Redis that is not
  // there (503), which is all this tier can say about them.
  const absent = new Redis({ lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  const tasks = new TaskRepository(absent, config.redisPrefix, 'memory:events');
  const scheduler = new TaskScheduler({ config, accounts, tasks, processes: repository, endings, store, secrets, queue, publishCancel });
  return {
    config,
    accounts,
    repository,
    events: new ProcessEvents(repository.feed, repository),
    store,
    secrets,
    queue,
    endings,
    usage,
    presets: new PresetStore(keyValue, config.redisPrefix),
    publishCancel,
    tasks,
    scheduler,
    webhooks: new WebhookStore(absent, config.redisPrefix, cipher),
  };
}

export interface MemoryAppOptions {
  /** Where the app's log lines go (in LOG_FORMAT, at LOG_LEVEL: set LOG_LEVEL in env); default: no logger. */
  readonly logTo?: DestinationStream;
}

/** Builds the app with TEST_KEY and OTHER_KEY, a temp DATA_DIR and `env` on top (e.g. MAX_SIZE_MB). */
export async function startMemoryApp(env: Record<string, string> = {}, options: MemoryAppOptions = {}): Promise<MemoryApp> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'oc-memory-'));
  const config = loadConfig({ DATA_DIR: dataDir, API_KEYS: `${TEST_KEY},${OTHER_KEY}`, LOG_LEVEL: 'silent', ...env });
  const accounts = new AccountRegistry(await configuredKeys(config));
  const repository = new MemoryProcessRepository();
  const queue = new MemoryConversionQueue();
  const cancelled: string[] = [];
  const services = memoryServiceDeps(config, accounts, repository, queue, cancelled);
  const deps: ApiDeps = {
    config,
    accounts,
    processes: new ProcessService(services),
    v2: new V2Service(services),
    signedUrls: new SignedUrlService(services, new V2Service(services)),
    transfers: new TransferService(services),
    usage: services.usage,
    presets: services.presets,
    webhooks: services.webhooks,
    keyFailures: new KeyFailures(new MemoryKeyValue(), config.redisPrefix, config.keyFailures),
  };
  const app = await buildApp(deps, { logger: options.logTo === undefined ? false : createLogger(config.logLevel, 'test', options.logTo, config.logFormat) });
  await app.ready();
  return {
    app,
    config,
    dataDir,
    repository,
    queue,
    cancelled,
    request: (options) => app.inject({ ...options, url: options.url.replace(/^(?:https?:)?\/\/[^/]+/, '') }),
    async stop() {
      await app.close();
      await services.events.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
