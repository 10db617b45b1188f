// Redis killed under a running server (its own redis-server, SIGKILL, then started again on the
// same port and data): every route that needs Redis answers 503 with Retry-After at once instead
// of hanging, the catalog and liveness keep answering, the server recovers by itself when Redis
// returns, and every process accepted before the outage still finishes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { SVG } from '../helpers/fixtures.js';
import { auth, json, postJson } from '../helpers/http.js';
import { startRedisProcess, type RedisProcess } from '../helpers/redis-process.js';
import { startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';
import { until } from '../helpers/wait.js';

const ADMIN_KEY = 'admin-key-0123456789abcdef';

/** The target is an answer within a second; the ceiling leaves room for a busy machine. */
const PROMPT_MS = 2500;

interface Timed {
  readonly status: number;
  readonly ms: number;
  readonly retryAfter: string | null;
  readonly body: Record<string, unknown>;
}

async function timed(url: string, init: RequestInit = {}, limitMs = 30_000): Promise<Timed> {
  const started = Date.now();
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(limitMs) });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { text };
  }
  return { status: response.status, ms: Date.now() - started, retryAfter: response.headers.get('retry-after'), body };
}

function assertUnavailable(what: string, reply: Timed): void {
  assert.equal(reply.status, 503, `${what}: ${JSON.stringify(reply.body)}`);
  assert.ok(reply.ms < PROMPT_MS, `${what} answered after ${reply.ms} ms`);
  assert.ok(Number(reply.retryAfter) > 0, `${what}: Retry-After ${reply.retryAfter}`);
  assert.equal(reply.body['code'], 503, what);
  assert.match(String(reply.body['error']), /Redis/, what);
}

/** A noisy PNG whose AVIF encoding takes a few seconds, so conversions span the outage. */
const slowInput = (): Promise<Buffer> =>
  sharp({ create: { width: 500, height: 500, channels: 3, background: '#888', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).png({ compressionLevel: 1 }).toBuffer();

async function startProcess(server: TestServer, input: Buffer, inputformat: string, outputformat: string): Promise<{ id: string; url: string }> {
  const created = await postJson(`${server.baseUrl}/process`, { inputformat, outputformat }, auth());
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const url = server.abs(String(created.body['url']));
  const started = await postJson(url, { input: 'base64', file: input.toString('base64'), filename: `in.${inputformat}`, outputformat });
  assert.equal(started.status, 200, JSON.stringify(started.body));
  return { id: String(created.body['id']), url };
}

describe('a Redis outage under a running server', () => {
  let redis: RedisProcess;
  let server: TestServer;
  before(async () => {
    redis = await startRedisProcess();
    server = await startTestServer({ redisUrl: redis.url, env: { WORKER_CONCURRENCY: '2', JOB_LOCK_MS: '3000', JOB_STALLED_INTERVAL_MS: '1000', SHUTDOWN_GRACE_SECONDS: '5', ADMIN_KEY: ADMIN_KEY } });
  });
  after(async () => {
    // Redis must be up for the server's own shutdown to be quick.
    await redis?.start().catch(() => undefined);
    await server?.stop();
    await redis?.stop();
  });

  it('answers 503 with Retry-After at once on every Redis route, keeps serving the catalog, and recovers by itself', async () => {
    const existing = await startProcess(server, SVG, 'svg', 'png');
    assert.equal((await json(`${existing.url}?wait=true`)).body['step'], 'finished');

    await redis.kill();
    const form = new FormData();
    form.set('apikey', TEST_KEY);
    form.set('inputformat', 'svg');
    form.set('outputformat', 'png');
    form.set('file', new Blob([SVG]), 'a.svg');
    assertUnavailable('POST /process', await timed(`${server.baseUrl}/process`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ inputformat: 'svg', outputformat: 'png' }) }));
    assertUnavailable('GET /processes', await timed(`${server.baseUrl}/processes`, { headers: auth() }));
    assertUnavailable('GET /v1/processes', await timed(`${server.baseUrl}/v1/processes`, { headers: auth() }));
    assertUnavailable('GET status', await timed(existing.url));
    assertUnavailable('GET status ?wait', await timed(`${existing.url}?wait=true`));
    assertUnavailable('POST /convert multipart', await timed(`${server.baseUrl}/convert`, { method: 'POST', body: form }));
    assertUnavailable('GET /user', await timed(`${server.baseUrl}/user`, { headers: auth() }));
    assertUnavailable('GET /presets', await timed(`${server.baseUrl}/presets`, { headers: auth() }));
    assertUnavailable('GET /admin/pending', await timed(`${server.baseUrl}/admin/pending`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } }));

    const metrics = await timed(`${server.baseUrl}/metrics`);
    assert.equal(metrics.status, 200, 'the metrics are served without the queue gauges');
    assert.ok(metrics.ms < PROMPT_MS + 2000, `metrics took ${metrics.ms} ms`);
    assert.match(String(metrics.body['text']), /openconvert_http_requests_total/);
    const ready = await timed(`${server.baseUrl}/readyz`);
    assert.equal(ready.status, 503);
    assert.ok(ready.ms < PROMPT_MS, `readyz took ${ready.ms} ms`);
    assert.equal((ready.body['checks'] as Record<string, { ok: boolean }> | undefined)?.['redis']?.ok, false);
    assert.equal((await timed(`${server.baseUrl}/healthz`)).status, 200, 'liveness stays up: restarting the API would not bring Redis back');
    assert.equal((await timed(`${server.baseUrl}/conversiontypes?inputformat=svg`)).status, 200, 'the catalog needs no Redis');

    await redis.start();
    await until(async () => (await postJson(`${server.baseUrl}/process`, { inputformat: 'svg', outputformat: 'png' }, auth())).status === 200, 20_000, 'the API to take requests again');
    const after = await startProcess(server, SVG, 'svg', 'png');
    assert.equal((await json(`${after.url}?wait=true`)).body['step'], 'finished');
    assert.equal((await timed(`${server.baseUrl}/readyz`)).status, 200);
  });

  it('loses nothing accepted before the outage: running and queued conversions finish, an open ?wait answers once Redis is back', async () => {
    const input = await slowInput();
    const processes = [];
    for (let i = 0; i < 4; i++) processes.push(await startProcess(server, input, 'png', 'avif'));
    const [first, , , last] = processes;
    await until(async () => (await json(first!.url)).body['step'] === 'convert', 20_000, 'the first conversion to start');
    assert.notEqual((await json(last!.url)).body['step'], 'finished', 'the last one is still queued');
    const openWait = timed(`${last!.url}?wait=true`, {}, 240_000);
    await new Promise((resolve) => setTimeout(resolve, 200));

    await redis.kill();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await redis.start();

    const waited = await openWait;
    assert.equal(waited.status, 200, JSON.stringify(waited.body));
    assert.equal(waited.body['step'], 'finished', JSON.stringify(waited.body));
    for (const process of processes) {
      const final = await json(`${process.url}?wait=true`);
      assert.equal(final.body['step'], 'finished', `${process.id}: ${JSON.stringify(final.body)}`);
    }
  });
});
