// What KEDA reads (deploy/kubernetes/components/keda): each engine class's conversion queue has
// wait and active keys that are Redis LISTs whose length is the conversions admitted but not
// taken, and those running. The fair queue's pending total is a plain counter, which KEDA's list
// trigger could not read. A key's slots are counted per class.
// On a redis-server of this file's own, with the real FairConversionQueue and a BullMQ worker.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { conversionQueueName } from '../../src/core/jobs.js';
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
  it('wait and active are lists of the waiting and the running conversions of each class; held-back ones are in neither', async () => {
    const prefix = 'kit-lists';
    const redis = new Redis(server.url, { maxRetriesPerRequest: null });
    const queue = new FairConversionQueue(redis, { prefix, attempts: 1 });
    const light = conversionQueueLists(prefix, 'light');
    const heavy = conversionQueueLists(prefix, 'heavy');
    assert.notEqual(light.wait, heavy.wait, 'each class has its own lists');
    let release = (): void => undefined;
    const running = new Promise<void>((resolve) => (release = resolve));
    const workerConnection = new Redis(server.url, { maxRetriesPerRequest: null });
    let worker: Worker | undefined;
    try {
      // Concurrent 2: two enter BullMQ, the third waits for its key's slot.
      for (const id of ['p1', 'p2', 'p3']) await queue.enqueue(id, { id: 'key-a', concurrent: 2 }, 'light');
      assert.equal(await redis.type(light.wait), 'list');
      assert.equal(await redis.llen(light.wait), 2);
      assert.equal(await redis.type(`${prefix}:slots:pending-total`), 'string', 'a counter: LLEN on it fails, so KEDA cannot watch it');
      // The same key's heavy conversion has slots of its own: admitted although its light ones wait.
      assert.equal(await queue.enqueue('v1', { id: 'key-a', concurrent: 2 }, 'heavy'), true);
      assert.equal(await redis.llen(heavy.wait), 1);
      assert.deepEqual(
        (await queue.slots()).map(({ engineClass, running: r, pending }) => [engineClass, r, pending]).sort(),
        [['heavy', 1, 0], ['light', 2, 1]],
      );

      worker = new Worker(conversionQueueName('light'), () => running, { connection: workerConnection, prefix, concurrency: 1 });
      await until(async () => (await redis.llen(light.active)) === 1, 30_000, 'the worker taking one job');
      assert.equal(await redis.type(light.active), 'list');
      assert.equal(await redis.llen(light.wait), 1, 'the other admitted one still waits');
      assert.equal(await redis.llen(heavy.wait), 1, 'a light worker leaves the heavy queue alone');
      // A freed light slot goes to the key's next light process, never to another class.
      assert.deepEqual(await queue.release('p1', { id: 'key-a', concurrent: 2 }, 'light'), ['p3']);
      assert.deepEqual(await queue.release('v1', { id: 'key-a', concurrent: 2 }, 'heavy'), []);
    } finally {
      release();
      await worker?.close();
      await queue.close();
      workerConnection.disconnect();
      redis.disconnect();
    }
  });
});
