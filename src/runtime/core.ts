// The core services every entry needs, built from config: Redis, process records and events,
// the file store, the queue and the accounts. What only the API uses (the process and transfer
// services, the key throttle, readiness) is built in ./api.ts, so a worker loads none of it.
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Config } from '../config/index.js';
import { AccountRegistry, type AccountSpec } from '../core/accounts.js';
import { cancelChannel } from '../core/jobs.js';
import { redisKeyValue } from '../core/key-value.js';
import { BullNotificationQueue } from '../core/notifications.js';
import { ProcessEndings } from '../core/process/endings.js';
import { ProcessEvents, redisChangeFeed } from '../core/process/events.js';
import { RedisProcessRepository, type ProcessRepository } from '../core/process/repository.js';
import { Metrics } from '../core/metrics.js';
import { FairConversionQueue } from '../core/queue.js';
import { PresetStore, type Preset } from '../core/presets.js';
import { UsageStore } from '../core/usage.js';
import { SecretStore } from '../core/process/secrets.js';
import type { ServiceDeps } from '../services/deps.js';
import { createFileStore } from './file-store.js';
import { loadSecretsKeyring, type SecretsKeyring } from './secrets-key.js';

export interface Core {
  readonly config: Config;
  readonly redis: Redis;
  readonly accounts: AccountRegistry;
  readonly repository: ProcessRepository;
  readonly serviceDeps: ServiceDeps;
  /** This process's Prometheus metrics (API requests and, with a worker, its conversions). */
  readonly metrics: Metrics;
  /** The BullMQ queues, for the operator's dashboard (read through the fair queue otherwise). */
  readonly bullQueues: { readonly conversion: Queue; readonly notification: Queue };
  /** The keys sealing stored credentials, and where they came from. */
  readonly secretsKeyring: SecretsKeyring;
  /** A new connection for a component that needs its own (subscribers, BullMQ workers). */
  connect(): Redis;
  close(): Promise<void>;
}

export function createCore(config: Config, redisUrl: string, keys: readonly AccountSpec[], sharedPresets: readonly Preset[] = []): Core {
  // First, before any connection: a key file that cannot be created fails the start, not a request.
  const secretsKeyring = loadSecretsKeyring(config);
  // maxRetriesPerRequest: null lets BullMQ's blocking commands wait through reconnects.
  const connections: Redis[] = [];
  const connect = (): Redis => {
    const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    connection.on('error', () => undefined); // ioredis reconnects by itself; commands report failures
    connections.push(connection);
    return connection;
  };
  const redis = connect();
  const keyValue = redisKeyValue(redis);
  const repository = new RedisProcessRepository(redis, config.redisPrefix);
  const events = new ProcessEvents(redisChangeFeed(connect(), repository.eventsChannel), repository);
  const queue = new FairConversionQueue(redis, { prefix: config.redisPrefix, attempts: config.worker.attempts });
  const notifications = new BullNotificationQueue(redis, { prefix: config.redisPrefix, ...config.notifications });
  const accounts = new AccountRegistry(keys);
  const usage = new UsageStore(keyValue, config.redisPrefix);
  const secrets = new SecretStore(keyValue, config.redisPrefix, secretsKeyring.cipher);
  const endings = new ProcessEndings({ config, accounts, queue, usage, notifications, repository, secrets });
  const serviceDeps: ServiceDeps = {
    config,
    accounts,
    repository,
    events,
    store: createFileStore(config),
    secrets,
    queue,
    endings,
    usage,
    presets: new PresetStore(keyValue, config.redisPrefix, sharedPresets),
    publishCancel: async (id) => {
      await redis.publish(cancelChannel(config.redisPrefix), id);
    },
  };
  return {
    config,
    redis,
    accounts,
    repository,
    serviceDeps,
    metrics: new Metrics(queue),
    bullQueues: { conversion: queue.bullQueue, notification: notifications.bullQueue },
    secretsKeyring,
    connect,
    async close() {
      await queue.close();
      await notifications.close();
      await events.close();
      for (const connection of connections) connection.disconnect();
    },
  };
}
