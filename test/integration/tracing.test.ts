// OpenTelemetry tracing end to end, against a real OTLP/HTTP receiver on loopback: the API (this
// process) and a worker in its own OS process both export spans; one conversion with a callback
// must make one trace from the API's request span through the queue and the worker's conversion
// to the callback request, whose `traceparent` header names the callback's client span. The
// worker's spans arrive because SIGTERM flushes them (its shutdown closes the tracer provider).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger, startTracing, type Tracing } from '../../src/runtime/index.js';
import { startCallbackTarget, type CallbackTarget } from '../helpers/callback-target.js';
import { CORRUPT_PNG, SVG } from '../helpers/fixtures.js';
import { auth, postJson } from '../helpers/http.js';
import { OTLP_KIND, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../helpers/otlp-receiver.js';
import { startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';
import { until } from '../helpers/wait.js';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process.js';

const CLIENT_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CLIENT_SPAN = 'b7ad6b7169203331';

describe('OpenTelemetry: API → queue → worker → callback in one trace', () => {
  let receiver: OtlpReceiver;
  let target: CallbackTarget;
  let server: TestServer;
  let tracing: Tracing;
  let worker: WorkerProcess;
  before(async () => {
    receiver = await startOtlpReceiver();
    target = await startCallbackTarget();
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, ALLOW_PRIVATE_URLS: 'true' };
    server = await startTestServer({ worker: false, env });
    tracing = startTracing(server.config, 'api', createLogger('silent', 'test'));
    worker = await startWorkerProcess(server, env);
  });
  after(async () => {
    await worker?.kill();
    await tracing?.close();
    await server?.stop();
    await target?.stop();
    await receiver?.stop();
  });

  /** Creates a process and starts it (wait=true) with a callback to `hook`; `headers` go with the start. */
  async function convert(hook: string, headers: Record<string, string> = {}, input = { file: SVG, format: 'svg', step: 'finished' }): Promise<string> {
    const created = await postJson(`${server.baseUrl}/process`, { inputformat: input.format, outputformat: 'png' }, auth());
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const start = { input: 'base64', file: input.file.toString('base64'), filename: `t.${input.format}`, outputformat: 'png', callback: `${target.baseUrl}${hook}`, wait: true };
    const started = await postJson(server.abs(String(created.body['url'])), start, headers);
    assert.equal(started.body['step'], input.step, JSON.stringify(started.body));
    return String(created.body['id']);
  }

  it('one trace id spans the request, the queued job, the conversion, its steps and the callback', async () => {
    const id = await convert('/hook-a', { 'x-request-id': 'trace-start-a' });
    const continued = await convert('/hook-b', { traceparent: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01` });
    const failed = await convert('/hook-c', {}, { file: CORRUPT_PNG, format: 'png', step: 'error' });
    // Callbacks are jobs of their own; on a busy machine they may take a few seconds.
    await until(async () => ['/hook-a', '/hook-b', '/hook-c'].every((hook) => target.hits(hook).length === 1), 30_000, 'the three callbacks');
    // Flush: the worker exports what it buffered when SIGTERM shuts it down; the API likewise.
    assert.equal(await worker.terminate(), 0, worker.output().slice(-2000));
    await tracing.close();
    const spans = receiver.spans();
    assert.ok(receiver.requests.every((r) => r.path === '/v1/traces' && r.contentType === 'application/json'), JSON.stringify(receiver.requests));

    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const parentOf = (span: ReceivedSpan | undefined): ReceivedSpan | undefined => (span?.parentSpanId === undefined ? undefined : byId.get(span.parentSpanId));
    const conversion = spans.find((s) => s.name === 'process conversions-light' && s.attributes['openconvert.process_id'] === id);
    assert.ok(conversion !== undefined, `the worker's conversion span is there: ${spans.map((s) => s.name).join(', ')}`);
    const traceId = conversion.traceId;
    const inTrace = spans.filter((s) => s.traceId === traceId);

    // The worker: a consumer span with the engine, mode and result, one child span per pipeline step.
    assert.equal(conversion.kind, OTLP_KIND.consumer);
    assert.equal(conversion.resource['openconvert.role'], 'worker');
    assert.equal(conversion.resource['service.name'], 'openconvert');
    assert.deepEqual([conversion.attributes['openconvert.engine'], conversion.attributes['openconvert.mode'], conversion.attributes['openconvert.result']], ['sharp', 'convert', 'finished']);
    const steps = inTrace.filter((s) => s.parentSpanId === conversion.spanId && s.name.startsWith('step ')).map((s) => s.name);
    for (const step of ['step input', 'step convert', 'step output']) assert.ok(steps.includes(step), `${step} in ${steps.join(', ')}`);

    // Its parent: the job's producer span, made inside the API's request span of the start.
    const producer = parentOf(conversion);
    assert.equal(producer?.name, 'send conversions-light');
    assert.equal(producer?.kind, OTLP_KIND.producer);
    const request = parentOf(producer);
    assert.equal(request?.name, 'POST /process/:id');
    assert.equal(request?.kind, OTLP_KIND.server);
    assert.equal(request?.resource['openconvert.role'], 'api');
    assert.equal(request?.attributes['http.response.status_code'], '200');
    assert.equal(request?.attributes['openconvert.request_id'], 'trace-start-a');
    assert.equal(request?.parentSpanId, undefined, 'a request without traceparent starts the trace');

    // The callback: a client span of the worker in the same trace, and the header the target got names it.
    const callback = inTrace.find((s) => s.kind === OTLP_KIND.client && s.name === 'GET');
    assert.ok(callback !== undefined, 'the callback request is a span of the same trace');
    assert.equal(callback.resource['openconvert.role'], 'worker');
    assert.equal(callback.attributes['http.response.status_code'], '200');
    assert.equal(target.hits('/hook-a')[0]?.headers['traceparent'], `00-${traceId}-${callback.spanId}-01`);
    assert.equal(conversion.statusCode, 0, 'a finished conversion is not marked failed');

    // A client's own traceparent is continued: its trace id runs through to its callback.
    const continuedConversion = spans.find((s) => s.name === 'process conversions-light' && s.attributes['openconvert.process_id'] === continued);
    assert.equal(continuedConversion?.traceId, CLIENT_TRACE);
    const continuedRequest = spans.find((s) => s.name === 'POST /process/:id' && s.traceId === CLIENT_TRACE);
    assert.equal(continuedRequest?.parentSpanId, CLIENT_SPAN);
    assert.match(String(target.hits('/hook-b')[0]?.headers['traceparent']), new RegExp(`^00-${CLIENT_TRACE}-[0-9a-f]{16}-01$`));

    // A conversion that ends in error is a failed span, with the error code.
    const failedConversion = spans.find((s) => s.name === 'process conversions-light' && s.attributes['openconvert.process_id'] === failed);
    assert.equal(failedConversion?.statusCode, 2);
    assert.deepEqual([failedConversion?.attributes['openconvert.result'], failedConversion?.attributes['openconvert.error_code']], ['error', 'CONVERSION_FAILED']);

    // Nothing secret went into a span: no API key, and no upload or download path.
    const exported = JSON.stringify(spans);
    assert.ok(!exported.includes(TEST_KEY), 'the API key is in no span');
    assert.doesNotMatch(exported, /\/(upload|download)\//);
    // The worker's log lines of the conversion carry the starting request's id, across processes.
    assert.match(worker.output(), new RegExp(`"processId":"${id}".*"requestId":"trace-start-a".*"msg":"conversion finished"`));
  });
});

describe('OpenTelemetry off (no endpoint)', () => {
  it('exports nothing, registers no request hooks, and leaves jobs without traceparent', async () => {
    const receiver = await startOtlpReceiver();
    const server = await startTestServer({ worker: false, env: { REQUIRE_WORKER: 'false' } });
    try {
      assert.equal(server.config.telemetry.tracesUrl, undefined);
      const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'svg', outputformat: 'png' }, { ...auth(), traceparent: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01` });
      const id = String(created.body['id']);
      await postJson(server.abs(String(created.body['url'])), { input: 'base64', file: SVG.toString('base64'), filename: 't.svg', outputformat: 'png' });
      const record = await server.core.repository.get(id);
      assert.deepEqual(Object.keys(record?.trace ?? {}), ['requestId'], 'the request id only');
      const job = await server.core.redis.hget(`${server.config.redisPrefix}:conversions-light:${id}`, 'data');
      assert.deepEqual(JSON.parse(job ?? 'null'), { processId: id }, 'the job carries no trace context');
      assert.equal(receiver.requests.length, 0);
    } finally {
      await server.stop();
      await receiver.stop();
    }
  });
});
