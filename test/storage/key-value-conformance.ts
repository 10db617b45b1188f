// The conformance suite of KeyValueStore (usage counters, key throttle, presets, secrets): Redis
// in every server, memory in the fast API tests. Both must pass it.
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { KeyValueStore } from '../../src/core/key-value.js';

export function runKeyValueConformance(name: string, create: () => Promise<{ store: KeyValueStore; cleanup: () => Promise<void> }>): void {
  describe(`KeyValueStore conformance: ${name}`, () => {
    let store: KeyValueStore;
    let cleanup: () => Promise<void>;
    before(async () => {
      ({ store, cleanup } = await create());
    });
    after(() => cleanup());

    it('reads back a value until its TTL runs out, and nothing after a delete', async () => {
      assert.equal(await store.get('kv:absent'), undefined);
      await store.setWithTtl('kv:a', 'one', 60);
      await store.setWithTtl('kv:short', 'gone soon', 1);
      assert.equal(await store.get('kv:a'), 'one');
      await store.delete('kv:a', 'kv:absent');
      assert.equal(await store.get('kv:a'), undefined);
      await delay(1100);
      assert.equal(await store.get('kv:short'), undefined);
    });

    it('counts from 0 within a window, and adds to a counter kept without expiry', async () => {
      assert.equal(await store.countWithin('kv:count', 60), 1);
      assert.equal(await store.countWithin('kv:count', 60), 2);
      assert.equal(await store.get('kv:count'), '2');
      await store.add('kv:total', 5);
      await store.add('kv:total', 2);
      assert.equal(await store.get('kv:total'), '7');
    });

    it('keeps the fields of a hash, and says whether a deleted field was there', async () => {
      assert.deepEqual(await store.hashGetAll('kv:hash'), {});
      await store.hashSet('kv:hash', 'x', '1');
      await store.hashSet('kv:hash', 'y', '2');
      assert.equal(await store.hashGet('kv:hash', 'x'), '1');
      assert.equal(await store.hashGet('kv:hash', 'z'), undefined);
      assert.deepEqual(await store.hashGetAll('kv:hash'), { x: '1', y: '2' });
      assert.equal(await store.hashDelete('kv:hash', 'x'), true);
      assert.equal(await store.hashDelete('kv:hash', 'x'), false);
      assert.deepEqual(await store.hashGetAll('kv:hash'), { y: '2' });
    });
  });
}
