// What KEDA reads (deploy/kubernetes/components/keda): the conversion queue's wait and active
// keys are Redis LISTs whose length is the conversions admitted but not taken, and those running.
// The fair queue's pending total is a plain counter, which KEDA's list trigger could not read.
// On a redis-server of this file's own, with the real FairConversionQueue and a BullMQ worker.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUES } from '../../src/core/jobs.js';
import { conversionQueueLists, FairConversionQueue } from '../../src/core/queue.js';
import { startEmbeddedRedis, type EmbeddedRedis } from '../../src/runtime/embedded-redis.js';
import { until } from '../helpers/wait.js';

let dir: string;
let server: EmbeddedRedis;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'oc-queue-lists-'));
  server = await startEmbeddedRedis({ dir, persistent: false });
});
after(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the conversion queue as an autoscaler sees it in Redis', () => {
  it('wait and active are lists of the waiting and the running conversions; held-back ones are in neither', async () => {
    const prefix = 'kit-lists';
    const redis = new Redis(server.url, { maxRetriesPerRequest: null });
    const queue = new FairConversionQueue(redis, { prefix, attempts: 1 });
    const lists = conversionQueueLists(prefix);
    let release = (): void => undefined;
    const running = new Promise<void>((resolve) => (release = resolve));
    const workerConnection = new Redis(server.url, { maxRetriesPerRequest: null });
    let worker: Worker | undefined;
    try {
      // Concurrent 2: two enter BullMQ, the third waits for its key's slot.
      for (const id of ['p1', 'p2', 'p3']) await queue.enqueue(id, { id: 'key-a', concurrent: 2 });
      assert.equal(await redis.type(lists.wait), 'list');
      assert.equal(await redis.llen(lists.wait), 2);
      assert.equal(await redis.type(`${prefix}:slots:pending-total`), 'string', 'a counter: LLEN on it fails, so KEDA cannot watch it');

      worker = new Worker(QUEUES.conversion, () => running, { connection: workerConnection, prefix, concurrency: 1 });
      await until(async () => (await redis.llen(lists.active)) === 1, 30_000, 'the worker taking one job');
      assert.equal(await redis.type(lists.active), 'list');
      assert.equal(await redis.llen(lists.wait), 1, 'the other admitted one still waits');
    } finally {
      release();
      await worker?.close();
      await queue.close();
      workerConnection.disconnect();
      redis.disconnect();
    }
  });
});
