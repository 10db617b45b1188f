// The Redis stores against their conformance suites, on a redis-server of this file's own: the
// same suites the in-memory stores of the fast API tests pass (memory-stores.memory.test.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { Redis } from 'ioredis';
import { redisKeyValue } from '../../src/core/key-value.js';
import { redisChangeFeed } from '../../src/core/process/events.js';
import { RedisProcessRepository } from '../../src/core/process/repository.js';
import { startEmbeddedRedis, type EmbeddedRedis } from '../../src/runtime/embedded-redis.js';
import { runKeyValueConformance } from './key-value-conformance.js';
import { runProcessRepositoryConformance } from './process-repository-conformance.js';

let dir: string;
let server: EmbeddedRedis;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'oc-redis-stores-'));
  server = await startEmbeddedRedis({ dir, persistent: false });
});
after(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

runProcessRepositoryConformance('redis', async () => {
  const redis = new Redis(server.url);
  const subscriber = new Redis(server.url);
  const repository = new RedisProcessRepository(redis, 'conformance');
  return { repository, feed: redisChangeFeed(subscriber, repository.eventsChannel), cleanup: async () => void redis.disconnect() };
});

runKeyValueConformance('redis', async () => {
  const redis = new Redis(server.url);
  return { store: redisKeyValue(redis), cleanup: async () => void redis.disconnect() };
});
