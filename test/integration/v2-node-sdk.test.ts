// API v2 through the official Node SDKs, unchanged (cloudconvert 3.0.0 on fetch, 2.3.7 on axios),
// against the real server, Redis and worker: their README flows, each output checked by content.
// Only the SDKs' hard-coded sandbox hosts are mapped to the local server (test/helpers/v2-sdk.ts).
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { pngOf } from '../helpers/fixtures.js';
import { startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';
import { sdk2, sdk3, type Sdk3 } from '../helpers/v2-sdk.js';
import { requireChromium, startWebPages, type WebPages } from '../helpers/web-pages.js';

type Obj = Record<string, any>;
const taskNamed = (job: Obj, name: string): Obj => (job.tasks as Obj[]).find((t) => t.name === name) ?? {};

async function download(url: string): Promise<Buffer> {
  const response = await fetch(url);
  assert.equal(response.status, 200, `GET ${url}`);
  return Buffer.from(await response.arrayBuffer());
}

/** A PDF of `pages` blank pages. */
async function pdfOf(pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) doc.addPage([200, 200]);
  return Buffer.from(await doc.save());
}

/** The SDK's error for a non-2xx answer carries the Response as its cause. */
async function statusOfFailure(call: Promise<unknown>): Promise<number> {
  const error = await call.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof Error, 'the call should have failed');
  return (error.cause as Response).status;
}

