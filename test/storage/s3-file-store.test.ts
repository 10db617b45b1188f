// The S3 file store against the shared conformance suite (a local S3-compatible server), plus
// what only S3 shows: the prefix, multipart uploads that leave nothing behind, download links.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { S3FileStore } from '../../src/core/storage/s3-file-store.js';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.js';
import { runFileStoreConformance } from '../storage/file-store-conformance.js';

const PART = 5 * 1024 * 1024;
let server: S3TestServer;
let buckets = 0;

/** A fresh bucket per store, so each conformance run starts empty. */
async function freshStore(prefix: string): Promise<S3FileStore> {
  const bucket = `store-${++buckets}`;
  await server.createBucket(bucket);
  return new S3FileStore({ client: server.client, bucket, prefix, partSize: PART });
}

before(async () => {
  server = await startS3Server();
});
after(async () => server.stop());

runFileStoreConformance('S3 (with a prefix)', async () => ({ store: await freshStore('deploy/files'), cleanup: async () => undefined }));
runFileStoreConformance('S3 (bucket root)', async () => ({ store: await freshStore(''), cleanup: async () => undefined }));

describe('S3 file store: what only S3 shows', () => {
  it('keeps every object under its prefix', async () => {
    const store = await freshStore('pre/fix');
    await store.put('processes/p/input', Readable.from([Buffer.from('x')]));
    const bucket = `store-${buckets}`;
    assert.deepEqual(await server.listKeys(bucket), ['pre/fix/processes/p/input']);
  });

  it('streams a multipart upload and reads it back byte for byte', async () => {
    const store = await freshStore('');
    const data = randomBytes(PART * 2 + 12345);
    const stored = await store.put('processes/m/input', Readable.from([data.subarray(0, PART + 7), data.subarray(PART + 7)]));
    assert.equal(stored.size, data.length);
    const chunks: Buffer[] = [];
    const got = await store.get('processes/m/input');
    assert.equal(got.size, data.length);
    for await (const chunk of got.stream) chunks.push(chunk as Buffer);
    assert.ok(Buffer.concat(chunks).equals(data));
    assert.ok(server.requests.some((r) => r.method === 'POST' && r.url.includes('?uploads')), 'a multipart upload was used');
  });

  it('aborts a multipart upload that goes over the limit: no object, the upload aborted', async () => {
    const store = await freshStore('');
    const bucket = `store-${buckets}`;
    const big = Readable.from((function* () {
      for (let i = 0; i < 20; i++) yield Buffer.alloc(1024 * 1024, i);
    })());
    await assert.rejects(store.put('processes/big/input', big, { maxBytes: PART + PART / 2 }), (e: { code?: string }) => e.code === 'TOO_LARGE');
    assert.equal(await store.stat('processes/big/input'), undefined);
    // s3rver has no ListMultipartUploads: look for the create and the abort on the wire instead.
    const mine = server.requests.filter((r) => r.url.startsWith(`/${bucket}/processes/big/input?`));
    assert.ok(mine.some((r) => r.method === 'POST' && r.url.includes('uploads')), 'a multipart upload was started');
    assert.ok(mine.some((r) => r.method === 'DELETE' && r.url.includes('uploadId=')), 'and aborted');
    assert.ok(!mine.some((r) => r.method === 'POST' && r.url.includes('uploadId=')), 'never completed');
  });

  it('copies a local file of several parts in with a multipart upload, parts streamed from disk', async () => {
    const store = await freshStore('');
    const bucket = `store-${buckets}`;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'oc-s3-file-'));
    try {
      const data = randomBytes(PART * 2 + 999);
      await writeFile(path.join(dir, 'big.bin'), data);
      assert.equal((await store.putFile('processes/f/output/big.bin', path.join(dir, 'big.bin'))).size, data.length);
      const parts = server.requests.filter((r) => r.method === 'PUT' && r.url.startsWith(`/${bucket}/processes/f/output/big.bin?`) && r.url.includes('partNumber='));
      assert.deepEqual(parts.map((r) => Number(r.headers['content-length'])).sort((a, b) => a - b), [999, PART, PART]);
      await store.getToFile('processes/f/output/big.bin', path.join(dir, 'back.bin'));
      assert.ok((await readFile(path.join(dir, 'back.bin'))).equals(data));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('aborts the multipart upload of a local file when a part keeps failing: no object is left', async () => {
    const store = await freshStore('');
    const bucket = `store-${buckets}`;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'oc-s3-file-'));
    server.failWhen = (r) => r.method === 'PUT' && r.url.startsWith(`/${bucket}/`) && r.url.includes('partNumber=2');
    try {
      await writeFile(path.join(dir, 'big.bin'), randomBytes(PART * 2 + 1));
      await assert.rejects(store.putFile('processes/h/output/big.bin', path.join(dir, 'big.bin')), (e: { code?: string }) => e.code === 'UNAVAILABLE');
      assert.equal(await store.stat('processes/h/output/big.bin'), undefined);
      assert.ok(server.requests.some((r) => r.method === 'DELETE' && r.url.startsWith(`/${bucket}/processes/h/output/big.bin?uploadId=`)), 'the multipart upload was aborted');
    } finally {
      server.failWhen = undefined;
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('signs a download link that serves the file with its name', async () => {
    const store = await freshStore('links');
    await store.put('processes/l/output/a%20b.png', Readable.from([Buffer.from('png bytes')]));
    const link = await store.downloadLink('processes/l/output/a%20b.png', { filename: 'a b.png', contentType: 'image/png', inline: false, expiresSeconds: 60 });
    assert.match(link, /X-Amz-Expires=60/);
    const response = await fetch(link);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'png bytes');
    assert.match(response.headers.get('content-disposition') ?? '', /attachment; filename="a b.png"/);
  });

  it('answers UNAVAILABLE (not FILE_NOT_FOUND) when the bucket is gone', async () => {
    const store = new S3FileStore({ client: server.client, bucket: 'no-such-bucket', prefix: '', partSize: PART });
    await assert.rejects(store.get('processes/x/input'), (e: { code?: string }) => e.code === 'UNAVAILABLE');
  });
});
