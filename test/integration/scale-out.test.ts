// The scale-out proof: two API processes and two worker processes on one Redis (append-only
// persistence) and the S3 file store. Created on one API, uploaded and downloaded through the
// other; a worker killed with SIGKILL mid-conversion and the other finishes it; Redis restarted
// and every process carries on with nothing lost.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import sharp from 'sharp';
import { loadConfig } from '../../src/config/index.js';
import { configuredKeys, createCore, createLogger, type Core } from '../../src/runtime/index.js';
import { startApi } from '../../src/runtime/api.js';
import { freePort } from '../../src/runtime/embedded-redis.js';
import { SVG } from '../helpers/fixtures.js';
import { auth, json, postJson } from '../helpers/http.js';
import { S3_KEY_ID, startS3Server, type S3TestServer } from '../helpers/s3-server.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { until } from '../helpers/wait.js';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process.js';

const BUCKET = 'scale-out';
// A dead worker's job is taken over within seconds; the lock is long enough that a live but busy
// worker on a loaded machine does not lose its job to a stall check.
const FAST_RECOVERY = { JOB_LOCK_MS: '5000', JOB_STALLED_INTERVAL_MS: '1000' };

/** A redis-server with append-only persistence that the test can restart on the same port. */
class PersistentRedis {
  private child: ChildProcess | undefined;
  constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''], { stdio: 'ignore' });
    await until(async () => {
      const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => undefined);
      try {
        await client.connect();
        return (await client.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        client.disconnect();
      }
    }, 10000, 'redis-server to start');
  }
  /** SIGKILL: only what append-only persistence wrote survives. */
  async kill(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
}