describe('API v2 with the official Node SDK 3.0.0', () => {
  let server: TestServer;
  let web: WebPages;
  let dir: string;
  let cc: Sdk3;

  before(async () => {
    // import/url and capture-website fetch from a server on 127.0.0.1.
    server = await startTestServer({ env: { ALLOW_PRIVATE_URLS: 'true', CHROMIUM_POOL_SIZE: '1' } });
    web = await startWebPages();
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-v2-sdk-'));
    cc = sdk3(server.baseUrl);
  });
  after(async () => {
    await web.stop();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('uploads a stream with an unquoted UTF-8 name, converts, waits and downloads the export', async () => {
    const file = path.join(dir, 'input.png');
    await writeFile(file, await pngOf(120, 90));
    const job = await cc.jobs.create({
      tag: 'readme',
      tasks: {
        'upload-my-file': { operation: 'import/upload' },
        'convert-my-file': { operation: 'convert', input: 'upload-my-file', output_format: 'jpg', width: 60 },
        'export-my-file': { operation: 'export/url', input: 'convert-my-file' },
      },
    });
    assert.equal(job.status, 'waiting');
    const uploadTask = job.tasks.filter((task) => task.name === 'upload-my-file')[0];
    assert.ok(uploadTask !== undefined);
    await cc.tasks.upload(uploadTask, createReadStream(file), 'my file ä.png');
    const ended = await cc.jobs.wait(job.id);
    assert.equal(ended.status, 'finished', JSON.stringify(ended));
    assert.equal(taskNamed(ended, 'upload-my-file').result.files[0].filename, 'my file ä.png');
    const exports = cc.jobs.getExportUrls(ended);
    assert.equal(exports.length, 1);
    assert.equal(exports[0]?.filename, 'my file ä.jpg');
    const meta = await sharp(await download(String(exports[0]?.url))).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 60, 45]);
  });

  it('returns the exact bytes of an unconverted import -> export job', async () => {
    const png = await pngOf(33, 17, '#c0ffee');
    const job = await cc.jobs.create({
      tasks: {
        'import-it': { operation: 'import/upload' },
        'export-it': { operation: 'export/url', input: ['import-it'] },
      },
    });
    await cc.tasks.upload(taskNamed(job, 'import-it') as never, png, 'input.png');
    const ended = await cc.jobs.wait(job.id);
    const [file] = cc.jobs.getExportUrls(ended);
    assert.equal(file?.filename, 'input.png');
    assert.equal(file?.size, png.length);
    const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
    assert.equal(sha(await download(String(file?.url))), sha(png));
  });

  it('imports by URL in a job, and runs stand-alone tasks chained by id with tasks.wait', async () => {
    web.page('/photo.png', await pngOf(80, 40), 'image/png');
    const job = await cc.jobs.create({
      tag: 'by-url',
      tasks: {
        fetch: { operation: 'import/url', url: `${web.baseUrl}/photo.png` },
        small: { operation: 'convert', input: 'fetch', output_format: 'webp', width: 20 },
        out: { operation: 'export/url', input: 'small' },
      },
    });
    const ended = await cc.jobs.wait(job.id);
    assert.equal(ended.status, 'finished', JSON.stringify(ended));
    const meta = await sharp(await download(String(cc.jobs.getExportUrls(ended)[0]?.url))).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['webp', 20, 10]);

    const imported = await cc.tasks.create('import/url', { url: `${web.baseUrl}/photo.png`, filename: 'alone.png' });
    assert.equal(imported.job_id, null);
    assert.equal('name' in imported, false);
    const converted = await cc.tasks.create('convert', { input: imported.id, input_format: 'png', output_format: 'jpg', height: 10 });
    const done = await cc.tasks.wait(converted.id);
    assert.equal(done.status, 'finished', JSON.stringify(done));
    assert.deepEqual((done as Obj).depends_on_task_ids, [imported.id]);
    assert.equal(done.result?.files?.[0]?.filename, 'alone.jpg');
    const exported = await cc.tasks.wait((await cc.tasks.create('export/url', { input: [converted.id] })).id);
    const jpg = await sharp(await download(String(exported.result?.files?.[0]?.url))).metadata();
    assert.deepEqual([jpg.format, jpg.width, jpg.height], ['jpeg', 20, 10]);
  });

  it('lists jobs and tasks with filters, cancels a waiting upload and deletes jobs and tasks', async () => {
    const tag = `list-${Date.now()}`;
    const job = await cc.jobs.create({ tag, tasks: { raw: { operation: 'import/raw', file: 'hello', filename: 'a.txt' }, out: { operation: 'export/url', input: 'raw' } } });
    await cc.jobs.wait(job.id);
    const jobs = await cc.jobs.all({ 'filter[status]': 'finished', 'filter[tag]': tag });
    assert.deepEqual(jobs.map((j) => j.id), [job.id]);
    assert.equal((await cc.jobs.all({ 'filter[status]': 'error', 'filter[tag]': tag })).length, 0);
    const tasks = await cc.tasks.all({ 'filter[job_id]': job.id, 'filter[operation]': 'export/url' });
    assert.deepEqual(tasks.map((t) => t.operation), ['export/url']);

    const upload = await cc.tasks.create('import/upload');
    const cancelled = await cc.tasks.cancel(upload.id);
    assert.deepEqual([cancelled.id, cancelled.status, cancelled.code], [upload.id, 'error', 'CANCELLED']);
    // The SDK refuses to upload to a task that is not waiting any more.
    await assert.rejects(cc.tasks.upload(cancelled, Buffer.from('x'), 'x.txt'), /not ready for uploading/);

    await cc.tasks.delete(upload.id);
    assert.equal(await statusOfFailure(cc.tasks.get(upload.id)), 404);
    await cc.jobs.delete(job.id);
    assert.equal(await statusOfFailure(cc.jobs.get(job.id)), 404);
    assert.equal((await cc.jobs.all({ 'filter[tag]': tag })).length, 0);
  });

  it('answers users.me with an integer id and a number of credits', async () => {
    const me = await cc.users.me();
    assert.ok(Number.isInteger(me.id), JSON.stringify(me));
    assert.equal(typeof me.credits, 'number');
    assert.equal(typeof me.username, 'string');
  });

  it('merges a two-page PDF and an image into one three-page PDF', async () => {
    const job = await cc.jobs.create({
      tasks: {
        doc: { operation: 'import/base64', file: (await pdfOf(2)).toString('base64'), filename: 'two.pdf' },
        pic: { operation: 'import/base64', file: (await pngOf(50, 50)).toString('base64'), filename: 'pic.png' },
        merged: { operation: 'merge', input: ['doc', 'pic'], output_format: 'pdf' },
        out: { operation: 'export/url', input: 'merged' },
      },
    });
    const ended = await cc.jobs.wait(job.id);
    assert.equal(ended.status, 'finished', JSON.stringify(ended));
    const pdf = await PDFDocument.load(await download(String(cc.jobs.getExportUrls(ended)[0]?.url)));
    assert.equal(pdf.getPageCount(), 3);
  });

  it('makes a thumbnail of the asked size', async () => {
    const job = await cc.jobs.create({
      tasks: {
        img: { operation: 'import/base64', file: (await pngOf(200, 100)).toString('base64'), filename: 'wide.png' },
        thumb: { operation: 'thumbnail', input: 'img', output_format: 'png', width: 40, height: 40, fit: 'max' },
        out: { operation: 'export/url', input: 'thumb' },
      },
    });
    const ended = await cc.jobs.wait(job.id);
    assert.equal(ended.status, 'finished', JSON.stringify(ended));
    const meta = await sharp(await download(String(cc.jobs.getExportUrls(ended)[0]?.url))).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 40, 20]);
  });

  it('captures a local web page as a PNG', async () => {
    await requireChromium();
    web.page('/page', '<!doctype html><html><body style="margin:0;background:#0a0"><h1>Hello</h1></body></html>');
    const job = await cc.jobs.create({
      tasks: {
        shot: { operation: 'capture-website', url: `${web.baseUrl}/page`, output_format: 'png' },
        out: { operation: 'export/url', input: 'shot' },
      },
    });
    const ended = await cc.jobs.wait(job.id);
    assert.equal(ended.status, 'finished', JSON.stringify(ended));
    const png = await download(String(cc.jobs.getExportUrls(ended)[0]?.url));
    const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    assert.equal(info.format, 'raw');
    assert.ok(info.width > 100 && info.height > 100, `${info.width}x${info.height}`);
    // The page's green background is in the picture (bottom-right pixel).
    const at = (info.height * info.width - 1) * info.channels;
    assert.deepEqual([data[at], data[at + 1], data[at + 2]], [0, 170, 0]);
  });

  it('verifies a webhook signature computed as CloudConvert does (HMAC-SHA256 of the raw body)', () => {
    // The delivery itself is tested in the webhooks branch; here the SDK's check of the scheme.
    const payload = JSON.stringify({ event: 'job.finished', job: { id: 'x', status: 'finished' } });
    const signature = createHmac('sha256', 'secret').update(payload).digest('hex');
    assert.equal(cc.webhooks.verify(payload, signature, 'secret'), true);
    assert.equal(cc.webhooks.verify(`${payload} `, signature, 'secret'), false);
    assert.equal(cc.webhooks.verify(payload, signature, 'other'), false);
  });
});

