// The bad-input families that need neither Redis, a worker nor a socket, through app.inject over
// in-memory dependencies (test/helpers/memory): the status code, a JSON {error, code} body whose
// message says what to fix, and a process left as it was. The families that need a conversion,
// the real wire or Redis stay in test/integration/bad-input.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { auth } from '../helpers/http.js';
import { startMemoryApp, type MemoryApp } from '../helpers/memory/app.js';
import { OTHER_KEY, TEST_KEY } from '../helpers/test-keys.js';
import { multipart } from '../helpers/wire.js';

const JSON_TYPE = { 'content-type': 'application/json' };
/** A 1x1 PNG: nothing converts it here, it only has to be a file. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

/** A JSON error reply: `{error, code}` with code = HTTP status, and the message matching `message`. */
function assertError(reply: LightMyRequestResponse, status: number, message: RegExp): void {
  const where = `${reply.raw.req.method ?? ''} ${reply.raw.req.url ?? ''}`;
  assert.equal(reply.statusCode, status, `${where}: ${reply.body.slice(0, 300)}`);
  assert.match(String(reply.headers['content-type'] ?? ''), /^application\/json/, where);
  const body = reply.json<{ error?: string; code?: number; hint?: string }>();
  assert.equal(body.code, status, where);
  // CloudConvert's exact wording stays alone in `error`; this server's guidance follows in `hint`.
  assert.match(`${body.error ?? ''}${body.hint === undefined ? '' : ` ${body.hint}`}`, message, where);
}

