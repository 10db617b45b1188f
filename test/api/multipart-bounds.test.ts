// Text fields of multipart bodies are bounded while they arrive: before the API key is known all
// of them together may hold 1 MiB (401: send the key first), after it MAX_BODY_MB (413). Before,
// every field could hold MAX_BODY_MB, buffered before the key was checked: one keyless request of
// 65 large fields ran the server out of memory.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { auth, postJson } from '../helpers/http.js';
import { RawClient, rawMultipart } from '../helpers/raw-http.js';
import { startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';

const MiB = 1024 * 1024;
const SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><!-- ';
const bigSvg = (bytes: number): string => `${SVG_HEAD}${'x'.repeat(bytes)} --></svg>`;

describe('text fields of multipart bodies', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ worker: false, env: { REQUIRE_WORKER: 'false', MAX_BODY_MB: '4' } });
  });
  after(() => server?.stop());

  it('stops a keyless /convert once its text fields pass 1 MiB, with 401 saying to send the key first', async () => {
    const reply = await rawMultipart(server.port, '/convert', [{ name: 'inputformat', value: 'svg' }, { name: 'file', fill: 120, size: 48 * MiB }]);
    assert.equal(reply.status, 401, reply.body);
    assert.equal(reply.json()['code'], 401);
    assert.equal(reply.json()['error'], 'No API Key provided!');
    assert.match(String(reply.json()['hint']), /Send the API key first: as "Authorization: Bearer <key>", as apikey in the query string, or as an apikey field before the large fields/);
    assert.ok(reply.bytesSent < reply.total, `the server read all ${reply.total} bytes before answering`);
  });

  it('refuses the same on /process and /processes, which take no large fields at all', async () => {
    for (const path of ['/process', '/processes']) {
      const reply = await rawMultipart(server.port, path, [{ name: 'x', fill: 120, size: 16 * MiB }]);
      assert.equal(reply.status, 401, `${path}: ${reply.body}`);
      assert.ok(reply.bytesSent < reply.total, path);
    }
  });

  it('lifts the budget to MAX_BODY_MB once an apikey field before the large ones proved the key', async () => {
    const reply = await rawMultipart(server.port, '/convert', [
      { name: 'apikey', value: TEST_KEY },
      { name: 'inputformat', value: 'svg' },
      { name: 'outputformat', value: 'png' },
      { name: 'input', value: 'raw' },
      { name: 'filename', value: 'big.svg' },
      { name: 'file', value: bigSvg(2 * MiB) },
    ]);
    assert.equal(reply.status, 200, reply.body);
    assert.equal(reply.json()['step'], 'wait');
  });

  it('an unknown key in an apikey field does not lift the budget', async () => {
    const reply = await rawMultipart(server.port, '/convert', [{ name: 'apikey', value: 'not-a-key-12345' }, { name: 'file', fill: 120, size: 16 * MiB }]);
    assert.equal(reply.status, 401, reply.body);
  });

  it('bounds all text fields of one request together by MAX_BODY_MB (413), with the key in the header', async () => {
    const fields = Array.from({ length: 8 }, (_, i) => ({ name: `field${i}`, fill: 120, size: 1 * MiB }));
    const reply = await rawMultipart(server.port, '/convert', fields, auth());
    assert.equal(reply.status, 413, reply.body);
    assert.match(String(reply.json()['error']), /text fields of this request add up to more than 4 MiB \(MAX_BODY_MB\)/);
    assert.ok(reply.bytesSent <= reply.total);
  });

  it('bounds a process URL start (authenticated by its id) the same way, and takes one below the bound', async () => {
    const url = async (): Promise<string> => {
      const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'svg', outputformat: 'png' }, auth());
      return new URL(server.abs(String(created.body['url']))).pathname;
    };
    const many = Array.from({ length: 8 }, (_, i) => ({ name: `field${i}`, fill: 120, size: 1 * MiB }));
    assert.equal((await rawMultipart(server.port, await url(), many)).status, 413);
    const raw = await rawMultipart(server.port, await url(), [{ name: 'input', value: 'raw' }, { name: 'filename', value: 'a.svg' }, { name: 'file', value: bigSvg(3 * MiB) }]);
    assert.equal(raw.status, 200, raw.body);
  });

  it('refuses a start of an unknown process URL with 404 before reading its body, JSON or multipart', async () => {
    const json = await RawClient.open(server.port);
    json.head('POST', '/process/no-such-process-id', { 'Content-Type': 'application/json', 'Content-Length': 48 * MiB });
    const sentAll = await json.send((function* () {
      yield Buffer.from('{"file":"');
      for (let sent = 0; sent < 48 * MiB - 20; sent += 64 * 1024) yield Buffer.alloc(64 * 1024, 120);
    })());
    const reply = await json.reply();
    json.destroy();
    assert.equal(reply.status, 404, reply.body);
    assert.equal(sentAll, false, 'answered before the whole body was sent');
    const multipart = await rawMultipart(server.port, '/process/no-such-process-id', [{ name: 'file', fill: 120, size: 48 * MiB }]);
    assert.equal(multipart.status, 404);
    assert.ok(multipart.bytesSent < multipart.total);
  });

  it('refuses more text fields than any start needs with 413', async () => {
    const fields = Array.from({ length: 400 }, (_, i) => ({ name: `f${i}`, value: 'x' }));
    const reply = await rawMultipart(server.port, '/convert', fields, auth());
    assert.equal(reply.status, 413, reply.body);
  });
});
