// export/s3's object fields (wire spec 6.3) against s3rver: cache_control and metadata are stored
// and read back; server_side_encryption and tagging, which s3rver does not keep, are asserted on
// the wire (its request log); `%d` in key numbers several files; bad values get a 422 per field.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { SVG, multiPageTiff } from '../helpers/fixtures.js';
import { auth, postJson } from '../helpers/http.js';
import { S3_KEY_ID, startS3Server, type S3TestServer } from '../helpers/s3-server.js';
import { S3_SECRET } from '../helpers/storage-process.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type Obj, runJob as runV2Job } from '../helpers/v2-jobs.js';


describe('export/s3 object fields', { timeout: 300_000 }, () => {
  let server: TestServer;
  let s3: S3TestServer;
  before(async () => {
    s3 = await startS3Server(['out-bucket']);
    server = await startTestServer({ env: { ALLOW_PRIVATE_URLS: 'true' } });
  });
  after(async () => {
    await server?.stop();
    await s3?.stop();
  });
  const bucket = (): Obj => ({ bucket: 'out-bucket', region: 'us-east-1', endpoint: s3.endpoint, access_key_id: S3_KEY_ID, secret_access_key: S3_SECRET });
  const runJob = (tasks: Obj): Promise<Obj> => runV2Job(server, tasks);

  it('stores cache_control and metadata, and sends server_side_encryption and tagging', async () => {
    const before = s3.requests.length;
    const job = await runJob({
      in: { operation: 'import/raw', file: SVG.toString(), filename: 'logo.svg' },
      out: {
        operation: 'export/s3', input: 'in', ...bucket(), key: 'fields/logo.svg', cache_control: 'max-age=3600, public',
        metadata: { origin: 'converter', 'job-ref': 42 }, server_side_encryption: 'AES256', tagging: { project: 'alpha beta', team: 'a+b/c' },
      },
    });
    assert.equal(job['status'], 'finished', JSON.stringify(job));
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: 'out-bucket', Key: 'fields/logo.svg' }));
    assert.equal(head.CacheControl, 'max-age=3600, public');
    assert.deepEqual(head.Metadata, { origin: 'converter', 'job-ref': '42' });
    const put = s3.requests.slice(before).find((r) => r.method === 'PUT' && r.url.startsWith('/out-bucket/fields/logo.svg'));
    assert.equal(put?.headers['x-amz-server-side-encryption'], 'AES256');
    assert.deepEqual(Object.fromEntries(new URLSearchParams(String(put?.headers['x-amz-tagging']))), { project: 'alpha beta', team: 'a+b/c' });
  });

  it('numbers several files with %d in key', async () => {
    const tiff = await multiPageTiff(3);
    const job = await runJob({
      in: { operation: 'import/base64', file: tiff.toString('base64'), filename: 'scan.tiff' },
      png: { operation: 'convert', input: 'in', output_format: 'png' },
      out: { operation: 'export/s3', input: 'png', ...bucket(), key: 'numbered/page-%d.png' },
    });
    assert.equal(job['status'], 'finished', JSON.stringify(job));
    assert.deepEqual(await s3.listKeys('out-bucket', 'numbered/'), ['numbered/page-1.png', 'numbered/page-2.png', 'numbered/page-3.png']);
  });

  it('answers 422 naming each bad field', async () => {
    const created = await postJson(`${server.baseUrl}/v2/jobs`, {
      tasks: {
        in: { operation: 'import/raw', file: 'x', filename: 'x.txt' },
        out: { operation: 'export/s3', input: 'in', ...bucket(), cache_control: 'a\nb', metadata: { 'bad key': 'v' }, server_side_encryption: 'rot13', tagging: 'project=x' },
      },
    }, auth());
    assert.equal(created.status, 422, JSON.stringify(created.body));
    const text = JSON.stringify(created.body);
    for (const field of ['cache_control', 'metadata', 'server_side_encryption', 'tagging']) assert.ok(text.includes(field), `${field} named: ${text}`);
    assert.match(text, /AES256, aws:kms/);
  });
});
