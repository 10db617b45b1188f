// METRICS_KEY: with it set, /metrics (API and worker-only endpoint) and the details of /readyz
// need the key; /healthz and the bare /readyz status stay open. Without it, all stay open.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startMetricsServer, type MetricsServer } from '../../workers/metrics-server.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const METRICS_KEY = 'operator-key-0123456789abcdef';
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { headers });
  return { status: response.status, text: await response.text() };
}

describe('operator routes with METRICS_KEY', () => {
  let server: TestServer;
  let workerEndpoint: MetricsServer;
  before(async () => {
    server = await startTestServer({ worker: false, env: { METRICS_KEY } });
    workerEndpoint = await startMetricsServer(server.core.metrics, '127.0.0.1', 0, server.config.metricsKey);
  });
  after(async () => {
    await workerEndpoint?.close();
    await server?.stop();
  });

  it('refuses /metrics without the key, or with a wrong one, with a JSON 401', async () => {
    for (const [url, headers] of [[`${server.baseUrl}/metrics`, {}], [`${server.baseUrl}/metrics`, bearer('wrong-key-0123456789abcdef')], [`${server.baseUrl}/metrics?key=nope`, {}]] as const) {
      const reply = await get(url, headers);
      assert.equal(reply.status, 401, url);
      assert.equal((JSON.parse(reply.text) as { code: number }).code, 401);
      assert.doesNotMatch(reply.text, /openconvert_/);
    }
  });

  it('serves /metrics with the key as Bearer header or ?key=', async () => {
    for (const reply of [await get(`${server.baseUrl}/metrics`, bearer(METRICS_KEY)), await get(`${server.baseUrl}/metrics?key=${METRICS_KEY}`)]) {
      assert.equal(reply.status, 200);
      assert.match(reply.text, /openconvert_http_requests_total/);
    }
  });

  it('answers /readyz without the key with its status code only, and with the key with the details', async () => {
    const bare = await get(`${server.baseUrl}/readyz`);
    assert.equal(bare.status, 200, 'no worker, but Redis and the store answer: ready');
    assert.deepEqual(JSON.parse(bare.text), { ready: true });
    const detailed = await get(`${server.baseUrl}/readyz`, bearer(METRICS_KEY));
    assert.equal(detailed.status, 200);
    const body = JSON.parse(detailed.text) as { checks: { redis: { ok: boolean }; workers: { ok: boolean; error?: string } } };
    assert.equal(body.checks.redis.ok, true);
    assert.equal(body.checks.workers.ok, false);
    assert.match(body.checks.workers.error ?? '', /^no live worker/);
  });

  it('keeps /healthz open', async () => {
    assert.equal((await get(`${server.baseUrl}/healthz`)).status, 200);
  });

  it("protects a worker-only process's /metrics the same way, but not its /healthz", async () => {
    const base = `http://127.0.0.1:${workerEndpoint.port}`;
    assert.equal((await get(`${base}/metrics`)).status, 401);
    assert.equal((await get(`${base}/metrics?key=${METRICS_KEY}`)).status, 200);
    assert.equal((await get(`${base}/metrics`, bearer(METRICS_KEY))).status, 200);
    assert.equal((await get(`${base}/healthz`)).status, 200);
  });
});

describe('operator routes without METRICS_KEY', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ worker: false });
  });
  after(() => server?.stop());

  it('serves /metrics and the /readyz details to anyone, as before', async () => {
    assert.equal((await get(`${server.baseUrl}/metrics`)).status, 200);
    const ready = JSON.parse((await get(`${server.baseUrl}/readyz`)).text) as { checks?: unknown };
    assert.ok(ready.checks !== undefined);
  });
});
