// Observability of a real server (own Redis, in-process worker, sharp): after a conversion the
// metrics show the process's own figures, request durations, queue wait, run time and failures
// per engine and the build; the worker's log lines of a conversion carry the id of the request
// that started it. Tracing has its own file (tracing.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CORRUPT_PNG, SVG } from '../helpers/fixtures.js';
import { auth, postJson } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { until } from '../helpers/wait.js';
import { startMetricsServer } from '../../workers/metrics-server.js';

type Line = Record<string, unknown> & { msg?: string };

/** The value of the sample `name{labels}` (all given labels must match); undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = /\{([^}]*)\}/.exec(line)?.[1] ?? '';
    if (wanted.every((w) => labelText.split(',').includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('metrics and request ids after real conversions', () => {
  let server: TestServer;
  const text: string[] = [];
  const lines = (): Line[] => text.join('').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Line);
  const metrics = async (): Promise<string> => (await fetch(`${server.baseUrl}/metrics`)).text();
  before(async () => {
    server = await startTestServer({ logTo: { write: (chunk: string) => void text.push(chunk) }, env: { BUILD_COMMIT: 'c0ffee0123456789' } });
  });
  after(async () => server?.stop());

  /** Creates and starts one conversion with `wait`, the start carrying `requestId`. */
  async function convert(input: Buffer, inputformat: string, outputformat: string, requestId: string): Promise<{ id: string; step: unknown }> {
    const created = await postJson(`${server.baseUrl}/process`, { inputformat, outputformat }, auth());
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const started = await postJson(server.abs(String(created.body['url'])), { input: 'base64', file: input.toString('base64'), filename: `in.${inputformat}`, outputformat, wait: true }, { 'x-request-id': requestId });
    assert.equal(started.headers.get('x-request-id'), requestId, 'echoed');
    return { id: String(created.body['id']), step: started.body['step'] };
  }

  it('the worker logs each conversion with the id of the request that started it', async () => {
    const { id, step } = await convert(SVG, 'svg', 'png', 'obs-start-1');
    assert.equal(step, 'finished');
    await until(async () => lines().some((l) => l.msg === 'conversion finished' && l['processId'] === id), 5000, 'the finish line');
    const workerLines = lines().filter((l) => l['processId'] === id && ['conversion started', 'step changed', 'conversion finished'].includes(String(l.msg)));
    assert.ok(workerLines.length >= 3, JSON.stringify(workerLines));
    for (const line of workerLines) assert.equal(line['requestId'], 'obs-start-1', JSON.stringify(line));
    assert.ok(lines().some((l) => l.msg === 'incoming request' && l['reqId'] === 'obs-start-1'), "the API's own line of that request has the same id");
  });

  it('/metrics: process metrics, request durations, per-engine wait, run time and failures, and the build', async () => {
    const failed = await convert(CORRUPT_PNG, 'png', 'jpg', 'obs-bad-2');
    assert.equal(failed.step, 'error');
    await until(async () => sample(await metrics(), 'openconvert_conversions_total', { engine: 'sharp', result: 'error' }) === 1, 5000, 'the failure to be counted');
    const text = await metrics();
    // prom-client's standard process and Node.js metrics, under their usual names.
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'process_start_time_seconds', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes', 'nodejs_version_info']) {
      assert.notEqual(sample(text, name), undefined, `${name} is exported`);
    }
    assert.ok((sample(text, 'openconvert_http_request_duration_seconds_count', { method: 'POST', route: '/process', status: '200' }) ?? 0) >= 2);
    assert.ok((sample(text, 'openconvert_http_request_duration_seconds_sum', { method: 'POST', route: '/process/:id', status: '200' }) ?? 0) > 0, 'a start with wait=true takes a measurable time');
    assert.equal(sample(text, 'openconvert_http_request_duration_seconds_count', { method: 'POST', route: '/process/:id', status: '422' }), 1, 'the failed one, under its status');
    assert.equal(sample(text, 'openconvert_http_request_duration_seconds_bucket', { method: 'POST', route: '/process', status: '200', le: '+Inf' }), sample(text, 'openconvert_http_request_duration_seconds_count', { method: 'POST', route: '/process', status: '200' }));
    assert.equal(sample(text, 'openconvert_queue_wait_seconds_count', { engine: 'sharp' }), 2, 'both conversions waited for a sharp worker');
    assert.equal(sample(text, 'openconvert_conversion_duration_seconds_count', { engine: 'sharp' }), 2);
    assert.equal(sample(text, 'openconvert_conversion_failures_total', { engine: 'sharp', code: 'CONVERSION_FAILED' }), 1, 'one failure, with its error code');
    assert.equal(sample(text, 'openconvert_conversions_total', { engine: 'sharp', result: 'finished' }), 1);
    assert.equal(sample(text, 'openconvert_build_info', { version: (await import('../../package.json', { with: { type: 'json' } })).default.version, node: process.version, commit: 'c0ffee0123456789' }), 1);
  });

  it("a worker-only process's metrics endpoint serves the same registry, build info included", async () => {
    const endpoint = await startMetricsServer(server.core.metrics, '127.0.0.1', 0);
    try {
      const text = await (await fetch(`http://127.0.0.1:${endpoint.port}/metrics`)).text();
      assert.equal(sample(text, 'openconvert_build_info', { commit: 'c0ffee0123456789' }), 1);
      assert.notEqual(sample(text, 'process_cpu_user_seconds_total'), undefined);
      assert.notEqual(sample(text, 'openconvert_conversion_failures_total', { engine: 'sharp' }), undefined);
    } finally {
      await endpoint.close();
    }
  });
});
