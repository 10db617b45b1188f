// The core services every entry needs, built from config: Redis, process records and events,
// the file store, the queue and the accounts. What only the API uses (the process and transfer
// services, the key throttle, readiness) is built in ./api.ts, so a worker loads none of it.
//
// The services exist in two views, each on its own Redis connection. The worker's view waits
// through a Redis outage (commands queue until the connection is back), so a conversion in flight
// loses nothing. The API's view fails fast (no offline queue, a command timeout), so a request
// answers 503 at once instead of hanging while Redis is down (BullMQ's production guidance for
// producers). Each view is built on first use: a worker-only process never opens the API's.
import type { Queue } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import type { Config } from '../config/index.js';
import { AccountRegistry, type AccountSpec } from '../core/accounts.js';
import { cancelChannel } from '../core/jobs.js';
import { redisKeyValue } from '../core/key-value.js';
import { BullNotificationQueue } from '../core/notifications.js';
import { ProcessEndings } from '../core/process/endings.js';
import { ProcessEvents, redisChangeFeed } from '../core/process/events.js';
import { RedisProcessRepository, type ProcessRepository } from '../core/process/repository.js';
import { buildInfo } from '../core/build-info.js';
import { Metrics } from '../core/metrics.js';
import { FairConversionQueue } from '../core/queue.js';
import { PresetStore, type Preset } from '../core/presets.js';
import { UsageStore } from '../core/usage.js';
import { SecretStore } from '../core/process/secrets.js';
import { TaskScheduler } from '../core/v2/scheduler.js';
import { TaskRepository } from '../core/v2/task-repository.js';
import { webhookAnnouncer } from '../core/v2/webhook-announcer.js';
import { announceToAll, liveAnnouncer, liveChannel } from '../core/v2/live-events.js';
import { WebhookStore } from '../core/v2/webhooks.js';
import type { FileStore } from '../core/storage/file-store.js';
import type { ServiceDeps } from '../services/deps.js';
import { createFileStore } from './file-store.js';
import { loadSecretsKeyring, type SecretsKeyring } from './secrets-key.js';

/** The BullMQ queues under the services, for the operator's dashboard. */
export interface BullQueues {
  /** One per engine class (light, heavy). */
  readonly conversion: readonly Queue[];
  readonly notification: Queue;
}

/** The services on one Redis connection. */
export interface CoreView {
  readonly redis: Redis;
  readonly serviceDeps: ServiceDeps;
  readonly bullQueues: BullQueues;
}

export interface Core {
  readonly config: Config;
  /** The worker's connection (patient through outages); also for tests that inspect Redis. */
  readonly redis: Redis;
  readonly accounts: AccountRegistry;
  readonly repository: ProcessRepository;
  /** The worker's view of the services. */
  readonly serviceDeps: ServiceDeps;
  /** The API's view: the same services on a connection that fails fast when Redis is down. */
  readonly api: CoreView;
  /** This process's Prometheus metrics (API requests and, with a worker, its conversions). */
  readonly metrics: Metrics;
  /** The keys sealing stored credentials, and where they came from. */
  readonly secretsKeyring: SecretsKeyring;
  /** A new connection for a component that needs its own (subscribers, BullMQ workers). */
  connect(): Redis;
  close(): Promise<void>;
}

/** Without an offline queue a command fails at once while disconnected; the timeout covers a Redis that stopped answering. */
export const failFastRedisOptions = (config: Config): RedisOptions => ({
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  commandTimeout: config.redisCommandTimeoutMs,
});

