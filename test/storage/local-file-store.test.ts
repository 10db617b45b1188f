// The local-disk file store against the shared conformance suite, plus what only disk shows.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { it } from 'node:test';
import { LocalFileStore } from '../../src/core/storage/local-file-store.js';
import { runFileStoreConformance } from './file-store-conformance.js';

runFileStoreConformance('local disk', async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'oc-store-'));
  return { store: new LocalFileStore(root), cleanup: () => rm(root, { recursive: true, force: true }) };
});

it('local disk: a failed write leaves no partial file in the folder', async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'oc-store-'));
  const store = new LocalFileStore(root);
  await assert.rejects(store.put('processes/p/input', Readable.from([Buffer.alloc(5000)]), { maxBytes: 100 }));
  assert.deepEqual(await readdir(path.join(root, 'processes/p')), []);
  await rm(root, { recursive: true, force: true });
});
