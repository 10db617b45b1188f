// The conformance suite every FileStore backend must pass (local disk now, S3 later). A
// backend's test file calls runFileStoreConformance with a factory for a fresh, empty store.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { storageKeys, type FileStore, type StoredStream } from '../../src/core/storage/file-store.js';

/** The stream of a stored file, after checking the size that came with it. */
async function streamOf(got: Promise<StoredStream>): Promise<Readable> {
  const { stream, size } = await got;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  assert.equal(size, bytes.length, 'the size given with the stream');
  return Readable.from([bytes]);
}

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A stream that yields `size` bytes in 64 KiB chunks, then fails if `failAfter` is set. */
function generated(size: number, failAfter?: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (failAfter !== undefined && sent >= failAfter) return this.destroy(new Error('source broke'));
      if (sent >= size) return this.push(null);
      const n = Math.min(65536, size - sent);
      sent += n;
      this.push(Buffer.alloc(n, 97));
    },
  });
}

export function runFileStoreConformance(name: string, create: () => Promise<{ store: FileStore; cleanup: () => Promise<void> }>): void {
  describe(`FileStore conformance: ${name}`, () => {
    let store: FileStore;
    let cleanup: () => Promise<void>;
    let scratch: string;
    before(async () => {
      ({ store, cleanup } = await create());
      scratch = await mkdtemp(path.join(os.tmpdir(), 'oc-store-scratch-'));
    });
    after(async () => {
      await cleanup();
      await rm(scratch, { recursive: true, force: true });
    });

    it('stores a stream and reads it back with its size', async () => {
      const stored = await store.put('processes/a/input', Readable.from([Buffer.from('hello '), Buffer.from('world')]));
      assert.equal(stored.size, 11);
      assert.equal(await text(await streamOf(store.get('processes/a/input'))), 'hello world');
      assert.deepEqual(await store.stat('processes/a/input'), { size: 11 });
    });

    it('overwrites a key atomically', async () => {
      await store.put('processes/b/input', Readable.from([Buffer.from('first')]));
      await store.put('processes/b/input', Readable.from([Buffer.from('second!')]));
      assert.equal(await text(await streamOf(store.get('processes/b/input'))), 'second!');
    });

    it('refuses a stream over maxBytes with TOO_LARGE and keeps nothing', async () => {
      await assert.rejects(store.put('processes/c/input', generated(300_000), { maxBytes: 100_000 }), (e: { code?: string }) => e.code === 'TOO_LARGE');
      assert.equal(await store.stat('processes/c/input'), undefined);
    });

    it('keeps nothing when the source fails half-way', async () => {
      await assert.rejects(store.put('processes/d/input', generated(500_000, 200_000)));
      assert.equal(await store.stat('processes/d/input'), undefined);
    });

    it('keeps the previous file when an overwrite fails', async () => {
      await store.put('processes/e/input', Readable.from([Buffer.from('kept')]));
      await assert.rejects(store.put('processes/e/input', generated(500_000), { maxBytes: 10 }));
      assert.equal(await text(await streamOf(store.get('processes/e/input'))), 'kept');
    });

    it('copies local files in and out', async () => {
      const local = path.join(scratch, 'local.bin');
      await writeFile(local, 'local content');
      assert.equal((await store.putFile('processes/f/output/x%20y.png', local)).size, 13);
      const back = path.join(scratch, 'back.bin');
      assert.equal((await store.getToFile('processes/f/output/x%20y.png', back)).size, 13);
      assert.equal(await readFile(back, 'utf8'), 'local content');
    });

    it('takes the key of any valid file name, even one of 255 bytes that encodes to more', async () => {
      const local = path.join(scratch, 'long.bin');
      await writeFile(local, 'long name');
      for (const filename of [`${'a'.repeat(251)}.png`, `${'é'.repeat(125)}.png`, `${'a b'.repeat(83)}.png`]) {
        const key = storageKeys.output('long', filename);
        assert.equal((await store.put(key, Readable.from([Buffer.from('streamed')]))).size, 8, filename);
        assert.equal(await text(await streamOf(store.get(key))), 'streamed');
        assert.equal((await store.putFile(key, local)).size, 9, filename);
        assert.deepEqual(await store.stat(key), { size: 9 });
      }
      assert.notEqual(storageKeys.output('long', 'x.png'), storageKeys.output('long', 'y.png'));
      assert.notEqual(storageKeys.output('long', `${'é'.repeat(125)}.png`), storageKeys.output('long', `${'é'.repeat(124)}è.png`));
      await store.deleteFolder('processes/long');
    });

    it('answers FILE_NOT_FOUND for missing keys and undefined from stat', async () => {
      await assert.rejects(store.get('processes/none/input'), (e: { code?: string }) => e.code === 'FILE_NOT_FOUND');
      await assert.rejects(store.getToFile('processes/none/input', path.join(scratch, 'x')), (e: { code?: string }) => e.code === 'FILE_NOT_FOUND');
      assert.equal(await store.stat('processes/none/input'), undefined);
    });

    it('deletes a folder and everything in it, and tolerates a missing one', async () => {
      await store.put('processes/g/input', Readable.from([Buffer.from('1')]));
      await store.put('processes/g/output/one.png', Readable.from([Buffer.from('2')]));
      await store.put('processes/gg/input', Readable.from([Buffer.from('3')]));
      await store.deleteFolder('processes/g');
      assert.equal(await store.stat('processes/g/input'), undefined);
      assert.equal(await store.stat('processes/g/output/one.png'), undefined);
      assert.deepEqual(await store.stat('processes/gg/input'), { size: 1 }, 'a sibling with the same prefix stays');
      await store.deleteFolder('processes/never-existed');
    });

    it('refuses keys that could escape the store', async () => {
      for (const key of ['../etc/passwd', 'processes/../../x', '/abs', 'processes//x', 'processes/./x', 'a\\b']) {
        await assert.rejects(store.put(key, Readable.from([Buffer.from('x')])), `key ${key}`);
        await assert.rejects(store.get(key), `key ${key}`);
      }
    });
  });
}
