// File parts that reach /convert before the API key (the Go client GO-A sends the file part
// first) are spooled within one budget shared by every keyless request at that moment
// (UNAUTHENTICATED_SPOOL_MB), refused with 401 beyond it, and removed in every outcome. A key in
// the header or query still streams parts straight into the process, outside that budget.
import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { multipartBody, rawMultipart, RawClient, type BodyPart } from '../helpers/raw-http.js';
import { startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';
import { until } from '../helpers/wait.js';

const KiB = 1024;
const svgOf = (bytes: number): string => `<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><!-- ${'x'.repeat(bytes)} --></svg>`;
/** GO-A's order: the file part first, then the parameters with the key. */
const goOrder = (svg: string, key = TEST_KEY): BodyPart[] => [
  { name: 'file', filename: 'page.svg', value: svg },
  { name: 'apikey', value: key },
  { name: 'inputformat', value: 'svg' },
  { name: 'outputformat', value: 'png' },
];

describe('spooling before the API key', () => {
  let server: TestServer;
  let spoolDir: string;
  const spooled = async (): Promise<number> => {
    const names = await readdir(spoolDir).catch(() => [] as string[]);
    const sizes = await Promise.all(names.map((name) => stat(path.join(spoolDir, name)).then((s) => s.size, () => 0)));
    return sizes.reduce((sum, size) => sum + size, 0);
  };
  const spoolEmpty = () => until(async () => (await readdir(spoolDir).catch(() => [])).length === 0, 10_000, 'the spool folder to be empty');

  before(async () => {
    server = await startTestServer({ worker: false, env: { REQUIRE_WORKER: 'false', UNAUTHENTICATED_SPOOL_MB: '1' } });
    spoolDir = path.join(server.config.worker.tempDir, 'incoming');
  });
  after(() => server?.stop());

  it('keeps the file-first order working, and removes the spooled file', async () => {
    const reply = await rawMultipart(server.port, '/convert', goOrder(svgOf(100 * KiB)));
    assert.equal(reply.status, 200, reply.body);
    assert.equal(reply.json()['step'], 'wait');
    await spoolEmpty();
  });

  it('refuses a keyless file part past the budget with 401 saying to send the key first', async () => {
    const reply = await rawMultipart(server.port, '/convert', goOrder(svgOf(2048 * KiB)));
    assert.equal(reply.status, 401, reply.body);
    assert.equal(reply.json()['error'], 'No API Key provided!');
    assert.match(String(reply.json()['hint']), /Send the API key before the file: as "Authorization: Bearer <key>", as apikey in the query string, or as an apikey field before the file part/);
    await spoolEmpty();
  });

  it('shares the budget between requests spooling at the same moment, and gives it back when one ends', async () => {
    // The first request sends 700 KiB of its file and waits there, before its key.
    const first = multipartBody(goOrder(svgOf(700 * KiB)));
    const held = await RawClient.open(server.port);
    held.head('POST', '/convert', { 'Content-Type': first.contentType, 'Content-Length': first.length });
    const chunks = [...first.chunks()];
    const fileEnd = chunks.findIndex((chunk) => chunk.length > 600 * KiB) + 1;
    assert.equal(await held.send(chunks.slice(0, fileEnd)), true);
    await until(async () => (await spooled()) >= 700 * KiB, 20_000, 'the first file to be spooled');

    const second = await rawMultipart(server.port, '/convert', goOrder(svgOf(700 * KiB)));
    assert.equal(second.status, 401, 'no room left in the shared budget');

    assert.equal(await held.send(chunks.slice(fileEnd)), true);
    const done = await held.reply();
    held.destroy();
    assert.equal(done.status, 200, done.body);
    const third = await rawMultipart(server.port, '/convert', goOrder(svgOf(700 * KiB)));
    assert.equal(third.status, 200, `the budget was given back: ${third.body}`);
    await spoolEmpty();
  });

  it('removes the spooled part of a client that goes away, and gives its bytes back', async () => {
    const body = multipartBody([{ name: 'file', filename: 'page.svg', fill: 32, size: 900 * KiB }, { name: 'apikey', value: TEST_KEY }]);
    const client = await RawClient.open(server.port);
    client.head('POST', '/convert', { 'Content-Type': body.contentType, 'Content-Length': body.length });
    await client.send([...body.chunks()].slice(0, 5)); // the part's head and 256 KiB of the file
    await until(async () => (await spooled()) > 0, 20_000, 'the file to be spooled');
    client.destroy();
    await spoolEmpty();
    const next = await rawMultipart(server.port, '/convert', goOrder(svgOf(900 * KiB)));
    assert.equal(next.status, 200, next.body);
  });

  it('keeps the order of file parts sent before and after the apikey field', async () => {
    const reply = await rawMultipart(server.port, '/convert', [
      { name: 'mode', value: 'archive' },
      { name: 'outputformat', value: 'zip' },
      { name: 'file', filename: 'first.txt', value: 'one' },
      { name: 'apikey', value: TEST_KEY },
      { name: 'file', filename: 'second.txt', value: 'two' },
    ]);
    assert.equal(reply.status, 200, reply.body);
    const record = await server.core.repository.require(String(reply.json()['id']));
    const source = record.inputSource;
    assert.deepEqual(source?.kind === 'many' ? source.files.map((f) => f.filename) : source, ['first.txt', 'second.txt']);
    await spoolEmpty();
  });

  it('streams parts straight into the process when the key comes first (query or header), outside the budget', async () => {
    const parts = goOrder(svgOf(2048 * KiB)).filter((part) => part.name !== 'apikey');
    assert.equal((await rawMultipart(server.port, `/convert?apikey=${TEST_KEY}`, parts)).status, 200);
    assert.equal((await rawMultipart(server.port, '/convert', parts, { Authorization: `Bearer ${TEST_KEY}` })).status, 200);
    // An apikey field before the file proves the key as well.
    const keyFirst = [{ name: 'apikey', value: TEST_KEY }, ...parts];
    assert.equal((await rawMultipart(server.port, '/convert', keyFirst)).status, 200);
    assert.deepEqual(await readdir(spoolDir).catch(() => []), []);
  });
});