const slowInput = (): Promise<Buffer> =>
  sharp({ create: { width: 900, height: 900, channels: 3, background: '#888', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).png({ compressionLevel: 1 }).toBuffer();

describe('two APIs and two workers on one Redis and the S3 file store', () => {
  let dir: string;
  let redis: PersistentRedis;
  let s3: S3TestServer;
  let first: TestServer;
  let second: { app: FastifyInstance; core: Core; baseUrl: string };
  const workers: WorkerProcess[] = [];
  const metricsPorts = new Map<WorkerProcess, number>();
  /** A URL of a response, pointed at the second API. */
  const viaSecond = (url: string): string => first.abs(url).replace(/^http:\/\/[^/]+/, second.baseUrl);

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-scale-'));
    redis = new PersistentRedis(await freePort(), dir);
    await redis.start();
    s3 = await startS3Server([BUCKET]);
    const storageEnv = { STORAGE_URL: `s3://${BUCKET}/files`, STORAGE_S3_ENDPOINT: s3.endpoint, STORAGE_S3_ACCESS_KEY_ID: S3_KEY_ID, STORAGE_S3_SECRET_ACCESS_KEY: 'store-secret', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
    first = await startTestServer({ worker: false, redisUrl: redis.url, env: storageEnv });
    const config = loadConfig({ ...storageEnv, DATA_DIR: path.join(dir, 'api-2'), HOST: '127.0.0.1', PORT: '0', API_KEYS: first.config.apiKeys?.join(',') ?? '', REDIS_URL: redis.url, LOG_LEVEL: 'silent' });
    const core = createCore(config, redis.url, await configuredKeys(config));
    const app = await startApi(core, createLogger('silent', 'api-2'));
    second = { app, core, baseUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
    for (const name of ['worker-a', 'worker-b']) {
      const metricsPort = await freePort();
      workers.push(await startWorkerProcess(first, { ...storageEnv, ...FAST_RECOVERY, DATA_DIR: path.join(dir, name), HOST: '127.0.0.1', METRICS_PORT: String(metricsPort) }));
      metricsPorts.set(workers[workers.length - 1] as WorkerProcess, metricsPort);
    }
  });

  after(async () => {
    for (const w of workers) await w.kill();
    await second?.app.close();
    await second?.core.close();
    await first?.stop();
    await s3?.stop();
    await redis?.kill();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('both workers are alive and the APIs are ready', async () => {
    for (const base of [first.baseUrl, second.baseUrl]) {
      const ready = await json<{ checks: { workers: { alive: number } } }>(`${base}/readyz`);
      assert.equal(ready.status, 200, JSON.stringify(ready.body));
      assert.equal(ready.body.checks.workers.alive, 2);
    }
  });

  it('creates on one API, uploads and downloads through the other', async () => {
    const created = await postJson(`${first.baseUrl}/process`, { inputformat: 'svg', outputformat: 'png' }, auth());
    assert.equal(created.status, 200);
    const started = await postJson(first.abs(String(created.body['url'])), { input: 'upload', outputformat: 'png' });
    const upload = await fetch(`${viaSecond(String((started.body['upload'] as { url: string }).url))}/shape.svg`, { method: 'PUT', body: SVG });
    assert.equal(upload.status, 200);
    const final = await json(`${viaSecond(String(created.body['url']))}?wait=true`);
    assert.equal(final.body['step'], 'finished', JSON.stringify(final.body));
    const download = await fetch(viaSecond(String((final.body['output'] as { url: string }).url)));
    assert.equal(download.status, 200);
    const png = await sharp(Buffer.from(await download.arrayBuffer())).metadata();
    assert.deepEqual([png.format, png.width, png.height], ['png', 120, 80]);
  });

  it('a worker killed with SIGKILL mid-conversion: the other one finishes it', async () => {
    const created = await postJson(`${second.baseUrl}/process`, { inputformat: 'png', outputformat: 'avif' }, auth());
    const id = String(created.body['id']);
    const url = viaSecond(String(created.body['url']));
    const started = await postJson(url, { input: 'base64', file: (await slowInput()).toString('base64'), filename: 'noise.png', outputformat: 'avif', converteroptions: { quality: 60 } });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    let runner: WorkerProcess | undefined;
    await until(async () => {
      runner = workers.find((w) => w.output().includes(`"processId":"${id}"`) && w.output().includes('conversion started'));
      return runner !== undefined && (await json(url)).body['step'] === 'convert';
    }, 20000, 'a worker to start the conversion');
    const survivor = workers.find((w) => w !== runner);
    assert.ok(runner !== undefined && survivor !== undefined);
    await runner.kill();
    const final = await json(`${first.abs(String(created.body['url']))}?wait=true`);
    assert.equal(final.body['step'], 'finished', JSON.stringify(final.body));
    assert.ok(survivor.output().includes(`"processId":"${id}"`), 'the surviving worker took it over');
    const download = await fetch(first.abs(String((final.body['output'] as { url: string }).url)));
    assert.equal((await sharp(Buffer.from(await download.arrayBuffer())).metadata()).format, 'heif');
    workers.splice(workers.indexOf(runner), 1);
    // The survivor counts it on its own /metrics (METRICS_PORT), as a worker-only process does.
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPorts.get(survivor)}/metrics`)).text();
    assert.match(metrics, /openconvert_conversions_total\{engine="sharp",result="finished"\} [1-9]/);
    assert.match(metrics, /openconvert_workers_active [12]\n/, 'the killed one counts until its heartbeat expires');
    assert.equal((await fetch(`http://127.0.0.1:${metricsPorts.get(survivor)}/healthz`)).status, 200);
  });

  it('Redis restarted (append-only file): records survive and both APIs and the worker carry on', async () => {
    const before = await postJson(`${first.baseUrl}/process`, { inputformat: 'svg', outputformat: 'png' }, auth());
    const beforeUrl = first.abs(String(before.body['url']));
    const done = await postJson(beforeUrl, { input: 'base64', file: SVG.toString('base64'), filename: 'a.svg', outputformat: 'png', save: true, wait: true });
    assert.equal(done.body['step'], 'finished', JSON.stringify(done.body));

    await redis.kill();
    await redis.start();

    // The API's fail-fast connection answers 503 until ioredis has reconnected (its backoff).
    await until(async () => (await json(viaSecond(beforeUrl))).status !== 503, 20000, 'the API to reconnect to Redis');
    const kept = await json(viaSecond(beforeUrl));
    assert.equal(kept.body['step'], 'finished', 'the record survived the restart');
    const saved = await fetch(first.abs(String((done.body['output'] as { url: string }).url)));
    assert.equal(saved.status, 200);
    // The worker's heartbeat comes back within its interval; then new work flows again.
    await until(async () => (await json(`${second.baseUrl}/readyz`)).status === 200, 20000, 'readiness after the restart');
    const after = await postJson(`${second.baseUrl}/process`, { inputformat: 'svg', outputformat: 'png' }, auth());
    assert.equal(after.status, 200, JSON.stringify(after.body));
    const converted = await postJson(viaSecond(String(after.body['url'])), { input: 'base64', file: SVG.toString('base64'), filename: 'b.svg', outputformat: 'png', wait: true });
    assert.equal(converted.body['step'], 'finished', JSON.stringify(converted.body));
    for (const w of workers) assert.equal(w.child.exitCode, null, 'the worker process is still running');
  });
});
