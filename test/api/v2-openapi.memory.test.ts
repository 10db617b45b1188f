// The OpenAPI document lists the API v2 routes with their words (tag, summary, key or not), and
// documenting them changed no v2 body: the single objects still start with exactly `{"data":`
// and errors keep the v2 shape. Over in-memory dependencies, through app.inject.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { auth } from '../helpers/http.js';
import { startMemoryApp, type MemoryApp } from '../helpers/memory/app.js';

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Array<Record<string, unknown>>;
}
interface Doc {
  tags?: Array<{ name: string; description: string }>;
  paths: Record<string, Record<string, Operation>>;
}

describe('OpenAPI document: API v2 (in memory)', () => {
  let server: MemoryApp;
  let doc: Doc;
  before(async () => {
    server = await startMemoryApp();
    const reply = await server.request({ method: 'GET', url: '/openapi.json' });
    assert.equal(reply.statusCode, 200);
    doc = reply.json<Doc>();
  });
  after(() => server.stop());

  const operation = (path: string, method: string): Operation => {
    const found = doc.paths[path]?.[method];
    assert.ok(found !== undefined, `${method.toUpperCase()} ${path} is in the OpenAPI document`);
    return found;
  };

  it('lists the jobs, tasks and discovery routes under the tag "API v2", with summaries', () => {
    const expected: Array<[string, string, RegExp]> = [
      ['/v2/jobs', 'post', /^Create a job$/],
      ['/v2/jobs', 'get', /^List your jobs$/],
      ['/v2/jobs/{id}', 'get', /^Show a job/],
      ['/v2/jobs/{id}', 'delete', /^Delete a job$/],
      ['/v2/tasks/{id}', 'get', /^Show a task$/],
      ['/v2/tasks/{id}/cancel', 'post', /^Cancel/],
      ['/v2/operations', 'get', /operations/],
      ['/v2/convert/formats', 'get', /format pairs/],
      ['/v2/upload/{id}', 'post', /^Upload the file/],
    ];
    for (const [path, method, summary] of expected) {
      const op = operation(path, method);
      assert.deepEqual(op.tags, ['API v2'], `${method} ${path}`);
      assert.match(op.summary ?? '', summary, `${method} ${path}`);
    }
  });

  it('names the blocking routes under /sync/v2 with their own words and tag', () => {
    assert.equal(operation('/sync/v2/jobs/{id}', 'get').summary, 'Wait for a job');
    assert.equal(operation('/sync/v2/tasks/{id}', 'get').summary, 'Wait for a task');
    assert.equal(operation('/sync/v2/jobs', 'post').summary, 'Create a job and wait for it');
    assert.deepEqual(operation('/sync/v2/jobs/{id}', 'get').tags, ['API v2 (sync)']);
    assert.deepEqual(doc.tags?.map((t) => t.name), ['API v1', 'operations', 'API v2', 'API v2 (sync)']);
    // The other /sync/v2 routes answer as under /v2: listed once, there.
    assert.deepEqual(Object.keys(doc.paths).filter((p) => p.startsWith('/sync/')).sort(), ['/sync/v2/jobs', '/sync/v2/jobs/{id}', '/sync/v2/tasks/{id}']);
    assert.equal(doc.paths['/sync/v2/jobs/{id}']?.['delete'], undefined);
  });

  it('gives every v2 route a summary, and a key requirement only where a key is asked for', () => {
    const v2Paths = Object.keys(doc.paths).filter((p) => /^\/(?:sync\/)?v2\//.test(p));
    assert.ok(v2Paths.length >= 24, `found ${v2Paths.length} v2 paths`);
    for (const path of v2Paths) {
      for (const [method, op] of Object.entries(doc.paths[path] ?? {})) assert.ok((op.summary ?? '') !== '', `${method} ${path} has a summary`);
    }
    assert.deepEqual(operation('/v2/jobs', 'post').security, [{ bearer: [] }]);
    for (const [path, method] of [['/v2/upload/{id}', 'post'], ['/v2/files/{id}/{token}/{filename}', 'get'], ['/v2/operations', 'get'], ['/v2/signed-urls/{id}', 'get']] as const) assert.deepEqual(operation(path, method).security, [], `${method} ${path} needs no key`);
  });

  it('leaves the v2 bodies as they were: `{"data":` first, v2 errors, the list envelope', async () => {
    const me = await server.request({ method: 'GET', url: '/v2/users/me', headers: auth() });
    assert.equal(me.statusCode, 200, me.body);
    assert.ok(me.body.startsWith('{"data":{'), me.body.slice(0, 20));
    const anonymous = await server.request({ method: 'GET', url: '/v2/users/me' });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.json<{ code: string }>().code, 'UNAUTHENTICATED');
    const list = await server.request({ method: 'GET', url: '/v2/operations?filter[operation]=convert' });
    assert.equal(list.statusCode, 200);
    const body = list.json<{ data: Array<{ operation: string }>; links: unknown; meta: unknown }>();
    assert.ok(body.data.length > 0 && body.data.every((i) => i.operation === 'convert'));
    assert.ok(body.links !== undefined && body.meta !== undefined);
  });
});
