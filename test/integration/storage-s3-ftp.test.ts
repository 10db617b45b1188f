// S3 and FTP as inputs and outputs through the wire API, against a real S3-compatible server
// and a real FTP server on 127.0.0.1: S3→S3, FTP→FTP, mixed, folders, several outputs, the ACL
// sent, the step `output` while uploading, and the status saying where the files went.
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { startFtpServer, type FtpTestServer } from '../helpers/ftp-server.js';
import { SVG, multiPageTiff } from '../helpers/fixtures.js';
import { auth, json } from '../helpers/http.js';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { S3_SECRET, convertRemote, ftpObject, s3Object, startProcess, storageOf } from '../helpers/storage-process.js';

const SVG_TO_PNG = { inputformat: 'svg', outputformat: 'png' };
const isPng = async (bytes: Buffer | undefined): Promise<boolean> => bytes !== undefined && (await sharp(bytes).metadata()).format === 'png';

describe('S3 and FTP inputs and outputs', () => {
  let server: TestServer;
  let s3: S3TestServer;
  let ftp: FtpTestServer;
  before(async () => {
    s3 = await startS3Server(['in-bucket', 'out-bucket']);
    ftp = await startFtpServer();
    server = await startTestServer({ env: { ALLOW_PRIVATE_URLS: 'true' } });
    await s3.putObject('in-bucket', 'drawings/logo.svg', SVG);
    await mkdir(path.join(ftp.root, 'in'), { recursive: true });
    await writeFile(path.join(ftp.root, 'in', 'logo.svg'), SVG);
  });
  after(async () => {
    await server?.stop();
    await s3?.stop();
    await ftp?.stop();
  });

  it('S3 → convert → S3 into a folder, with the ACL and content type sent, and says so in the status', async () => {
    const before = s3.requests.length;
    const final = await convertRemote(server, SVG_TO_PNG, {
      input: { s3: s3Object(s3, 'in-bucket') },
      file: 'drawings/logo.svg',
      output: { s3: s3Object(s3, 'out-bucket', { path: 'results/', acl: 'public-read' }) },
    });
    assert.equal(final.body['step'], 'finished', JSON.stringify(final.body));
    assert.deepEqual(final.body['input'], { type: 's3', filename: 'logo.svg', name: 'logo', ext: 'svg' });
    assert.deepEqual(storageOf(final), { type: 's3', bucket: 'out-bucket', region: 'us-east-1', endpoint: s3.endpoint, files: ['results/logo.png'] });
    assert.ok(await isPng(await s3.getObject('out-bucket', 'results/logo.png')));
    const put = s3.requests.slice(before).find((r) => r.method === 'PUT' && r.url.startsWith('/out-bucket/results/logo.png'));
    assert.equal(put?.headers['x-amz-acl'], 'public-read', 'the ACL was sent (s3rver does not apply it)');
    assert.equal(put?.headers['content-type'], 'image/png');
    assert.match(String(put?.headers['authorization']), /Credential=S3RVER\//, 'signed with the given key');
    // output.url still serves the file.
    const download = await fetch(server.abs(String((final.body['output'] as { url: string }).url)));
    assert.ok(await isPng(Buffer.from(await download.arrayBuffer())));
  });

  it('sends no ACL when none is asked (private, S3\'s default), and the key is the file name by default', async () => {
    const before = s3.requests.length;
    const final = await convertRemote(server, SVG_TO_PNG, { input: 's3', s3: s3Object(s3, 'in-bucket'), file: 'drawings/logo.svg', output: 's3' });
    assert.equal(final.body['step'], 'finished', JSON.stringify(final.body));
    assert.deepEqual(storageOf(final).files, ['logo.png']);
    const put = s3.requests.slice(before).find((r) => r.method === 'PUT' && r.url.startsWith('/in-bucket/logo.png'));
    assert.ok(put !== undefined, 'output=s3 with the top-level s3 object wrote into its bucket');
    assert.equal(put.headers['x-amz-acl'], undefined);
  });

  it('FTP → convert → FTP into a new nested folder, leaving no temporary file', async () => {
    const final = await convertRemote(server, SVG_TO_PNG, { input: { ftp: ftpObject(ftp) }, file: 'in/logo.svg', output: { ftp: ftpObject(ftp, { path: 'out/nested/' }) } });
    assert.equal(final.body['step'], 'finished', JSON.stringify(final.body));
    assert.deepEqual(storageOf(final), { type: 'ftp', host: '127.0.0.1', port: ftp.port, files: ['out/nested/logo.png'] });
    assert.ok(await isPng(await readFile(path.join(ftp.root, 'out/nested/logo.png'))));
    assert.ok(!(await ftp.files()).some((f) => f.includes('.partial')), 'no temporary file left');
  });

  it('mixed: S3 in, FTP out to an exact file path; FTP in, S3 out', async () => {
    const toFtp = await convertRemote(server, SVG_TO_PNG, { input: { s3: s3Object(s3, 'in-bucket') }, file: 'drawings/logo.svg', output: { ftp: ftpObject(ftp, { path: '/mixed/renamed.png' }) } });
    assert.equal(toFtp.body['step'], 'finished', JSON.stringify(toFtp.body));
    assert.ok(await isPng(await readFile(path.join(ftp.root, 'mixed/renamed.png'))));
    const toS3 = await convertRemote(server, SVG_TO_PNG, { input: { ftp: ftpObject(ftp) }, file: 'in/logo.svg', output: { s3: s3Object(s3, 'out-bucket', { path: 'from-ftp/final.png' }) } });
    assert.equal(toS3.body['step'], 'finished', JSON.stringify(toS3.body));
    assert.ok(await isPng(await s3.getObject('out-bucket', 'from-ftp/final.png')));
  });

  it('several outputs become separate objects in the folder, and separate numbered files next to a file path', async () => {
    await s3.putObject('in-bucket', 'scans/scan.tiff', await multiPageTiff(3));
    const formats = { inputformat: 'tiff', outputformat: 'png' };
    const toS3 = await convertRemote(server, formats, { input: { s3: s3Object(s3, 'in-bucket') }, file: 'scans/scan.tiff', output: { s3: s3Object(s3, 'out-bucket', { path: 'pages/' }) } });
    assert.equal(toS3.body['step'], 'finished', JSON.stringify(toS3.body));
    assert.deepEqual(await s3.listKeys('out-bucket', 'pages/'), ['pages/scan-1.png', 'pages/scan-2.png', 'pages/scan-3.png']);
    assert.deepEqual(storageOf(toS3).files, ['pages/scan-1.png', 'pages/scan-2.png', 'pages/scan-3.png']);
    assert.deepEqual((toS3.body['output'] as { files: string[] }).files, ['scan-1.png', 'scan-2.png', 'scan-3.png']);
    const toFtp = await convertRemote(server, formats, { input: { s3: s3Object(s3, 'in-bucket') }, file: 'scans/scan.tiff', output: { ftp: ftpObject(ftp, { path: 'numbered/page.png' }) } });
    assert.equal(toFtp.body['step'], 'finished', JSON.stringify(toFtp.body));
    assert.deepEqual((await ftp.files()).filter((f) => f.startsWith('numbered/')), ['numbered/page-1.png', 'numbered/page-2.png', 'numbered/page-3.png']);
  });

  it('an upload input can go to S3 as output too', async () => {
    const { url, started } = await startProcess(server, SVG_TO_PNG, { input: 'upload', output: { s3: s3Object(s3, 'out-bucket', { path: 'uploaded/' }) } });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const uploadUrl = server.abs(String((started.body['upload'] as { url: string }).url));
    assert.equal((await fetch(`${uploadUrl}/up.svg`, { method: 'PUT', body: SVG })).status, 200);
    const final = await json(`${url}?wait=true`);
    assert.equal(final.body['step'], 'finished', JSON.stringify(final.body));
    assert.ok(await isPng(await s3.getObject('out-bucket', 'uploaded/up.png')));
  });

  it('passes through step output, naming the bucket, while the upload runs', async () => {
    s3.slowDown = { match: (r) => r.method === 'PUT' && r.url.startsWith('/out-bucket/slow/'), ms: 1500 };
    try {
      const { url, started } = await startProcess(server, SVG_TO_PNG, { input: { s3: s3Object(s3, 'in-bucket') }, file: 'drawings/logo.svg', output: { s3: s3Object(s3, 'out-bucket', { path: 'slow/' }) } });
      assert.equal(started.status, 200);
      let seen: Record<string, unknown> | undefined;
      for (let i = 0; i < 200 && seen === undefined; i++) {
        const status = (await json(url)).body;
        if (status['step'] === 'output' && /Uploading output files to S3 bucket out-bucket/.test(String(status['message']))) seen = status;
        else await new Promise((r) => setTimeout(r, 25));
      }
      assert.ok(seen !== undefined, 'the status showed step output with the upload message');
      assert.deepEqual(Object.keys(seen['output'] as object), ['url'], 'while uploading, output has only its url');
      assert.equal((await json(`${url}?wait=true`)).body['step'], 'finished');
    } finally {
      s3.slowDown = undefined;
    }
  });

  it('never shows the credentials: not in the status, not in /processes', async () => {
    const final = await convertRemote(server, SVG_TO_PNG, { input: { ftp: ftpObject(ftp) }, file: 'in/logo.svg', output: { s3: s3Object(s3, 'out-bucket', { path: 'quiet/' }) } });
    assert.equal(final.body['step'], 'finished');
    const list = await json(`${server.baseUrl}/processes`, { headers: auth() });
    for (const body of [JSON.stringify(final.body), JSON.stringify(list.body)]) {
      assert.ok(!body.includes(S3_SECRET), 'no S3 secret');
      assert.ok(!body.includes(ftp.password), 'no FTP password');
      assert.ok(!body.includes('S3RVER'), 'no access key id');
    }
  });
});