describe('API v2 with the official Node SDK 2.3.7 (axios)', () => {
  let server: TestServer;
  let dir: string;
  before(async () => {
    server = await startTestServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-v2-sdk2-'));
  });
  after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('uploads with a quoted UTF-8 file name, converts, waits on the sync host and downloads', async () => {
    const cc = sdk2(server.baseUrl);
    const job = await cc.jobs.create({
      tasks: {
        'upload-my-file': { operation: 'import/upload' },
        'convert-my-file': { operation: 'convert', input: 'upload-my-file', output_format: 'png', height: 30 },
        'export-my-file': { operation: 'export/url', input: 'convert-my-file' },
      },
    });
    const uploadTask = job.tasks.find((task) => task.name === 'upload-my-file');
    assert.ok(uploadTask !== undefined);
    const file = path.join(dir, 'input.webp');
    await writeFile(file, await sharp({ create: { width: 90, height: 60, channels: 3, background: '#123456' } }).webp().toBuffer());
    const uploaded = await cc.tasks.upload(uploadTask, createReadStream(file), 'my file ä.webp');
    assert.equal((uploaded as unknown as { status: number }).status, 201);
    const ended = await cc.jobs.wait(job.id);
    assert.equal(ended.status, 'finished', JSON.stringify(ended));
    assert.equal(taskNamed(ended, 'upload-my-file').result.files[0].filename, 'my file ä.webp');
    const [exported] = cc.jobs.getExportUrls(ended);
    assert.equal(exported?.filename, 'my file ä.png');
    const meta = await sharp(await download(String(exported?.url))).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 45, 30]);
    const me = await cc.users.me();
    assert.equal(me.id, (await sdk3(server.baseUrl, TEST_KEY).users.me()).id);
  });
});