export function createCore(config: Config, redisUrl: string, keys: readonly AccountSpec[], sharedPresets: readonly Preset[] = []): Core {
  // First, before any connection: a key file that cannot be created fails the start, not a request.
  const secretsKeyring = loadSecretsKeyring(config);
  const connections: Redis[] = [];
  const closers: Array<() => Promise<unknown>> = [];
  // maxRetriesPerRequest: null lets BullMQ's blocking commands wait through reconnects.
  const connect = (options: RedisOptions = { maxRetriesPerRequest: null }): Redis => {
    const connection = new Redis(redisUrl, options);
    connection.on('error', () => undefined); // ioredis reconnects by itself; commands report failures
    connections.push(connection);
    return connection;
  };
  const accounts = new AccountRegistry(keys);
  const store = createFileStore(config);

  const shared: Shared = { config, accounts, store, sharedPresets, secretsKeyring, closers };
  const viewOn = (redis: Redis): CoreView => ({ redis, ...servicesOn(shared, redis, connect()) });
  const worker = viewOn(connect());
  let api: CoreView | undefined;
  const apiView = (): CoreView => (api ??= viewOn(connect(failFastRedisOptions(config))));

  return {
    config,
    redis: worker.redis,
    accounts,
    repository: worker.serviceDeps.repository,
    serviceDeps: worker.serviceDeps,
    get api() {
      return apiView();
    },
    // Queue gauges read through the API's view when this process serves HTTP, so a scrape during an outage does not wait.
    secretsKeyring,
    metrics: new Metrics({ health: () => (api ?? worker).serviceDeps.queue.health(), workersPerEngine: () => (api ?? worker).serviceDeps.queue.workersPerEngine() }, buildInfo(config.buildCommit)),
    connect: () => connect(),
    async close() {
      for (const close of closers) await close();
      for (const connection of connections) connection.disconnect();
    },
  };
}

/** What both views share: one store, one set of accounts, one cipher; closers collects their ends. */
interface Shared {
  readonly config: Config;
  readonly accounts: AccountRegistry;
  readonly store: FileStore;
  readonly sharedPresets: readonly Preset[];
  readonly secretsKeyring: SecretsKeyring;
  readonly closers: Array<() => Promise<unknown>>;
}

function servicesOn({ config, accounts, store, sharedPresets, secretsKeyring, closers }: Shared, redis: Redis, subscriber: Redis): Omit<CoreView, 'redis'> {
  const keyValue = redisKeyValue(redis);
  const repository = new RedisProcessRepository(redis, config.redisPrefix);
  const events = new ProcessEvents(redisChangeFeed(subscriber, repository.eventsChannel), repository);
  const queue = new FairConversionQueue(redis, { prefix: config.redisPrefix, attempts: config.worker.attempts });
  const notifications = new BullNotificationQueue(redis, { prefix: config.redisPrefix, ...config.notifications });
  const usage = new UsageStore(keyValue, config.redisPrefix);
  const secrets = new SecretStore(keyValue, config.redisPrefix, secretsKeyring.cipher);
  const endings = new ProcessEndings({ config, accounts, queue, usage, notifications, repository, secrets });
  const publishCancel = async (id: string): Promise<void> => {
    await redis.publish(cancelChannel(config.redisPrefix), id);
  };
  // API v2: jobs and tasks beside the processes; their changes go out on the same events channel.
  // With the real-time API on, every change of a job or task is also published for the sockets.
  const live = config.server.socketIo ? liveChannel(config.redisPrefix) : undefined;
  const tasks = new TaskRepository(redis, config.redisPrefix, repository.eventsChannel, live);
  const webhooks = new WebhookStore(redis, config.redisPrefix, secretsKeyring.cipher);
  const toWebhooks = webhookAnnouncer({ webhooks, tasks, notifications });
  const announce = live === undefined ? toWebhooks : announceToAll(liveAnnouncer(redis, live, tasks), toWebhooks);
  const scheduler = new TaskScheduler({ config, accounts, tasks, processes: repository, endings, store, secrets, queue, publishCancel, announce });
  endings.whenTaskEnds((record) => scheduler.processEnded(record));
  closers.push(() => queue.close(), () => notifications.close(), () => events.close());
  const serviceDeps: ServiceDeps = {
    config,
    accounts,
    repository,
    events,
    store,
    secrets,
    queue,
    endings,
    usage,
    presets: new PresetStore(keyValue, config.redisPrefix, sharedPresets),
    publishCancel,
    tasks,
    scheduler,
    webhooks,
  };
  return { serviceDeps, bullQueues: { conversion: queue.bullQueues, notification: notifications.bullQueue } };
}
