// X-Request-Id, in memory through app.inject: a safe id the client sends is kept and echoed on
// every answer (success, error, 404, a malformed URL), an unsafe or missing one is replaced by
// a fresh UUID, and the id of the request that starts a process is recorded with it, so the
// worker's log lines can name it. GET /version lives here too: it needs nothing but the app.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { auth } from '../helpers/http.js';
import { startMemoryApp, type MemoryApp } from '../helpers/memory/app.js';

const JSON_TYPE = { 'content-type': 'application/json' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

// With an OTLP endpoint set, every route handler runs wrapped in its request's span (no SDK is
// started here, so nothing is exported): the same answers must come out.
function requestIdSuite(label: string, env: Record<string, string>): void {
  describe(`X-Request-Id (in memory, ${label})`, () => {
    let server: MemoryApp;
    before(async () => {
      server = await startMemoryApp(env);
    });
    after(async () => server?.stop());

    it('echoes a safe id the client sent, on success, errors, 404s and malformed URLs', async () => {
      const cases = [
        { method: 'GET', url: '/healthz', status: 200 },
        { method: 'POST', url: '/process', status: 401 },
        { method: 'GET', url: '/no/such/route', status: 404 },
        { method: 'GET', url: '/process/%zz', status: 400 },
      ] as const;
      for (const [i, { method, url, status }] of cases.entries()) {
        const id = `client-req_${i}.x:1`;
        const reply = await server.request({ method, url, headers: { 'x-request-id': id } });
        assert.equal(reply.statusCode, status, `${method} ${url}: ${reply.body}`);
        assert.equal(reply.headers['x-request-id'], id, `${method} ${url}`);
      }
    });

    it('makes up a new UUID for each request that sends none', async () => {
      const first = await server.request({ method: 'GET', url: '/healthz' });
      const second = await server.request({ method: 'GET', url: '/no/such/route' });
      assert.match(String(first.headers['x-request-id']), UUID);
      assert.match(String(second.headers['x-request-id']), UUID);
      assert.notEqual(first.headers['x-request-id'], second.headers['x-request-id']);
    });

    it('replaces an unsafe id (too long, characters outside A-Z a-z 0-9 . _ : -, empty) with a UUID', async () => {
      for (const unsafe of ['x'.repeat(129), 'has space', 'a/b', '<script>', 'quote"d', 'ünïcode', 'a,b', '']) {
        const reply = await server.request({ method: 'GET', url: '/healthz', headers: { 'x-request-id': unsafe } });
        assert.equal(reply.statusCode, 200);
        assert.match(String(reply.headers['x-request-id']), UUID, JSON.stringify(unsafe));
      }
      const longest = 'y'.repeat(128);
      assert.equal((await server.request({ method: 'GET', url: '/healthz', headers: { 'x-request-id': longest } })).headers['x-request-id'], longest);
    });

    it('lets browsers send and read it (CORS)', async () => {
      const reply = await server.request({ method: 'OPTIONS', url: '/process', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-request-id' } });
      assert.match(String(reply.headers['access-control-allow-headers']), /X-Request-Id/i);
      assert.match(String(reply.headers['access-control-expose-headers']), /X-Request-Id/i);
    });

    it('records the id of the request that started a process, for the worker', async () => {
      const created = await server.request({ method: 'POST', url: '/process', headers: { ...JSON_TYPE, ...auth(), 'x-request-id': 'create-1' }, payload: JSON.stringify({ inputformat: 'png', outputformat: 'jpg' }) });
      assert.equal(created.statusCode, 200, created.body);
      const { id, url } = created.json<{ id: string; url: string }>();
      const started = await server.request({ method: 'POST', url, headers: { ...JSON_TYPE, 'x-request-id': 'start-2' }, payload: JSON.stringify({ input: 'base64', file: PNG.toString('base64'), filename: 'a.png', outputformat: 'jpg' }) });
      assert.equal(started.statusCode, 200, started.body);
      assert.ok(server.queue.admitted.includes(id), 'queued');
      assert.deepEqual((await server.repository.get(id))?.trace, { requestId: 'start-2' }, 'the starting request, and no traceparent while tracing is off');
    });

    it('records the id of the upload that handed a process to the queue (input=upload)', async () => {
      const created = await server.request({ method: 'POST', url: '/process', headers: { ...JSON_TYPE, ...auth() }, payload: JSON.stringify({ inputformat: 'png', outputformat: 'jpg' }) });
      const { id, url } = created.json<{ id: string; url: string }>();
      const started = await server.request({ method: 'POST', url, headers: JSON_TYPE, payload: JSON.stringify({ input: 'upload', outputformat: 'jpg' }) });
      const upload = started.json<{ upload: { url: string } }>().upload.url;
      const uploaded = await server.request({ method: 'PUT', url: `${upload}/a.png`, headers: { 'x-request-id': 'upload-3' }, payload: PNG });
      assert.equal(uploaded.statusCode, 200, uploaded.body);
      assert.equal((await server.repository.get(id))?.trace?.requestId, 'upload-3');
    });
  });
}

requestIdSuite('tracing off', {});
requestIdSuite('request tracing hooks on', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });

describe('GET /version (in memory)', () => {
  it('names the package, its version, the Node version, and the commit only when BUILD_COMMIT is set', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
    for (const [env, commit] of [[{}, undefined], [{ BUILD_COMMIT: '0123456789abcdef0123456789abcdef01234567' }, '0123456789abcdef0123456789abcdef01234567']] as const) {
      const server = await startMemoryApp(env);
      try {
        const reply = await server.request({ method: 'GET', url: '/version' });
        assert.equal(reply.statusCode, 200, reply.body);
        const expected = commit === undefined ? { name: pkg.name, version: pkg.version, node: process.version } : { name: pkg.name, version: pkg.version, node: process.version, commit };
        assert.deepEqual(reply.json(), expected);
        const doc = (await server.request({ method: 'GET', url: '/openapi.json' })).json<{ info: { version: string }; paths: Record<string, unknown> }>();
        assert.ok('/version' in doc.paths, '/version is in the OpenAPI document');
        assert.equal(doc.info.version, pkg.version);
      } finally {
        await server.stop();
      }
    }
  });
});
