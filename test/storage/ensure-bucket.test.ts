// The file store's bucket made before the API and workers start (compose's `prepare-store`
// service): created when missing, left alone when present, waited for while the S3 service does
// not answer yet, and a clear failure when it never does. Against a local S3-compatible server.
import assert from 'node:assert/strict';
import net, { type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createS3Client } from '../../src/core/remote/s3.js';
import { ensureBucket } from '../../src/runtime/bucket.js';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.js';

let server: S3TestServer;
before(async () => {
  server = await startS3Server();
});
after(async () => server.stop());

const QUICK = { region: 'us-east-1', waitMs: 10_000, retryMs: 100 } as const;

describe('ensureBucket', () => {
  it('creates a missing bucket that then takes objects, and leaves an existing one alone', async () => {
    assert.equal(await ensureBucket(server.client, 'made-here', QUICK), 'created');
    await server.putObject('made-here', 'probe.txt', 'x');
    assert.equal(await ensureBucket(server.client, 'made-here', QUICK), 'present');
    assert.deepEqual(await server.listKeys('made-here'), ['probe.txt'], 'the existing bucket kept its objects');
  });

  it('keeps trying while the S3 service fails, then creates the bucket', async () => {
    server.failWhen = () => true;
    const failures: string[] = [];
    const result = ensureBucket(server.client, 'after-start', { ...QUICK, onRetry: (error) => failures.push(error.name) });
    setTimeout(() => {
      server.failWhen = undefined;
    }, 1000);
    assert.equal(await result, 'created');
    assert.ok(failures.length >= 1, 'the failed attempts were reported');
    assert.deepEqual(await server.listKeys('after-start'), []);
  });

  it('gives up after waitMs with the bucket, the cause and the settings to check', async () => {
    // A port nothing listens on any more: every attempt fails at once.
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const nowhere = createS3Client({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'k', secretAccessKey: 's' }, timeoutMs: 1000, maxAttempts: 1 });
    const started = Date.now();
    await assert.rejects(ensureBucket(nowhere, 'never-made', { region: 'us-east-1', waitMs: 1500, retryMs: 200 }), (error: Error) => {
      assert.match(error.message, /"never-made" could not be checked or created within 2 s/);
      assert.match(error.message, /STORAGE_URL, STORAGE_S3_ENDPOINT/);
      return true;
    });
    // A 1.5 s wait, with a generous ceiling for a busy machine.
    assert.ok(Date.now() - started < 6000, `gave up after ${Date.now() - started} ms`);
    nowhere.destroy();
  });
});
