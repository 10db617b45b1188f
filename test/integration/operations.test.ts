// Health, readiness and metrics of a real server (own Redis, in-process
// worker, sharp): each readiness check is shown to fail on its own, and the metrics move after
// a conversion.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { ALL_ENGINE_IDS as ENGINE_IDS } from '../../src/core/catalog/index.js';
import { WorkerHeartbeat } from '../../src/core/workers-registry.js';
import { freePort } from '../../src/runtime/embedded-redis.js';
import { HealthService } from '../../src/services/health-service.js';
import { SVG } from '../helpers/fixtures.js';
import { auth, json, postJson } from '../helpers/http.js';
import { S3_KEY_ID, startS3Server, type S3TestServer } from '../helpers/s3-server.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { until } from '../helpers/wait.js';

type Readiness = { ready: boolean; checks: Record<'redis' | 'storage' | 'workers', { ok: boolean; error?: string; alive?: number; engines?: Record<string, number>; sandboxes?: Record<string, number> }> };

/** The value of one sample line of the exposition text (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = /\{([^}]*)\}/.exec(line)?.[1] ?? '';
    if (wanted.every((w) => labelText.split(',').includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

const metricsOf = async (server: TestServer): Promise<string> => (await fetch(`${server.baseUrl}/metrics`)).text();

describe('health and readiness', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server?.stop();
  });

  it('/healthz answers 200 without a key', async () => {
    const reply = await json(`${server.baseUrl}/healthz`);
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, { status: 'ok' });
  });

  it('/readyz is 200 with Redis, a reachable store and a worker for every engine, and says how its tools are confined', async () => {
    const reply = await json<Readiness>(`${server.baseUrl}/readyz`);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal(reply.body.ready, true);
    assert.equal(reply.body.checks.workers.alive, 1);
    assert.deepEqual(reply.body.checks.workers.sandboxes, { bubblewrap: 1 });
    for (const engine of ENGINE_IDS) assert.equal(reply.body.checks.workers.engines?.[engine], 1, engine);
  });

  it('readiness names redis when Redis does not answer, while /healthz stays 200', async () => {
    // Shutting the test's Redis down would hang the server's own shutdown, so a second readiness
    // check runs against a Redis port nobody listens on.
    const port = await freePort();
    const dead = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: null });
    dead.on('error', () => undefined);
    try {
      const readiness = await new HealthService({ redis: dead, store: server.core.serviceDeps.store, prefix: server.config.redisPrefix, timeoutMs: 500 }).readiness();
      assert.equal(readiness.ready, false);
      assert.equal(readiness.checks.redis.ok, false);
      assert.match(readiness.checks.redis.error ?? '', /Redis did not answer/);
      assert.equal(readiness.checks.storage.ok, true, 'the local store still answers');
      assert.equal(readiness.checks.workers.ok, false);
    } finally {
      dead.disconnect();
    }
    assert.equal((await json(`${server.baseUrl}/healthz`)).status, 200);
  });
});

describe('readiness without workers and with too few engines: ready, with the gap reported', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ worker: false });
  });
  after(async () => {
    await server?.stop();
  });

  it('stays 200 with zero workers (a worker rollout must not take the API out), and names the gap in the body and the metrics', async () => {
    const none = await json<Readiness>(`${server.baseUrl}/readyz`);
    assert.equal(none.status, 200, JSON.stringify(none.body));
    assert.equal(none.body.ready, true);
    assert.deepEqual([none.body.checks.redis.ok, none.body.checks.storage.ok, none.body.checks.workers.ok], [true, true, false]);
    assert.equal(none.body.checks.workers.alive, 0);
    assert.match(none.body.checks.workers.error ?? '', /^no live worker: conversions wait in the queue/);
    const empty = await metricsOf(server);
    assert.match(empty, new RegExp(`^openconvert_engine_workers\\{engine="${ENGINE_IDS[0]}"\\} 0$`, 'm'));

    // A worker that advertises only the first engine: alive, but the others have none.
    const partial = new WorkerHeartbeat(server.core.redis, server.config.redisPrefix, 'partial-worker', [ENGINE_IDS[0]]);
    await partial.start();
    try {
      const reply = await json<Readiness>(`${server.baseUrl}/readyz`);
      assert.equal(reply.status, 200);
      assert.equal(reply.body.checks.workers.alive, 1);
      assert.equal(reply.body.checks.workers.engines?.[ENGINE_IDS[0]], 1);
      assert.match(reply.body.checks.workers.error ?? '', new RegExp(`no live worker runs ${ENGINE_IDS[1]}`));
      const text = await metricsOf(server);
      assert.equal(sample(text, 'openconvert_engine_workers', { engine: ENGINE_IDS[0] }), 1);
      assert.equal(sample(text, 'openconvert_engine_workers', { engine: ENGINE_IDS[1] }), 0);
    } finally {
      await partial.stop();
    }
    assert.equal((await json<Readiness>(`${server.baseUrl}/readyz`)).body.checks.workers.alive, 0, 'a stopped heartbeat is gone at once');
  });

  it('reads the store once per interval and never writes to it, however often it is probed', async () => {
    const calls: string[] = [];
    const real = server.core.serviceDeps.store;
    const counting = new Proxy(real, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push(String(name));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const health = new HealthService({ redis: server.core.redis, store: counting, prefix: server.config.redisPrefix, storeCheckTtlMs: 60_000 });
    for (let i = 0; i < 5; i++) assert.equal((await health.readiness()).checks.storage.ok, true);
    assert.deepEqual(calls, ['probe'], 'one probe for five readiness checks, no write');
    for (let i = 0; i < 10; i++) await json(`${server.baseUrl}/readyz`);
    await assert.rejects(readdir(path.join(server.dataDir, 'health')), 'no probe file was ever written');
  });
});

describe('readiness with an unreachable store', () => {
  let server: TestServer;
  let s3: S3TestServer;
  before(async () => {
    s3 = await startS3Server([]); // no bucket: every request for it fails
    server = await startTestServer({ worker: false, env: { STORAGE_URL: 's3://missing-bucket', STORAGE_S3_ENDPOINT: s3.endpoint, STORAGE_S3_ACCESS_KEY_ID: S3_KEY_ID, STORAGE_S3_SECRET_ACCESS_KEY: 'x', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
  });
  after(async () => {
    await server?.stop();
    await s3?.stop();
  });

  it('is 503 and names the store', async () => {
    const reply = await json<Readiness>(`${server.baseUrl}/readyz`);
    assert.equal(reply.status, 503);
    assert.deepEqual([reply.body.checks.redis.ok, reply.body.checks.storage.ok], [true, false]);
    assert.ok((reply.body.checks.storage.error ?? '').length > 0);
  });
});

describe('metrics', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server?.stop();
  });

  it('counts requests, conversions, durations, queue wait and bytes after a conversion', async () => {
    const before = await metricsOf(server);
    assert.equal(sample(before, 'openconvert_workers_active'), 1);
    assert.equal(sample(before, 'openconvert_conversions_total', { engine: 'sharp', result: 'finished' }), 0);

    const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'svg', outputformat: 'png' }, auth());
    const started = await postJson(server.abs(String(created.body['url'])), { input: 'base64', file: SVG.toString('base64'), filename: 'm.svg', outputformat: 'png', wait: true });
    assert.equal(started.body['step'], 'finished', JSON.stringify(started.body));
    const download = await fetch(server.abs(String((started.body['output'] as { url: string }).url)));
    const size = (await download.arrayBuffer()).byteLength;
    assert.ok(size > 0);

    await until(async () => sample(await metricsOf(server), 'openconvert_conversions_total', { engine: 'sharp', result: 'finished' }) === 1, 5000, 'the conversion to be counted');
    const text = await metricsOf(server);
    assert.equal(sample(text, 'openconvert_conversion_duration_seconds_count', { engine: 'sharp' }), 1);
    assert.ok(sample(text, 'openconvert_conversion_duration_seconds_sum', { engine: 'sharp' }) > 0);
    assert.equal(sample(text, 'openconvert_queue_wait_seconds_count'), 1);
    assert.equal(sample(text, 'openconvert_http_requests_total', { method: 'POST', route: '/process', status: '200' }), 1);
    assert.ok(sample(text, 'openconvert_http_requests_total', { method: 'GET', route: '/metrics', status: '200' }) >= 1);
    assert.equal(sample(text, 'openconvert_queue_depth'), 0);
    assert.ok(sample(text, 'openconvert_http_bytes_total', { direction: 'in' }) - sample(before, 'openconvert_http_bytes_total', { direction: 'in' }) >= SVG.toString('base64').length);
    assert.ok(sample(text, 'openconvert_http_bytes_total', { direction: 'out' }) - sample(before, 'openconvert_http_bytes_total', { direction: 'out' }) >= size);
  });

  it('counts a failed conversion under result="error"', async () => {
    const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'png', outputformat: 'jpg' }, auth());
    const started = await postJson(server.abs(String(created.body['url'])), { input: 'base64', file: Buffer.from('not a png').toString('base64'), filename: 'bad.png', outputformat: 'jpg', wait: true });
    assert.equal(started.body['step'], 'error', JSON.stringify(started.body));
    // The worker counts right after it wrote the end, so the metric may trail the status by a moment.
    await until(async () => sample(await metricsOf(server), 'openconvert_conversions_total', { engine: 'sharp', result: 'error' }) === 1, 5000, 'the error to be counted');
    assert.equal(sample(await metricsOf(server), 'openconvert_conversions_total', { engine: 'sharp', result: 'finished' }), 1, 'not counted as finished');
  });
});
