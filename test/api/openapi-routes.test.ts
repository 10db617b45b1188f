// The OpenAPI document against the real server (Redis, API, worker, real conversions): every
// route the server registers is in the document or hidden with a reason, and every documented
// operation is called once, built from its documented examples and the objects made by the calls
// before it. Each answers the status this plan expects, which the document must list, never a
// 5xx, with a body that fits the documented schema.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hiddenBecause, registeredRoutes } from '../../src/api/openapi.js';
import { auth, json, postJson } from '../helpers/http.js';
import { operationsOf, schemaChecker, type DocumentedOperation, type Json, type OpenApiDocument } from '../helpers/openapi.js';
import { startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';

const OPERATOR_KEY = 'operator-key-0123456789abcdef';

/** What the calls made so far have created: ids, tokens, file names. */
type Context = Record<string, string>;

interface Call {
  readonly operationId: string;
  /** The status this call must get; the document must list it. */
  readonly status: number;
  readonly params?: (ctx: Context) => Record<string, string>;
  readonly query?: (ctx: Context) => Record<string, string>;
  /** Instead of the documented example body. */
  readonly body?: (ctx: Context) => unknown;
  /** Reads what later calls need out of the answer. */
  readonly then?: (body: Json, ctx: Context) => void | Promise<void>;
}

const pathOf = (url: unknown): string => new URL(String(url), 'http://x').pathname;
const last = (url: unknown): string => pathOf(url).split('/').pop() ?? '';
const data = (body: Json): Json => body['data'] as Json;
const task = (job: Json, name: string): Json => (job['tasks'] as Json[]).find((t) => t['name'] === name) ?? {};

/** The plan: every documented operation, in an order where each finds what it needs. */
const PLAN: readonly Call[] = [
  { operationId: 'getHealth', status: 200 },
  { operationId: 'getVersion', status: 200 },
  { operationId: 'getReadiness', status: 200 },
  { operationId: 'getMetrics', status: 200 },
  { operationId: 'getPendingProcesses', status: 200 },
  { operationId: 'listConversionTypes', status: 200 },
  { operationId: 'getConversionOptions', status: 200 },
  { operationId: 'getUser', status: 200 },
  { operationId: 'createPreset', status: 200, then: (b, ctx) => void (ctx['preset'] = String(b['id'])) },
  { operationId: 'listPresets', status: 200 },
  { operationId: 'getPreset', status: 200, params: (ctx) => ({ id: ctx['preset'] ?? '' }) },
  { operationId: 'createProcess', status: 200, then: (b, ctx) => void (ctx['a'] = String(b['id'])) },
  { operationId: 'createProcessByGet', status: 200, then: (b, ctx) => void (ctx['b'] = String(b['id'])) },
  { operationId: 'startProcess', status: 200, params: (ctx) => ({ id: ctx['a'] ?? '' }), then: (b, ctx) => void (ctx['uploadA'] = last((b['upload'] as Json)['url'])) },
  { operationId: 'uploadFileWithoutName', status: 400, params: (ctx) => ({ token: ctx['uploadA'] ?? '' }) },
  { operationId: 'uploadFile', status: 200, params: (ctx) => ({ token: ctx['uploadA'] ?? '', file: 'dot.svg' }) },
  { operationId: 'uploadFileForm', status: 200, params: (ctx) => ({ token: ctx['uploadB'] ?? '' }) },
  {
    operationId: 'getProcessStatus',
    status: 200,
    params: (ctx) => ({ id: ctx['a'] ?? '' }),
    query: () => ({ wait: 'true' }),
    then: (b, ctx) => {
      assert.equal(b['step'], 'finished', JSON.stringify(b));
      const output = b['output'] as Json;
      ctx['downloadA'] = last(output['url']);
      ctx['outputA'] = String(output['filename']);
    },
  },
  { operationId: 'downloadOutput', status: 200, params: (ctx) => ({ token: ctx['downloadA'] ?? '' }) },
  { operationId: 'downloadOutputFile', status: 200, params: (ctx) => ({ token: ctx['downloadA'] ?? '', file: ctx['outputA'] ?? '' }) },
  { operationId: 'convert', status: 200, then: (b) => assert.equal(b['step'], 'finished', JSON.stringify(b)) },
  { operationId: 'convertByGet', status: 200 },
  { operationId: 'listProcesses', status: 200, then: (b) => assert.ok(Array.isArray(b) && b.length >= 3) },
  { operationId: 'listProcessesByPost', status: 200 },
  { operationId: 'cancelProcess', status: 200, params: (ctx) => ({ id: ctx['c'] ?? '' }) },
  { operationId: 'deleteProcessByGet', status: 200, params: (ctx) => ({ id: ctx['c'] ?? '' }) },
  { operationId: 'deleteProcess', status: 200, params: (ctx) => ({ id: ctx['a'] ?? '' }) },
  { operationId: 'deletePreset', status: 200, params: (ctx) => ({ id: ctx['preset'] ?? '' }) },
  { operationId: 'v2ListOperations', status: 200 },
  { operationId: 'v2ListConvertFormats', status: 200 },
  { operationId: 'v2GetMe', status: 200 },
  { operationId: 'v2CreateJob', status: 201, then: (b, ctx) => void (ctx['job'] = String(data(b)['id'])) },
  {
    operationId: 'v2SyncGetJob',
    status: 200,
    params: (ctx) => ({ id: ctx['job'] ?? '' }),
    then: (b, ctx) => {
      const exported = task(data(b), 'export');
      assert.equal(exported['status'], 'finished', JSON.stringify(exported));
      ctx['exportTask'] = String(exported['id']);
      const [, , , id = '', token = '', filename = ''] = pathOf(((exported['result'] as Json)['files'] as Json[])[0]?.['url']).split('/');
      Object.assign(ctx, { fileId: id, fileToken: token, fileName: decodeURIComponent(filename) });
    },
  },
  { operationId: 'v2GetJob', status: 200, params: (ctx) => ({ id: ctx['job'] ?? '' }) },
  { operationId: 'v2WaitJob', status: 200, params: (ctx) => ({ id: ctx['job'] ?? '' }) },
  { operationId: 'v2ListJobs', status: 200 },
  { operationId: 'v2ListTasks', status: 200, query: (ctx) => ({ 'filter[job_id]': ctx['job'] ?? '' }), then: (b) => assert.equal((b['data'] as Json[]).length, 3) },
  { operationId: 'v2GetTask', status: 200, params: (ctx) => ({ id: ctx['exportTask'] ?? '' }) },
  { operationId: 'v2WaitTask', status: 200, params: (ctx) => ({ id: ctx['exportTask'] ?? '' }) },
  { operationId: 'v2SyncGetTask', status: 200, params: (ctx) => ({ id: ctx['exportTask'] ?? '' }) },
  { operationId: 'v2DownloadFile', status: 200, params: (ctx) => ({ id: ctx['fileId'] ?? '', token: ctx['fileToken'] ?? '', filename: ctx['fileName'] ?? '' }) },
  { operationId: 'v2SyncCreateJob', status: 200, then: (b) => assert.equal(data(b)['status'], 'finished') },
  { operationId: 'v2CreateImportRawTask', status: 201, then: (b, ctx) => void (ctx['rawTask'] = String(data(b)['id'])) },
  { operationId: 'v2CreateConvertTask', status: 201, body: (ctx) => ({ input: ctx['rawTask'], output_format: 'png' }), then: (b, ctx) => void (ctx['convertTask'] = String(data(b)['id'])) },
  { operationId: 'v2CreateExportUrlTask', status: 201, body: (ctx) => ({ input: ctx['convertTask'] }) },
  { operationId: 'v2CreateImportUrlTask', status: 201 },
  {
    operationId: 'v2CreateImportUploadTask',
    status: 201,
    then: (b, ctx) => {
      const form = (data(b)['result'] as Json)['form'] as { url: string; parameters: Record<string, string> };
      Object.assign(ctx, { uploadTask: String(data(b)['id']), uploadForm: JSON.stringify({ ...form.parameters, file: '<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"/>' }) });
    },
  },
  { operationId: 'v2UploadFile', status: 201, params: (ctx) => ({ id: ctx['uploadTask'] ?? '' }), body: (ctx) => JSON.parse(ctx['uploadForm'] ?? '{}') },
  { operationId: 'v2CancelTask', status: 200, params: (ctx) => ({ id: ctx['waitingTask'] ?? '' }) },
  { operationId: 'v2RetryTask', status: 201, params: (ctx) => ({ id: ctx['waitingTask'] ?? '' }), then: (b, ctx) => void (ctx['retried'] = String(data(b)['id'])) },
  { operationId: 'v2DeleteTask', status: 204, params: (ctx) => ({ id: ctx['retried'] ?? '' }) },
  { operationId: 'v2DeleteJob', status: 204, params: (ctx) => ({ id: ctx['job'] ?? '' }) },
  { operationId: 'v2CreateWebhook', status: 201, then: (b, ctx) => void (ctx['webhook'] = String(data(b)['id'])) },
  { operationId: 'v2ListWebhooks', status: 200, then: (b) => assert.equal((b['data'] as Json[]).length, 1) },
  { operationId: 'v2DeleteWebhook', status: 204, params: (ctx) => ({ id: ctx['webhook'] ?? '' }) },
  // No SIGNED_URLS base is configured here: the documented 403.
  { operationId: 'v2RunSignedUrl', status: 403, params: () => ({ id: 'docs' }) },
];

/** The request the document describes, filled from the context. */
function requestFor(baseUrl: string, { path, operation }: DocumentedOperation, call: Call, ctx: Context): { url: string; init: RequestInit } {
  const params = call.params?.(ctx) ?? {};
  const url = new URL(baseUrl + path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? assert.fail(`${call.operationId}: no value for {${name}}`))));
  for (const p of operation.parameters ?? []) if (p.in === 'query' && p.example !== undefined) url.searchParams.set(p.name, String(p.example));
  for (const [name, value] of Object.entries(call.query?.(ctx) ?? {})) url.searchParams.set(name, value);
  const schemes = (operation.security ?? []).flatMap((s) => Object.keys(s));
  const headers: Record<string, string> = schemes.includes('operatorKey') ? auth(OPERATOR_KEY) : schemes.includes('bearer') ? auth(TEST_KEY) : {};
  const [type, media] = Object.entries(operation.requestBody?.content ?? {})[0] ?? [];
  if (type === undefined) return { url: url.href, init: { headers } };
  const example = call.body?.(ctx) ?? media?.example;
  if (type === 'multipart/form-data') {
    const form = new FormData();
    for (const [name, value] of Object.entries(example as Record<string, string>)) {
      if (name === 'file') form.append('file', new Blob([value]), 'dot.svg');
      else form.append(name, String(value));
    }
    return { url: url.href, init: { headers, body: form } };
  }
  const body = type === 'application/json' ? JSON.stringify(example) : String(example);
  return { url: url.href, init: { headers: { ...headers, 'content-type': type }, body } };
}

