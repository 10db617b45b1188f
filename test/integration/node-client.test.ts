// The official CloudConvert v1 Node client (cloudconvert@1.1.2), unchanged but for its
// endpoint and protocol, against a real server, Redis and worker.
import assert from 'node:assert/strict';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import { createRequire } from 'node:module';
import sharp from 'sharp';
import { CORRUPT_PNG, SVG, multiPageTiff } from '../helpers/fixtures.js';
import { startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const CloudConvert = require('cloudconvert') as new (key?: string) => CloudConvertApi;

interface CcProcess {
  data: Record<string, any>;
  start(params: Record<string, unknown>, cb: (err: any, p: CcProcess) => void): void;
  upload(source: NodeJS.ReadableStream, filename: string | null, cb: (err: any, p: CcProcess) => void): void;
  wait(cb: (err: any, p: CcProcess) => void, interval?: number): void;
  download(target: NodeJS.WritableStream | null, remote: string | null, cb: (err: any, p: CcProcess) => void): void;
  downloadAll(dir: string, cb: (err: any, p: CcProcess) => void): void;
  delete(parameters: Record<string, unknown> | null, cb: (err: any, value: unknown) => void): void;
  refresh(parameters: Record<string, unknown> | null, cb: (err: any, p: CcProcess) => void): void;
}
interface CloudConvertApi {
  endpoint: string;
  protocol: string;
  convert(params: Record<string, unknown>): NodeJS.ReadWriteStream & { on(event: string, cb: (...args: any[]) => void): any };
  createProcess(params: Record<string, unknown>, cb: (err: any, p: CcProcess) => void): void;
  post(path: string, params: Record<string, unknown>, cb: (err: any, body: any) => void): void;
  get(path: string, params: Record<string, unknown>, cb: (err: any, body: any) => void): void;
}

const call = <T>(fn: (cb: (err: any, value: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));

describe('official Node v1 client (cloudconvert@1.1.2)', () => {
  let server: TestServer;
  let dir: string;
  const client = (key: string | null = TEST_KEY): CloudConvertApi => {
    const api = key === null ? new CloudConvert() : new CloudConvert(key);
    api.endpoint = `127.0.0.1:${server.port}`;
    api.protocol = 'http';
    return api;
  };

  before(async () => {
    server = await startTestServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-node-client-'));
    await writeFile(path.join(dir, 'in.svg'), SVG);
  });
  after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the README pipe quick start: svg in, png out', async () => {
    const out = path.join(dir, 'out.png');
    const stream = createReadStream(path.join(dir, 'in.svg')).pipe(client().convert({ inputformat: 'svg', outputformat: 'png' }));
    let finishedEvent = false;
    stream.on('finished', () => (finishedEvent = true));
    await finished(stream.pipe(createWriteStream(out)));
    const meta = await sharp(out).metadata();
    assert.equal(meta.format, 'png');
    assert.equal(meta.width, 120);
    assert.equal(finishedEvent, true);
  });

  it('creates, starts with upload, waits, downloads and deletes', async () => {
    const api = client();
    const proc = await call<CcProcess>((cb) => api.createProcess({ inputformat: 'svg', outputformat: 'jpg' }, cb));
    await call((cb) => proc.start({ input: 'upload', outputformat: 'jpg', converteroptions: { quality: 51 } }, cb));
    await call((cb) => proc.upload(createReadStream(path.join(dir, 'in.svg')), 'in.svg', cb));
    await call((cb) => proc.wait(cb));
    assert.equal(proc.data['step'], 'finished');
    assert.equal(proc.data['converter'].options.quality, 51);
    const out = path.join(dir, 'waited.jpg');
    await call((cb) => proc.download(createWriteStream(out), null, cb));
    assert.equal((await sharp(out).metadata()).format, 'jpeg');
    await call((cb) => proc.delete(null, cb));
    await assert.rejects(call((cb) => proc.refresh(null, cb)), (err: any) => err.code === 404);
  });

  it('downloads every page of a multi-page result with downloadAll', async () => {
    await writeFile(path.join(dir, 'pages.tiff'), await multiPageTiff(3));
    const api = client();
    const proc = await call<CcProcess>((cb) => api.createProcess({ inputformat: 'tiff', outputformat: 'png' }, cb));
    await call((cb) => proc.start({ input: 'upload', outputformat: 'png' }, cb));
    await call((cb) => proc.upload(createReadStream(path.join(dir, 'pages.tiff')), 'pages.tiff', cb));
    await call((cb) => proc.wait(cb));
    assert.deepEqual(proc.data['output'].files, ['pages-1.png', 'pages-2.png', 'pages-3.png']);
    const target = await mkdtemp(path.join(dir, 'all-'));
    await call((cb) => proc.downloadAll(target, cb));
    assert.deepEqual((await readdir(target)).sort(), ['pages-1.png', 'pages-2.png', 'pages-3.png']);
    assert.equal((await sharp(await readFile(path.join(target, 'pages-2.png'))).metadata()).height, 30);
  });

  it('reports a corrupt input as err.code 422 with the status message', async () => {
    await writeFile(path.join(dir, 'bad.png'), CORRUPT_PNG);
    const api = client();
    const proc = await call<CcProcess>((cb) => api.createProcess({ inputformat: 'png', outputformat: 'jpg' }, cb));
    await call((cb) => proc.start({ input: 'upload', outputformat: 'jpg' }, cb));
    await call((cb) => proc.upload(createReadStream(path.join(dir, 'bad.png')), 'bad.png', cb));
    const error = await call((cb) => proc.wait(cb)).then(
      () => assert.fail('expected a failure'),
      (err: any) => err,
    );
    assert.equal(error.code, 422);
    assert.match(error.message, /Could not convert the image/);
  });

  it('answers 401 without a key and 400 for an unknown format', async () => {
    const missing: any = await call((cb) => client(null).post('/process', { inputformat: 'svg', outputformat: 'png' }, cb)).catch((e: any) => e);
    assert.equal(missing.code, 401);
    assert.match(missing.message, /No API Key provided/);
    const invalid: any = await call((cb) => client().post('/process', { inputformat: 'invalid', outputformat: 'png' }, cb)).catch((e: any) => e);
    assert.equal(invalid.code, 400);
    assert.match(invalid.message, /This conversiontype is not supported!/);
  });
});
