// Each class of bad input that needs the real server, over real HTTP: a conversion, the worker,
// Redis or the wire itself. The status code, a JSON {error, code} body whose message says what
// to fix, and no damage (no 500, no hang, no file outside the data dir). The pure refusals (formats,
// parameters, options, keys, unknown ids) run in memory: test/api/bad-input.memory.test.ts.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { CORRUPT_PNG, pngOf } from '../helpers/fixtures.js';
import { auth } from '../helpers/http.js';
import { startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';
import { delay, multipart, send, sendRawPath, stateAfter, type WireReply } from '../helpers/wire.js';

const JSON_TYPE = { 'content-type': 'application/json' };

/** A JSON error reply: `{error, code}` with code = HTTP status, and the message matching `message`. */
function assertError(reply: WireReply, status: number, message: RegExp): void {
  const where = `${reply.method} ${reply.url}`;
  assert.equal(reply.status, status, `${where}: ${reply.text.slice(0, 300)}`);
  assert.match(reply.headers.get('content-type') ?? '', /^application\/json/, where);
  assert.equal(reply.body?.code, status, where);
  assert.match(reply.body?.error ?? '', message, where);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('bad input', () => {
  // Started without ALLOW_PRIVATE_URLS: private and loopback URLs are refused.
  let server: TestServer;
  let fixtures: FixtureServer;
  let png: Buffer;
  const api = (p: string) => `${server.baseUrl}${p}`;
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    send(url, { method: 'POST', headers: { ...JSON_TYPE, ...headers }, body: JSON.stringify(body) });
  const create = async (body: Record<string, unknown> = { inputformat: 'png', outputformat: 'jpg' }, key = TEST_KEY) => {
    const reply = await post(api('/process'), body, auth(key));
    assert.equal(reply.status, 200, reply.text);
    return { id: reply.body.id as string, url: server.abs(reply.body.url) };
  };
  /** Creates and starts with input=upload; returns the process and upload URLs. */
  const waitingForUpload = async (start: Record<string, unknown> = {}) => {
    const { id, url } = await create();
    const started = await post(url, { input: 'upload', ...start });
    assert.equal(started.status, 200, started.text);
    return { id, url, uploadUrl: server.abs(started.body.upload.url), outputUrl: server.abs(started.body.output.url) };
  };
  const upload = (uploadUrl: string, name: string, data: Buffer) =>
    send(`${uploadUrl}/${encodeURIComponent(name)}`, { method: 'PUT', headers: { 'content-length': String(data.length) }, body: data });
  /** A finished png→jpg conversion via /convert (wait), optionally with save. */
  const converted = async (extra: Record<string, unknown> = {}) => {
    const { body, contentType } = multipart([
      { name: 'inputformat', value: 'png' },
      { name: 'outputformat', value: 'jpg' },
      { name: 'wait', value: 'true' },
      ...Object.entries(extra).map(([name, value]) => ({ name, value: String(value) })),
      { name: 'file', filename: 'in.png', data: png },
    ]);
    const reply = await send(api('/convert'), { method: 'POST', headers: { 'content-type': contentType, ...auth() }, body });
    assert.equal(reply.body?.step, 'finished', reply.text);
    return reply.body as { id: string; url: string; output: { url: string } };
  };

  before(async () => {
    [server, fixtures, png] = await Promise.all([startTestServer(), startFixtureServer(), pngOf(40, 30)]);
    fixtures.serve('/in.png', png, 'image/png');
  });
  after(async () => {
    await server.stop();
    await fixtures.stop();
  });

  describe('malformed parameters', () => {
    it('a malformed or cut-short multipart body is a 400 on every route that reads one, and leaves the process startable', async () => {
      const whole = multipart([{ name: 'apikey', value: TEST_KEY }, { name: 'inputformat', value: 'png' }, { name: 'outputformat', value: 'jpg' }, { name: 'file', filename: 'in.png', data: png }]);
      const fileFirst = multipart([{ name: 'file', filename: 'in.png', data: png }, { name: 'apikey', value: TEST_KEY }, { name: 'inputformat', value: 'png' }, { name: 'outputformat', value: 'jpg' }]);
      const { url, uploadUrl } = await waitingForUpload();
      const { url: unstarted } = await create();
      const garbage = { 'content-type': 'multipart/form-data; boundary=xyz' };
      const bodies: Array<[string, Record<string, string>, Buffer]> = [
        [api('/convert'), { 'content-type': whole.contentType }, whole.body.subarray(0, whole.body.length - 30)],
        [api(`/convert?apikey=${TEST_KEY}`), { 'content-type': whole.contentType }, whole.body.subarray(0, whole.body.length - 30)],
        [api('/convert'), { 'content-type': fileFirst.contentType }, fileFirst.body.subarray(0, 200)],
        [unstarted, { 'content-type': whole.contentType }, whole.body.subarray(0, whole.body.length - 30)],
        [unstarted, garbage, Buffer.from('not multipart at all')],
        [uploadUrl, { 'content-type': whole.contentType }, whole.body.subarray(0, whole.body.length - 30)],
        [uploadUrl, garbage, Buffer.from('not multipart at all')],
      ];
      const processCount = async () => (await send(api('/processes'), { headers: auth() })).body.length as number;
      const countBefore = await processCount();
      for (const [target, headers, body] of bodies) assertError(await send(target, { method: 'POST', headers, body }), 400, /multipart\/form-data body is malformed or cut short/);
      assert.equal(await processCount(), countBefore, 'no process left behind by a failed /convert');
      assert.equal((await post(unstarted, { input: 'upload' })).status, 200, 'the process can still be started');
      assert.equal((await upload(uploadUrl, 'in.png', png)).status, 200, 'the process can still take its upload');
      assert.equal((await send(`${url}?wait=true`)).body.step, 'finished');
    });

    it('a malformed percent-encoding or an over-long name in the URL is a 4xx with the usual JSON body', async () => {
      const { uploadUrl } = await waitingForUpload();
      assertError(await sendRawPath(server.baseUrl, 'PUT', `${new URL(uploadUrl).pathname}/bad%E0%A4%A.png`, png), 400, /malformed percent-encoding.*encodeURIComponent/);
      assertError(await sendRawPath(server.baseUrl, 'GET', '/process/%E0%A4%A'), 400, /malformed percent-encoding/);
      assertError(await upload(uploadUrl, `${'a'.repeat(1100)}.png`, png), 414, /segment of the URL path is too long/);
      assertError(await upload(uploadUrl, `${'a'.repeat(300)}.png`, png), 400, /Invalid upload file name .*1 to 255 bytes/);
    });

    it('an upload cut off by the client leaves the process waiting for a complete one', async () => {
      const { url, uploadUrl } = await waitingForUpload();
      const socket = net.connect(server.port, '127.0.0.1');
      await once(socket, 'connect');
      socket.write(`PUT ${new URL(uploadUrl).pathname}/cut.png HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${png.length + 1000}\r\n\r\n`);
      socket.write(png);
      await delay(100);
      socket.destroy();
      await delay(100);
      assert.equal((await send(url)).body.step, 'input');
      assert.equal((await upload(uploadUrl, 'whole.png', png)).status, 200);
      const done = await send(`${url}?wait=true`);
      assert.equal(done.body.step, 'finished');
      assert.equal(done.body.input.filename, 'whole.png');
    });

    it('names the files of a process when output.url/<file> does not exist', async () => {
      const done = await converted({ save: 'true' });
      assertError(await send(`${server.abs(done.output.url)}/other.jpg`), 404, /No output file named "other\.jpg".*in\.jpg/);
    });

    it('an empty upload fails the process with 422, not a 500 or a hang', async () => {
      const { url, uploadUrl } = await waitingForUpload();
      assert.equal((await upload(uploadUrl, 'empty.png', Buffer.alloc(0))).status, 200);
      const waited = await send(`${url}?wait=true`);
      assert.equal(waited.status, 422, waited.text);
      assert.equal(waited.body.step, 'error');
    });
  });

  describe('unknown processes and wrong states', () => {
    it('refuses a second start with 400, before and after the end', async () => {
      const { url, uploadUrl } = await waitingForUpload();
      assertError(await post(url, { input: 'upload' }), 400, /already been started.*create a new one/);
      assert.equal((await upload(uploadUrl, 'in.png', png)).status, 200);
      assert.equal((await send(`${url}?wait=true`)).body.step, 'finished');
      assertError(await post(url, { input: 'upload' }), 400, /already been started/);
      assertError(await upload(uploadUrl, 'again.png', png), 400, /not waiting for an upload/);
    });

    it('a download before the end blocks until the conversion finishes', async () => {
      const { uploadUrl, outputUrl } = await waitingForUpload();
      const downloading = send(outputUrl);
      assert.equal(await stateAfter(downloading, 400), 'pending');
      assert.equal((await upload(uploadUrl, 'late.png', png)).status, 200);
      const file = await downloading;
      assert.equal(file.status, 200);
      assert.equal((await sharp(file.bytes).metadata()).format, 'jpeg');
    });
  });

  describe('deleted files', () => {
    it('a download after DELETE is a 404', async () => {
      const done = await converted();
      assert.equal((await send(server.abs(done.url), { method: 'DELETE' })).status, 200);
      assertError(await send(server.abs(done.output.url)), 404, /not found/i);
    });

    it('a second download without save is 404 "File already deleted" (a HEAD is not one); with save it works', async () => {
      const done = await converted();
      const head = await send(server.abs(done.output.url), { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.match(head.headers.get('content-disposition') ?? '', /^attachment/);
      assert.equal((await send(server.abs(done.output.url))).status, 200, 'a HEAD does not use up the download');
      assertError(await send(server.abs(done.output.url)), 404, /^File already deleted\. Use the 'save' parameter/);
      const saved = await converted({ save: 'true' });
      const first = await send(server.abs(saved.output.url));
      const second = await send(server.abs(saved.output.url));
      assert.deepEqual([first.status, second.status], [200, 200]);
      assert.ok(second.bytes.equals(first.bytes));
    });
  });

  describe('file names', () => {
    it('refuses traversal in upload names with 400 and writes nothing outside the data dir', async () => {
      const { url, uploadUrl } = await waitingForUpload();
      const filesBefore = await filesUnder(server.dataDir);
      const uploadPath = new URL(uploadUrl).pathname;
      for (const name of ['..%2F..%2Fetc%2Fpasswd', '%2E%2E', '..', '..%5C..%5Cwin.ini']) {
        const reply = await sendRawPath(server.baseUrl, 'PUT', `${uploadPath}/${name}`, png);
        assertError(reply, 400, /Invalid upload file name .*without "\/", "\\"/);
      }
      // Unencoded slashes make more path segments: no route takes them.
      assertError(await sendRawPath(server.baseUrl, 'PUT', `${uploadPath}/../../etc/passwd`, png), 404, /Not found/);
      assert.equal(existsSync(path.join(server.dataDir, '..', 'etc', 'passwd')), false);
      assert.equal(existsSync(path.join(server.dataDir, 'etc')), false);
      assert.deepEqual(await filesUnder(server.dataDir), filesBefore, 'no file was written');
      assert.equal((await send(url)).body.step, 'input', 'still waiting for its upload');
      assert.equal((await upload(uploadUrl, 'fine.png', png)).status, 200);
      assert.equal((await send(`${url}?wait=true`)).body.step, 'finished');
    });
  });

  describe('private URLs (ALLOW_PRIVATE_URLS not set)', () => {
    it('a host name that resolves to loopback ends the process in error 400, fetching nothing', async () => {
      const { url } = await create();
      const requestsBefore = fixtures.requests.length;
      const started = await post(url, { input: 'download', file: `http://localhost:${new URL(fixtures.baseUrl).port}/x`, wait: true });
      assert.equal(started.status, 400, started.text);
      assert.equal(started.body.step, 'error');
      assert.equal(started.body.code, 400);
      assert.match(started.body.message, /localhost resolves to .*private or loopback/);
      assert.equal(fixtures.requests.length, requestsBefore, 'the fixture server was not contacted');
    });
    // Not tested here: a redirect from an allowed URL to a private one needs a first hop on a
    // public address, which a loopback-only test cannot provide.
  });

  describe('conversion failures', () => {
    it('a corrupt image is a 422 with the status object on wait, status and download', async () => {
      const { url, uploadUrl, outputUrl } = await waitingForUpload();
      assert.equal((await upload(uploadUrl, 'bad.png', CORRUPT_PNG)).status, 200);
      const waited = await send(`${url}?wait=true`);
      assert.equal(waited.status, 422);
      assert.equal(waited.body.step, 'error');
      assert.equal(waited.body.code, 422);
      assert.match(waited.body.message, /Could not convert the image/);
      assert.equal(waited.body.error, undefined, 'a status object, not an API error');
      for (const reply of [await send(url), await send(outputUrl)]) {
        assert.equal(reply.status, 422, reply.url);
        assert.deepEqual(reply.body, waited.body);
      }
    });
  });

  describe('oversized uploads (MAX_SIZE_MB=1)', () => {
    let small: TestServer;
    const twoMiB = Buffer.alloc(2 * 1024 * 1024, 1);
    before(async () => {
      small = await startTestServer({ env: { MAX_SIZE_MB: '1' } });
    });
    after(async () => small.stop());

    const startUpload = async () => {
      const created = await post(`${small.baseUrl}/process`, { inputformat: 'png', outputformat: 'jpg' }, auth());
      const url = small.abs(created.body.url);
      const started = await post(url, { input: 'upload' });
      return { url, uploadUrl: small.abs(started.body.upload.url) };
    };

    it('refuses a 2 MiB PUT with 413 JSON; the process then takes a correct upload', async () => {
      const { url, uploadUrl } = await startUpload();
      assertError(await upload(uploadUrl, 'big.png', twoMiB), 413, /larger than the limit of 1048576 bytes/);
      assert.equal((await upload(uploadUrl, 'in.png', png)).status, 200);
      assert.equal((await send(`${url}?wait=true`)).body.step, 'finished');
    });

    it('refuses a 2 MiB chunked PUT (no Content-Length) with 413 JSON', async () => {
      const { uploadUrl } = await startUpload();
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 32; i++) controller.enqueue(twoMiB.subarray(i * 65536, (i + 1) * 65536));
          controller.close();
        },
      });
      const reply = await send(`${uploadUrl}/big.png`, { method: 'PUT', body, duplex: 'half' } as RequestInit);
      assertError(reply, 413, /larger than the limit/);
    });

    it('refuses a 2 MiB multipart start with 413 JSON', async () => {
      const created = await post(`${small.baseUrl}/process`, { inputformat: 'png', outputformat: 'jpg' }, auth());
      const { body, contentType } = multipart([{ name: 'input', value: 'upload' }, { name: 'file', filename: 'big.png', data: twoMiB }]);
      assertError(await send(small.abs(created.body.url), { method: 'POST', headers: { 'content-type': contentType }, body }), 413, /larger than/);
    });

    it('counts every file part together: two 0.6 MiB parts are 413, also while spooling before any key (/convert)', async () => {
      const part = Buffer.alloc(600 * 1024, 1);
      const created = await post(`${small.baseUrl}/process`, { mode: 'archive', outputformat: 'zip' }, auth());
      const two = multipart([{ name: 'mode', value: 'archive' }, { name: 'file', filename: 'a.bin', data: part }, { name: 'file', filename: 'b.bin', data: part }]);
      assertError(await send(small.abs(created.body.url), { method: 'POST', headers: { 'content-type': two.contentType }, body: two.body }), 413, /larger than/);
      // Files before the key are spooled within one budget for all of them: the second part is
      // refused while it arrives, before the (here missing) key is even checked.
      const early = multipart([{ name: 'file', filename: 'a.bin', data: part }, { name: 'file', filename: 'b.bin', data: part }, { name: 'mode', value: 'archive' }, { name: 'outputformat', value: 'zip' }]);
      assertError(await send(`${small.baseUrl}/convert`, { method: 'POST', headers: { 'content-type': early.contentType }, body: early.body }), 413, /larger than/);
    });
  });
});
