// API v2 operations beyond convert, each run on the real engines and checked by content:
// import/s3 and export/s3 against a real S3-compatible server, optimize, archive,
// export/url with archive_multiple_files, metadata, and credentials kept out of every response.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { pngOf, SVG } from '../helpers/fixtures.js';
import { auth, json, postJson } from '../helpers/http.js';
import { S3_KEY_ID, startS3Server, type S3TestServer } from '../helpers/s3-server.js';
import { S3_SECRET } from '../helpers/storage-process.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

type Obj = Record<string, unknown>;
const data = (body: Obj): Obj => body['data'] as Obj;
const byName = (job: Obj, name: string): Obj => (job['tasks'] as Obj[]).find((t) => t['name'] === name) ?? {};
const filesOf = (task: Obj): Obj[] => ((task['result'] as Obj | null)?.['files'] ?? []) as Obj[];
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('API v2 operations', () => {
  let server: TestServer;
  let s3: S3TestServer;
  before(async () => {
    s3 = await startS3Server(['in-bucket', 'out-bucket']);
    server = await startTestServer({ env: { ALLOW_PRIVATE_URLS: 'true' } });
  });
  after(async () => {
    await server.stop();
    await s3.stop();
  });

  const runJob = async (tasks: Obj): Promise<Obj> => {
    const created = await postJson(`${server.baseUrl}/v2/jobs`, { tasks }, auth());
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(JSON.stringify(created.body).includes(S3_SECRET), false, 'no secret in the create answer');
    const waited = await json(`${server.baseUrl}/sync/v2/jobs/${String(data(created.body)['id'])}?include=payload`, { headers: auth() });
    assert.equal(JSON.stringify(waited.body).includes(S3_SECRET), false, 'no secret in the job, payload included');
    return data(waited.body);
  };
  const s3Fields = (bucket: string): Obj => ({ bucket, region: 'us-east-1', endpoint: s3.endpoint, access_key_id: S3_KEY_ID, secret_access_key: S3_SECRET });

  it('imports from S3, converts, and exports to S3 under a key', async () => {
    await s3.putObject('in-bucket', 'art/logo.svg', SVG);
    const job = await runJob({
      'import-it': { operation: 'import/s3', ...s3Fields('in-bucket'), key: 'art/logo.svg' },
      'convert-it': { operation: 'convert', input: 'import-it', output_format: 'png' },
      'export-it': { operation: 'export/s3', input: 'convert-it', ...s3Fields('out-bucket'), key: 'results/logo.png' },
    });
    assert.equal(job['status'], 'finished', JSON.stringify(job));
    assert.equal(filesOf(byName(job, 'import-it'))[0]?.['filename'], 'logo.svg');
    const meta = await sharp(await s3.getObject('out-bucket', 'results/logo.png')).metadata();
    assert.equal(meta.format, 'png');
  });

  it('optimizes a PNG into a smaller PNG', async () => {
    const noisy = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#88aa44' } }).png({ compressionLevel: 0 }).toBuffer();
    const job = await runJob({
      in: { operation: 'import/base64', file: noisy.toString('base64'), filename: 'big.png' },
      small: { operation: 'optimize', input: 'in' },
      out: { operation: 'export/url', input: 'small' },
    });
    assert.equal(job['status'], 'finished', JSON.stringify(job));
    const file = filesOf(byName(job, 'out'))[0] ?? {};
    const optimized = Buffer.from(await (await fetch(String(file['url']))).arrayBuffer());
    assert.ok(optimized.length < noisy.length, `${optimized.length} < ${noisy.length}`);
    assert.equal((await sharp(optimized).metadata()).format, 'png');
  });

  it('archives two inputs into one zip, and export/url zips several files with archive_multiple_files', async () => {
    const [a, b] = [await pngOf(10, 10), await pngOf(20, 20, '#ff0000')];
    const job = await runJob({
      a: { operation: 'import/base64', file: a.toString('base64'), filename: 'a.png' },
      b: { operation: 'import/base64', file: b.toString('base64'), filename: 'b.png' },
      zip: { operation: 'archive', input: ['a', 'b'], output_format: 'zip', filename: 'both.zip' },
      urls: { operation: 'export/url', input: ['zip'] },
      many: { operation: 'export/url', input: ['a', 'b'], archive_multiple_files: true },
      plain: { operation: 'export/url', input: ['a', 'b'] },
    });
    assert.equal(job['status'], 'finished', JSON.stringify(job));
    const zip = filesOf(byName(job, 'urls'))[0] ?? {};
    assert.equal(zip['filename'], 'both.zip');
    const bytes = Buffer.from(await (await fetch(String(zip['url']))).arrayBuffer());
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK');
    assert.ok(bytes.includes(Buffer.from('a.png')) && bytes.includes(Buffer.from('b.png')));
    const many = filesOf(byName(job, 'many'));
    assert.equal(many.length, 1);
    assert.match(String(many[0]?.['filename']), /\.zip$/);
    const plain = filesOf(byName(job, 'plain'));
    assert.deepEqual(plain.map((f) => f['filename']), ['a.png', 'b.png']);
    const first = Buffer.from(await (await fetch(String(plain[0]?.['url']))).arrayBuffer());
    assert.equal(sha(first), sha(a), 'an import exported unchanged keeps its bytes');
  });

  it('serves export/url files inline when asked, sandboxed when active, and refuses a wrong token', async () => {
    const job = await runJob({
      in: { operation: 'import/raw', file: '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', filename: 'page.svg' },
      inline: { operation: 'export/url', input: 'in', inline: true },
      attached: { operation: 'export/url', input: 'in' },
    });
    const inlineUrl = String(filesOf(byName(job, 'inline'))[0]?.['url']);
    const shown = await fetch(inlineUrl);
    assert.match(String(shown.headers.get('content-disposition')), /^inline; filename="page.svg"/);
    assert.match(String(shown.headers.get('content-security-policy')), /sandbox/);
    const attached = await fetch(String(filesOf(byName(job, 'attached'))[0]?.['url']));
    assert.match(String(attached.headers.get('content-disposition')), /^attachment;/);
    const forged = await fetch(inlineUrl.replace(/\/v2\/files\/([^/]+)\/([^/]+)\//, '/v2/files/$1/wrongtoken/'));
    assert.equal(forged.status, 404);
  });

  it('gives two exported files of the same name their own names and URLs', async () => {
    const job = await runJob({
      one: { operation: 'import/raw', file: 'first', filename: 'a.txt' },
      two: { operation: 'import/raw', file: 'second', filename: 'a.txt' },
      out: { operation: 'export/url', input: ['one', 'two'] },
    });
    const files = filesOf(byName(job, 'out'));
    assert.deepEqual(files.map((f) => f['filename']), ['a.txt', 'a-2.txt']);
    const bodies = await Promise.all(files.map(async (f) => (await fetch(String(f['url']))).text()));
    assert.deepEqual(bodies, ['first', 'second']);
  });

  it('answers 422 to a retry of a storage task whose credentials went with its end', async () => {
    await s3.putObject('in-bucket', 'retry/a.svg', SVG);
    const created = await postJson(`${server.baseUrl}/v2/import/s3`, { ...s3Fields('in-bucket'), key: 'retry/a.svg' }, auth());
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = String(data(created.body)['id']);
    const ended = data((await json(`${server.baseUrl}/v2/tasks/${id}/wait`, { headers: auth() })).body);
    assert.equal(ended['status'], 'finished', JSON.stringify(ended));
    const retried = await fetch(`${server.baseUrl}/v2/tasks/${id}/retry`, { method: 'POST', headers: auth() });
    assert.equal(retried.status, 422);
    assert.match(JSON.stringify(await retried.json()), /credentials/);
  });

  it('reads metadata into result.metadata', async () => {
    const job = await runJob({
      in: { operation: 'import/base64', file: (await pngOf(64, 32)).toString('base64'), filename: 'm.png' },
      meta: { operation: 'metadata', input: 'in' },
    });
    assert.equal(job['status'], 'finished', JSON.stringify(job));
    const metadata = (byName(job, 'meta')['result'] as Obj)['metadata'] as Obj;
    assert.ok(JSON.stringify(metadata).includes('64'), JSON.stringify(metadata));
  });

  it('fails a task whose S3 object does not exist with a clear message, and its dependants', async () => {
    const job = await runJob({
      in: { operation: 'import/s3', ...s3Fields('in-bucket'), key: 'missing/nothing.png' },
      out: { operation: 'export/url', input: 'in' },
    });
    assert.equal(job['status'], 'error');
    const failed = byName(job, 'in');
    assert.equal(failed['status'], 'error');
    assert.ok(String(failed['message']).length > 10);
    assert.equal(byName(job, 'out')['code'], 'INPUT_TASK_FAILED');
  });
});
