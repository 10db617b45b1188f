// Two API processes and one worker process sharing one Redis and one S3 file store
// (STORAGE_URL), each with a DATA_DIR of its own: a process created and uploaded through one API
// is converted by the worker and downloaded through the other. Nothing lands in any DATA_DIR.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { loadConfig } from '../../src/config/index.js';
import { configuredKeys, createCore, createLogger, type Core } from '../../src/runtime/index.js';
import { startApi } from '../../src/runtime/api.js';
import { SVG } from '../helpers/fixtures.js';
import { auth, json, postJson } from '../helpers/http.js';
import { S3_KEY_ID, startS3Server, type S3TestServer } from '../helpers/s3-server.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process.js';

const BUCKET = 'shared-files';
const PREFIX = 'deploy-a';

describe('two APIs and a worker sharing the S3 file store', () => {
  let s3: S3TestServer;
  let first: TestServer;
  let second: { app: FastifyInstance; core: Core; baseUrl: string; dataDir: string };
  let worker: WorkerProcess;
  let workerDataDir: string;
  let storageEnv: Record<string, string>;

  before(async () => {
    s3 = await startS3Server([BUCKET]);
    storageEnv = {
      STORAGE_URL: `s3://${BUCKET}/${PREFIX}`,
      STORAGE_S3_ENDPOINT: s3.endpoint,
      STORAGE_S3_ACCESS_KEY_ID: S3_KEY_ID,
      STORAGE_S3_SECRET_ACCESS_KEY: 'store-secret',
    };
    // API 1 (with the test server's Redis), without a worker.
    first = await startTestServer({ worker: false, env: storageEnv });
    // API 2: same Redis and store, another DATA_DIR, another port.
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'oc-api2-'));
    const config = loadConfig({ ...storageEnv, DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', API_KEYS: first.config.apiKeys?.join(',') ?? '', REDIS_URL: first.redisUrl, LOG_LEVEL: 'silent' });
    const core = createCore(config, first.redisUrl, await configuredKeys(config));
    const app = await startApi(core, createLogger('silent', 'api-2'));
    second = { app, core, baseUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, dataDir };
    // The worker: an OS process of its own with a third DATA_DIR.
    workerDataDir = await mkdtemp(path.join(os.tmpdir(), 'oc-worker-'));
    worker = await startWorkerProcess(first, { ...storageEnv, DATA_DIR: workerDataDir, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
  });

  after(async () => {
    await worker?.kill();
    await second?.app.close();
    await second?.core.close();
    await first?.stop();
    await s3?.stop();
    for (const dir of [second?.dataDir, workerDataDir]) if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('creates and uploads on one API, downloads the result from the other', async () => {
    const created = await postJson(`${first.baseUrl}/process`, { inputformat: 'svg', outputformat: 'png' }, auth());
    assert.equal(created.status, 200);
    const id = String(created.body['id']);
    const onFirst = (url: string) => first.abs(url);
    const onSecond = (url: string) => first.abs(url).replace(first.baseUrl, second.baseUrl);
    const started = await postJson(onFirst(String(created.body['url'])), { input: 'upload', outputformat: 'png', save: true });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const upload = await fetch(`${onFirst(String((started.body['upload'] as { url: string }).url))}/drawing.svg`, { method: 'PUT', body: SVG });
    assert.equal(upload.status, 200);
    assert.deepEqual(await s3.listKeys(BUCKET, `${PREFIX}/processes/${id}/`), [`${PREFIX}/processes/${id}/input`], 'the upload went to S3');

    const final = await json(`${onSecond(String(created.body['url']))}?wait=true`);
    assert.equal(final.body['step'], 'finished', JSON.stringify(final.body));
    const output = final.body['output'] as { url: string; filename: string };
    const download = await fetch(onSecond(output.url));
    assert.equal(download.status, 200);
    assert.match(download.headers.get('content-disposition') ?? '', /drawing\.png/);
    const png = Buffer.from(await download.arrayBuffer());
    assert.equal((await sharp(png).metadata()).format, 'png');
    assert.equal(Number(download.headers.get('content-length')), png.length);
    assert.ok((await s3.listKeys(BUCKET, `${PREFIX}/processes/${id}/`)).includes(`${PREFIX}/processes/${id}/output/drawing.png`));

    for (const dir of [first.dataDir, second.dataDir, workerDataDir]) {
      assert.ok(!(await readdir(dir)).includes('processes'), `no process files under ${dir}`);
    }
  });

  it('deleting through the second API removes the files from S3', async () => {
    const created = await postJson(`${second.baseUrl}/process`, { inputformat: 'svg', outputformat: 'png' }, auth());
    const id = String(created.body['id']);
    const url = first.abs(String(created.body['url'])).replace(/^http:\/\/[^/]+/, second.baseUrl);
    const started = await postJson(url, { input: 'base64', file: SVG.toString('base64'), filename: 'b.svg', outputformat: 'png', wait: true });
    assert.equal(started.body['step'], 'finished', JSON.stringify(started.body));
    assert.ok((await s3.listKeys(BUCKET, `${PREFIX}/processes/${id}/`)).length >= 2);
    assert.equal((await json(url.replace(second.baseUrl, first.baseUrl), { method: 'DELETE' })).status, 200);
    assert.deepEqual(await s3.listKeys(BUCKET, `${PREFIX}/processes/${id}/`), []);
  });
});

describe('presigned downloads (STORAGE_PRESIGNED_DOWNLOADS=true)', () => {
  let s3: S3TestServer;
  let server: TestServer;
  before(async () => {
    s3 = await startS3Server([BUCKET]);
    server = await startTestServer({
      env: { STORAGE_URL: `s3://${BUCKET}`, STORAGE_S3_ENDPOINT: s3.endpoint, STORAGE_S3_ACCESS_KEY_ID: S3_KEY_ID, STORAGE_S3_SECRET_ACCESS_KEY: 'x', STORAGE_PRESIGNED_DOWNLOADS: 'true', STORAGE_PRESIGN_SECONDS: '120' },
    });
  });
  after(async () => {
    await server?.stop();
    await s3?.stop();
  });

  it('redirects output.url to a signed S3 URL once; the file is served from S3 with its name', async () => {
    const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'svg', outputformat: 'png' }, auth());
    const started = await postJson(server.abs(String(created.body['url'])), { input: 'base64', file: SVG.toString('base64'), filename: 'c.svg', outputformat: 'png', wait: true });
    assert.equal(started.body['step'], 'finished');
    const outputUrl = server.abs(String((started.body['output'] as { url: string }).url));
    const redirect = await fetch(outputUrl, { redirect: 'manual' });
    assert.equal(redirect.status, 302);
    const location = redirect.headers.get('location') ?? '';
    assert.ok(location.startsWith(`${s3.endpoint}/${BUCKET}/processes/`), location);
    assert.match(location, /X-Amz-Expires=120/);
    const file = await fetch(location);
    assert.equal(file.status, 200);
    assert.match(file.headers.get('content-disposition') ?? '', /attachment; filename="c.png"/);
    assert.equal((await sharp(Buffer.from(await file.arrayBuffer())).metadata()).format, 'png');
    assert.equal((await fetch(outputUrl, { redirect: 'manual' })).status, 404, 'one download without save');
  });
});