describe('bad input (in memory, app.inject)', () => {
  let server: MemoryApp;
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    server.request({ method: 'POST', url, headers: { ...JSON_TYPE, ...headers }, payload: JSON.stringify(body) });
  const get = (url: string, headers: Record<string, string> = {}) => server.request({ method: 'GET', url, headers });
  const create = async (body: Record<string, unknown> = { inputformat: 'png', outputformat: 'jpg' }, key = TEST_KEY) => {
    const reply = await post('/process', body, auth(key));
    assert.equal(reply.statusCode, 200, reply.body);
    const created = reply.json<{ id: string; url: string }>();
    return { id: created.id, url: created.url };
  };
  const waitingForUpload = async () => {
    const { id, url } = await create();
    const started = await post(url, { input: 'upload' });
    assert.equal(started.statusCode, 200, started.body);
    return { id, url, uploadUrl: started.json<{ upload: { url: string } }>().upload.url };
  };
  const listOf = async (key: string) => get('/processes', auth(key)).then((r) => r.json<Array<{ id: string }>>().map((p) => p.id));

  before(async () => {
    server = await startMemoryApp();
  });
  after(() => server.stop());

  describe('formats', () => {
    it('refuses an unknown input format at create with "This conversiontype is not supported!"', async () => {
      assertError(await post('/process', { inputformat: 'invalid', outputformat: 'jpg' }, auth()), 400, /^This conversiontype is not supported!.*inputformat "invalid".*\/conversiontypes/);
    });

    it("answers CloudConvert's exact wording in error (clients compare it) and this server's guidance in hint", async () => {
      const exact = async (reply: LightMyRequestResponse, error: string, hint: RegExp) => {
        const body = reply.json<Record<string, unknown>>();
        assert.deepEqual(Object.keys(body), ['error', 'code', 'hint']);
        assert.equal(body['error'], error);
        assert.match(String(body['hint']), hint);
      };
      await exact(await post('/process', { inputformat: 'invalid', outputformat: 'jpg' }, auth()), 'This conversiontype is not supported!', /^Unknown inputformat "invalid"\. GET \/conversiontypes/);
      await exact(await post('/process', { inputformat: 'png', outputformat: 'jpg' }), 'No API Key provided!', /Authorization: Bearer/);
      await exact(await get('/download/~nope0000000000000000'), 'Process not found', /Download URL not found/);
      // Errors CloudConvert records no wording for keep the whole message in error, and no hint.
      const other = (await post('/process', { inputformat: 'png', outputformat: 'jpg', mode: 'nope' }, auth())).json<Record<string, unknown>>();
      assert.equal(other['hint'], undefined);
      assert.match(String(other['error']), /mode/);
    });

    it('refuses a pair the catalog does not have, naming the outputs that exist', async () => {
      assertError(await post('/process', { inputformat: 'png', outputformat: 'mp3' }, auth()), 400, /^This conversiontype is not supported! png to mp3 .* png converts to: .*jpg/);
    });

    it('refuses an unknown output format given only at start, and the process stays startable', async () => {
      const { url } = await create({ inputformat: 'png' });
      assertError(await post(url, { input: 'upload', outputformat: 'xyz' }), 400, /^This conversiontype is not supported!.*outputformat "xyz"/);
      assert.equal((await post(url, { input: 'upload', outputformat: 'jpg' })).statusCode, 200);
    });

    it('answers /conversiontypes for an unknown format with an empty list, not an error', async () => {
      const reply = await get('/conversiontypes?inputformat=invalid');
      assert.deepEqual([reply.statusCode, reply.json()], [200, []]);
    });
  });

  describe('missing parameters', () => {
    it('input=raw without filename names the filename parameter', async () => {
      assertError(await post((await create()).url, { input: 'raw', file: 'abc' }), 400, /filename.*required/);
    });

    it('input=download without file says file must be the URL', async () => {
      assertError(await post((await create()).url, { input: 'download' }), 400, /input=download.*parameter file.*URL/);
    });

    it('a start without any output format names outputformat', async () => {
      assertError(await post((await create({ inputformat: 'png' })).url, { input: 'upload' }), 400, /outputformat is missing/);
    });

    it('a body that is not valid JSON is a 400 saying so', async () => {
      assertError(await server.request({ method: 'POST', url: '/process', headers: { ...JSON_TYPE, ...auth() }, payload: '{"inputformat": "png",' }), 400, /not valid JSON/);
    });
  });

  describe('malformed parameters', () => {
    it('names the parameter and its valid values for wait, timeout, mode, input and converteroptions', async () => {
      const { url } = await create();
      const cases: Array<[Record<string, unknown>, RegExp]> = [
        [{ input: 'upload', wait: 'maybe' }, /parameter wait must be true or false/],
        [{ input: 'upload', timeout: 'soon' }, /parameter timeout must be a whole number of seconds/],
        [{ input: 'upload', mode: 'bogus' }, /Invalid mode "bogus"\. Valid modes: convert, info/],
        [{ input: 'carrier-pigeon' }, /Invalid input "carrier-pigeon"\. Valid values: upload, raw, base64, download/],
        [{ input: 'upload', converteroptions: 'quality' }, /converteroptions must be an object/],
        [{ input: 'upload', outputformat: { a: 1 } }, /parameter outputformat must be a string/],
        [{ input: 'base64', file: '%%%not base64%%%', filename: 'a.png' }, /base64-encoded content/],
        [{ input: 'download', file: 'not a url' }, /is not a URL/],
        [{ input: 'download', file: 'file:///etc/passwd' }, /scheme file: of file is not allowed/],
        [{ input: 'download', file: 'http://user:pw@example.com/a.png' }, /credentials/],
      ];
      for (const [body, message] of cases) assertError(await post(url, body), 400, message);
      assert.equal((await post(url, { input: 'upload' })).statusCode, 200, 'still startable after every refusal');
    });

    it('accepts the odd bare-key-then-nested converteroptions shape seen in the wild', async () => {
      const { url } = await create();
      const reply = await server.request({ method: 'POST', url: `${url}?input=upload&converteroptions&converteroptions[quality]=60` });
      assert.equal(reply.statusCode, 200, reply.body);
      assert.equal(reply.json<{ converter: { options: { quality: number } } }>().converter.options.quality, 60);
    });

    it('refuses a second file part for a one-file mode, a PUT without a file name and a non-multipart POST to upload.url', async () => {
      const { url } = await create();
      const two = multipart([{ name: 'file', filename: 'a.png', data: PNG }, { name: 'file', filename: 'b.png', data: PNG }]);
      assertError(await server.request({ method: 'POST', url, headers: { 'content-type': two.contentType }, payload: two.body }), 400, /Several input files need mode=combine \(one PDF\) or mode=archive/);
      const { uploadUrl } = await waitingForUpload();
      assertError(await server.request({ method: 'PUT', url: uploadUrl, payload: PNG }), 400, /Append the file name to the upload URL/);
      assertError(await post(uploadUrl, { file: 'x' }), 400, /must be multipart\/form-data.*field "file"/);
      const empty = multipart([{ name: 'note', value: 'no file here' }]);
      assertError(await server.request({ method: 'POST', url: uploadUrl, headers: { 'content-type': empty.contentType }, payload: empty.body }), 400, /no file part/);
    });
  });

  describe('invalid option values', () => {
    it('names the option and its valid values, and a corrected start then works', async () => {
      const { url } = await create();
      assertError(await post(url, { input: 'upload', converteroptions: { quality: 500 } }), 400, /converter option quality = "500".*1 to 100/);
      assertError(await post(url, { input: 'upload', converteroptions: { resize: 'big' } }), 400, /converter option resize = "big".*WIDTHxHEIGHT/);
      assertError(await post(url, { input: 'upload', converteroptions: { resizemode: 'stretch' } }), 400, /resizemode.*maximum, minimum, exact/);
      assert.equal((await post(url, { input: 'upload', converteroptions: { quality: 50 } })).statusCode, 200);
    });

    it('a failed /convert leaves no process behind', async () => {
      const before = (await listOf(TEST_KEY)).length;
      const query = new URLSearchParams({ apikey: TEST_KEY, input: 'upload', inputformat: 'png', outputformat: 'jpg', 'converteroptions[quality]': '0' });
      assertError(await get(`/convert?${query}`), 400, /quality/);
      assert.equal((await listOf(TEST_KEY)).length, before);
    });
  });

  describe('unknown processes and states', () => {
    it('answers 404 "Process not found" on every process route for an unknown id', async () => {
      const url = '/process/AbCdEfGhIjKlMnOpQrSt';
      const replies = [await get(url), await server.request({ method: 'DELETE', url }), await post(url, { input: 'upload' }), await get(`${url}?wait=true`), await get(`${url}/delete`), await get(`${url}/cancel`)];
      for (const reply of replies) assertError(reply, 404, /^Process not found$/);
      assertError(await get('/process/../../etc'), 404, /Not found/);
    });

    it('answers 404 for unknown upload and download URLs', async () => {
      assertError(await server.request({ method: 'PUT', url: '/upload/~nope0000000000000000/a.png', payload: PNG }), 404, /Upload URL not found/);
      assertError(await get('/download/~nope0000000000000000'), 404, /Download URL not found/);
    });

    it('refuses a second start with 400; an upload then enters the queue once', async () => {
      const { id, url, uploadUrl } = await waitingForUpload();
      assertError(await post(url, { input: 'upload' }), 400, /already been started.*create a new one/);
      assert.equal((await server.request({ method: 'PUT', url: `${uploadUrl}/in.png`, payload: PNG })).statusCode, 200);
      assertError(await server.request({ method: 'PUT', url: `${uploadUrl}/again.png`, payload: PNG }), 400, /not waiting for an upload/);
      assert.equal(server.queue.admitted.filter((admitted) => admitted === id).length, 1);
      assert.equal((await get(url)).json<{ step: string }>().step, 'wait');
    });
  });

  describe('file names and addresses', () => {
    it('refuses a traversal filename with input=base64', async () => {
      assertError(await post((await create()).url, { input: 'base64', file: PNG.toString('base64'), filename: '../../x.png' }), 400, /Invalid filename/);
    });

    for (const file of ['http://127.0.0.1:9/in.png', 'http://[::1]/', 'http://169.254.169.254/latest/meta-data/']) {
      it(`refuses ${file} at start with 400 (ALLOW_PRIVATE_URLS not set)`, async () => {
        assertError(await post((await create()).url, { input: 'download', file }), 400, /private or loopback address.*ALLOW_PRIVATE_URLS/);
      });
    }
  });

  describe('API keys and accounts', () => {
    it('answers 401 without a key and 403 for an unknown key, on every keyed route', async () => {
      for (const route of ['/process', '/processes', '/user', '/convert']) {
        assertError(await get(`${route}?inputformat=png&outputformat=jpg`), 401, /^No API Key provided!/);
        assertError(await get(`${route}?apikey=unknown-key-123&inputformat=png&outputformat=jpg`), 403, /API key is invalid/);
      }
      assertError(await post('/process', { inputformat: 'png', outputformat: 'jpg' }, auth('unknown-key-123')), 403, /API key is invalid/);
    });

    it("does not show TEST_KEY's processes in OTHER_KEY's /processes", async () => {
      const mine = await create();
      const theirs = await create(undefined, OTHER_KEY);
      const other = await listOf(OTHER_KEY);
      assert.ok(other.includes(theirs.id));
      assert.ok(!other.includes(mine.id));
      assert.ok((await listOf(TEST_KEY)).includes(mine.id));
    });
  });

  describe('email without SMTP', () => {
    it('runs by default, the status carrying a notice; EMAIL_WITHOUT_SMTP=refuse answers 400 naming SMTP_URL', async () => {
      const { url } = await create({ inputformat: 'svg', outputformat: 'png' });
      const started = await post(url, { input: 'raw', file: '<svg xmlns="http://www.w3.org/2000/svg"/>', filename: 'a.svg', email: true });
      assert.equal(started.statusCode, 200, started.body);
      assert.match(String(started.json<Record<string, unknown>>()['notice']), /No e-mail notice will be sent.*SMTP_URL/);
      const refusing = await startMemoryApp({ EMAIL_WITHOUT_SMTP: 'refuse' });
      try {
        const created = await refusing.request({ method: 'POST', url: '/process', headers: { ...JSON_TYPE, ...auth() }, payload: JSON.stringify({ inputformat: 'svg', outputformat: 'png' }) });
        const processUrl = new URL(String(created.json<Record<string, unknown>>()['url']), 'http://x').pathname;
        const refused = await refusing.request({ method: 'POST', url: processUrl, headers: JSON_TYPE, payload: JSON.stringify({ input: 'raw', file: '<svg/>', filename: 'a.svg', email: true }) });
        assertError(refused, 400, /SMTP_URL/);
      } finally {
        await refusing.stop();
      }
    });
  });

  describe('features not supported yet', () => {
    it('input=azure and a googlecloud input object are 400 "not supported"; mode=combine to jpg is 400', async () => {
      const { url } = await create();
      assertError(await post(url, { input: 'azure', file: 'key.png' }), 400, /input=azure is not supported/);
      assertError(await post(url, { input: { googlecloud: { bucket: 'b' } }, file: 'key.png' }), 400, /googlecloud storage is not supported/);
      assertError(await post('/process', { mode: 'combine', inputformat: 'png', outputformat: 'jpg' }, auth()), 400, /mode=combine makes one PDF: outputformat must be pdf/);
      assert.equal((await post(url, { input: 'upload' })).statusCode, 200, 'the refused starts left the process startable');
    });
  });
});
