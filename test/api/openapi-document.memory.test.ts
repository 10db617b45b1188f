// The OpenAPI document at /openapi.json is a valid OpenAPI 3.1 document (checked by a real
// validator), every operation has its words (operationId, summary, security, responses) and
// every example in it validates against the schema beside it. The docs page serves it. Over
// in-memory dependencies, through app.inject.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { OPERATION_DOCS } from '../../src/api/openapi.js';
import { startMemoryApp, type MemoryApp } from '../helpers/memory/app.js';
import { operationsOf, schemaChecker, type OpenApiDocument } from '../helpers/openapi.js';

describe('OpenAPI document (in memory)', () => {
  let server: MemoryApp;
  let doc: OpenApiDocument;
  before(async () => {
    server = await startMemoryApp();
    const reply = await server.request({ method: 'GET', url: '/openapi.json' });
    assert.equal(reply.statusCode, 200);
    doc = reply.json<OpenApiDocument>();
  });
  after(() => server.stop());

  it('is a valid OpenAPI 3.1 document', async () => {
    assert.equal(doc.openapi, '3.1.0');
    const result = await new Validator().validate(structuredClone(doc) as unknown as Record<string, unknown>);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 1)?.slice(0, 3000));
  });

  it('gives every operation a unique operationId, a summary, a tag, its security and responses', () => {
    const ids = new Set<string>();
    for (const { path, method, operation } of operationsOf(doc)) {
      const name = `${method.toUpperCase()} ${path}`;
      assert.match(operation.operationId ?? '', /^[a-z][A-Za-z0-9]+$/, `${name} has a readable operationId`);
      assert.ok(!ids.has(operation.operationId ?? ''), `${name}: operationId ${operation.operationId} is unique`);
      ids.add(operation.operationId ?? '');
      assert.ok((operation.summary ?? '') !== '', `${name} has a summary`);
      assert.equal(operation.tags?.length, 1, `${name} has a tag`);
      assert.ok(Array.isArray(operation.security), `${name} says whether it needs a key`);
      assert.ok(Object.keys(operation.responses).length > 0, `${name} lists its responses`);
      for (const parameter of operation.parameters ?? []) if (parameter.in === 'path') assert.ok((parameter.description ?? '') !== '', `${name}: {${parameter.name}} says where its value comes from`);
    }
    // Every entry of the tables is in the document: none describes a route that is gone. (The
    // /admin routes exist only with ADMIN_KEY; test/api/openapi-routes.test.ts has them.)
    const tabled = Object.entries(OPERATION_DOCS).filter(([key]) => !key.includes(' /admin/'));
    assert.deepEqual([...ids].sort(), tabled.map(([, d]) => d.operationId).sort());
  });

  it('lists each v1 path once, without its /v1 alias, and says that /v1 works', () => {
    const paths = Object.keys(doc.paths);
    assert.deepEqual(paths.filter((p) => p.startsWith('/v1/')), []);
    for (const p of ['/process', '/process/{id}', '/convert', '/upload/{token}/{file}', '/download/{token}']) assert.ok(paths.includes(p), p);
    assert.match(doc.info.description, /also answers under `\/v1`/);
    assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['apikey', 'bearer', 'operatorKey']);
    assert.deepEqual(doc.components.securitySchemes['apikey'], { ...doc.components.securitySchemes['apikey'], type: 'apiKey', in: 'query', name: 'apikey' });
    assert.deepEqual(doc.components.securitySchemes['bearer'], { ...doc.components.securitySchemes['bearer'], type: 'http', scheme: 'bearer' });
  });

  it('asks for a key exactly where the server does', () => {
    const security = (path: string, method: string | undefined) => doc.paths[path]?.[method ?? '']?.security;
    for (const [path = '', method] of [['/process', 'post'], ['/convert', 'get'], ['/user', 'get'], ['/processes', 'get'], ['/presets/{id}', 'delete']]) assert.deepEqual(security(path, method), [{ bearer: [] }, { apikey: [] }], `${method} ${path}`);
    for (const [path = '', method] of [['/process/{id}', 'post'], ['/process/{id}', 'get'], ['/upload/{token}/{file}', 'put'], ['/download/{token}', 'get'], ['/conversiontypes', 'get'], ['/healthz', 'get'], ['/v2/upload/{id}', 'post'], ['/v2/operations', 'get']]) assert.deepEqual(security(path, method), [], `${method} ${path} is open`);
    assert.deepEqual(security('/v2/jobs', 'post'), [{ bearer: [] }]);
  });

  it('describes request bodies as JSON, form and multipart where the routes read them', () => {
    const types = (path: string, method: string) => Object.keys(doc.paths[path]?.[method]?.requestBody?.content ?? {});
    assert.deepEqual(types('/process', 'post'), ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data']);
    assert.deepEqual(types('/convert', 'post'), ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data']);
    assert.deepEqual(types('/upload/{token}', 'post'), ['multipart/form-data']);
    assert.deepEqual(types('/upload/{token}/{file}', 'put'), ['application/octet-stream']);
    assert.deepEqual(types('/v2/jobs', 'post'), ['application/json']);
    assert.deepEqual(types('/v2/upload/{id}', 'post'), ['multipart/form-data']);
    assert.equal(doc.paths['/process/{id}']?.['get']?.requestBody, undefined);
  });

  it('has an example for every request body and every JSON response, each valid against its schema', () => {
    const check = schemaChecker(doc);
    let examples = 0;
    for (const { path, method, operation } of operationsOf(doc)) {
      const media = [
        ...Object.entries(operation.requestBody?.content ?? {}).map(([type, m]) => ({ where: `request ${type}`, ...m })),
        ...Object.entries(operation.responses).flatMap(([status, r]) => Object.entries(r.content ?? {}).map(([type, m]) => ({ where: `${status} ${type}`, ...m }))),
        ...(operation.parameters ?? []).filter((p) => p.example !== undefined).map((p) => ({ where: `parameter ${p.name}`, schema: p.schema, example: p.example })),
      ];
      for (const { where, schema, example } of media) {
        assert.ok(schema !== undefined && example !== undefined, `${method} ${path} ${where} has a schema and an example`);
        const validate = check(schema);
        assert.ok(validate(example), `${method} ${path} ${where}: ${JSON.stringify(validate.errors)}`);
        examples++;
      }
      const errors = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400);
      for (const [status, response] of errors) {
        const ref = response.content?.['application/json']?.schema?.['$ref'] ?? response.content?.['text/plain']?.schema?.['$ref'];
        assert.match(String(ref), /\/(V1Error|V1ErrorOrStatus|V2Error|Readiness|Text)$/, `${method} ${path} ${status} refers to an error schema`);
      }
    }
    assert.ok(examples > 100, `${examples} examples checked`);
    // The checker itself rejects a wrong example.
    assert.equal(check({ $ref: '#/components/schemas/V1Error' })({ code: 'x' }), false);
  });

  it('serves the docs page with the document', async () => {
    const page = await server.request({ method: 'GET', url: '/docs/' });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(page.body, /<title>openconvert API<\/title>/);
    // Every asset the page loads is served (no CDN: the page works offline).
    const assets = [...page.body.matchAll(/(?:src|href)="(?:\.|\/docs)\/(static\/[^"]+)"/g)].map((m) => `/docs/${m[1] ?? ''}`);
    assert.ok(assets.length >= 4, assets.join());
    for (const asset of assets) assert.equal((await server.request({ method: 'GET', url: asset })).statusCode, 200, asset);
    const initializer = await server.request({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
    assert.equal(initializer.statusCode, 200);
    const bundle = await server.request({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' });
    assert.equal(bundle.statusCode, 200);
    assert.ok(bundle.body.length > 100_000);
    const json = await server.request({ method: 'GET', url: '/docs/json' });
    assert.equal(json.statusCode, 200);
    assert.deepEqual(json.json(), doc);
    const yaml = await server.request({ method: 'GET', url: '/docs/yaml' });
    assert.equal(yaml.statusCode, 200);
    assert.match(yaml.body, /^openapi: 3\.1\.0$/m);
    assert.match(yaml.body, /operationId: v2CreateJob$/m);
  });
});