describe('OpenAPI document against the real server', () => {
  let server: TestServer;
  let doc: OpenApiDocument;
  before(async () => {
    server = await startTestServer({ env: { ADMIN_KEY: OPERATOR_KEY, METRICS_KEY: OPERATOR_KEY } });
    const served = await json<OpenApiDocument>(`${server.baseUrl}/openapi.json`);
    assert.equal(served.status, 200);
    doc = served.body;
  });
  after(() => server.stop());

  it('documents every registered route, or hides it with a reason', async () => {
    const routes = registeredRoutes(server.app);
    const gets = new Set(routes.filter((r) => r.method === 'GET').map((r) => r.url));
    let documented = 0;
    for (const route of routes) {
      // The HEAD twin Fastify adds to every GET shares its documentation.
      if (route.method === 'HEAD' && gets.has(route.url)) continue;
      if (hiddenBecause(route) !== undefined) continue;
      const path = route.url === '/v2/*' ? '/v2/convert' : route.url.replace(/:(\w+)/g, '{$1}');
      const operation = doc.paths[path]?.[route.method.toLowerCase()];
      assert.ok(operation?.operationId !== undefined, `${route.method} ${route.url} is documented (src/api/openapi-v1-docs.ts, src/api/v2/openapi-docs.ts) or hidden with a reason (HIDDEN_ROUTES)`);
      documented++;
    }
    assert.ok(documented >= 50, `${documented} routes documented`);
    assert.equal(hiddenBecause({ method: 'POST', url: '/process' }), undefined);
    assert.match(hiddenBecause({ method: 'POST', url: '/v1/process' }) ?? '', /alias/);
    assert.ok(doc.paths['/admin/pending'] !== undefined && doc.paths['/admin/queues'] === undefined);
    // The aliases left out of the document still answer.
    assert.equal((await json(`${server.baseUrl}/v1/user`, { headers: auth() })).status, 200);
    assert.equal((await json(`${server.baseUrl}/sync/v2/users/me`, { headers: auth() })).status, 200);
  });

  it('answers every documented operation as documented', { timeout: 240_000 }, async () => {
    const operations = new Map(operationsOf(doc).map((o) => [o.operation.operationId ?? '', o]));
    assert.deepEqual(PLAN.map((c) => c.operationId).sort(), [...operations.keys()].sort(), 'the plan calls every documented operation once');
    const check = schemaChecker(doc);
    const ctx: Context = {};
    // Objects the plan's calls act on besides those the calls make: a second and a third v1
    // process, the second waiting for its form upload; a v2 task waiting for its upload.
    const startB = async () => {
      const started = await postJson(`${server.baseUrl}/process/${ctx['b'] ?? ''}`, { input: 'upload', outputformat: 'png' });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      ctx['uploadB'] = last((started.body['upload'] as Json)['url']);
    };
    for (const call of PLAN) {
      if (call.operationId === 'uploadFileForm') await startB();
      if (call.operationId === 'cancelProcess') ctx['c'] = String((await postJson(`${server.baseUrl}/process`, { inputformat: 'svg', outputformat: 'png' }, auth())).body['id']);
      if (call.operationId === 'v2CancelTask') ctx['waitingTask'] = String(data((await postJson(`${server.baseUrl}/v2/import/upload`, {}, auth())).body)['id']);
      const documented = operations.get(call.operationId);
      assert.ok(documented !== undefined, call.operationId);
      const { url, init } = requestFor(server.baseUrl, documented, call, ctx);
      const reply = await fetch(url, { ...init, method: documented.method.toUpperCase(), redirect: 'manual' });
      const text = await reply.text();
      const name = `${call.operationId} (${documented.method.toUpperCase()} ${documented.path})`;
      assert.ok(reply.status < 500, `${name}: ${reply.status} ${text.slice(0, 300)}`);
      assert.equal(reply.status, call.status, `${name}: ${text.slice(0, 300)}`);
      const response = documented.operation.responses[String(reply.status)];
      assert.ok(response !== undefined, `${name}: the document lists ${reply.status}`);
      if (response.headers?.['Location'] !== undefined) assert.ok(reply.headers.get('location'), `${name}: Location`);
      const media = response.content?.['application/json'];
      if (media?.schema === undefined) continue;
      assert.match(reply.headers.get('content-type') ?? '', /^application\/json/, name);
      const body = JSON.parse(text) as Json;
      const validate = check(media.schema);
      assert.ok(validate(body), `${name}: the body fits the documented schema: ${JSON.stringify(validate.errors)} in ${text.slice(0, 300)}`);
      await call.then?.(body, ctx);
    }
  });
});
