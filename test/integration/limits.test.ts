// Keys and their limits through the API: KEYS_FILE settings in the create response and GET /user,
// 429 over the request rate, 402 out of minutes, 413 over maxsize, the timeout capped by maxtime,
// and 503 when no worker is alive or the queue is full.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { loadConfig } from '../../src/config/index.js';
import { configuredKeys } from '../../src/runtime/index.js';
import { SVG } from '../helpers/fixtures.js';
import { auth, json, postJson } from '../helpers/http.js';
import { writeKeysFile, writeTempJson, type TempJsonFile } from '../helpers/keys-file.js';
import { OTHER_KEY, startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';
import { seenConverting, until } from '../helpers/wait.js';

const LIMITED_KEY = 'limited-key-aaaaaaaa';
const DEFAULTS_KEY = 'defaults-key-aaaaaaaa';
const RATE_KEY = 'rate-key-bbbbbbbb';
const MINUTES_KEY = 'minutes-key-cccccccc';
const SLOW_KEY = 'slow-key-dddddddd';
const MIB = 1024 * 1024;

const slowInput = (): Promise<Buffer> =>
  sharp({ create: { width: 900, height: 900, channels: 3, background: '#888', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).png({ compressionLevel: 1 }).toBuffer();

async function create(server: TestServer, key: string, body: Record<string, unknown> = { inputformat: 'svg', outputformat: 'png' }): Promise<Record<string, unknown>> {
  const created = await postJson(`${server.baseUrl}/process`, body, auth(key));
  assert.equal(created.status, 200, JSON.stringify(created.body));
  return created.body;
}

const processUrl = (server: TestServer, created: Record<string, unknown>): string => server.abs(String(created['url']));

describe('per-key limits from KEYS_FILE', () => {
  let server: TestServer;
  let keys: TempJsonFile;
  before(async () => {
    keys = await writeKeysFile([
      { key: LIMITED_KEY, name: 'Limited Ltd', email: 'ops@example.com', maxtime: 120, maxsize: 2, concurrent: 3, minutes: 50 },
      { key: DEFAULTS_KEY },
      { key: RATE_KEY, rate_limit: { requests: 3, window_seconds: 3600 } },
      { key: MINUTES_KEY, minutes: 1 },
      { key: SLOW_KEY, maxtime: 1, maxsize: 8 },
    ]);
    server = await startTestServer({ env: { KEYS_FILE: keys.path, MAX_TIME_SECONDS: '600', MAX_SIZE_MB: '1', CONCURRENT: '4', MINUTES: '1000' } });
  });
  after(async () => {
    await server.stop();
    await keys.remove();
  });

  it("reports the key's maxtime, maxsize, concurrent and minutes in the create response and GET /user", async () => {
    const created = await create(server, LIMITED_KEY);
    assert.deepEqual({ maxtime: created['maxtime'], maxsize: created['maxsize'], concurrent: created['concurrent'], minutes: created['minutes'] }, { maxtime: 120, maxsize: 2, concurrent: 3, minutes: 50 });
    const user = await json(`${server.baseUrl}/user`, { headers: auth(LIMITED_KEY) });
    assert.equal(user.status, 200);
    assert.deepEqual(user.body, { user: 'Limited Ltd', minutes: 50, output: [], maxtime: 120, maxsize: 2, concurrent: 3 });
  });

  it('gives a KEYS_FILE entry without limits, and API_KEYS, the server-wide limits', async () => {
    for (const key of [DEFAULTS_KEY, TEST_KEY]) {
      const created = await create(server, key);
      assert.deepEqual({ maxtime: created['maxtime'], maxsize: created['maxsize'], concurrent: created['concurrent'], minutes: created['minutes'] }, { maxtime: 600, maxsize: 1, concurrent: 4, minutes: 1000 });
    }
    assert.equal((await json(`${server.baseUrl}/user`, { headers: auth(DEFAULTS_KEY) })).body['user'], null);
  });

  it("answers 429 with Retry-After and a JSON body over the key's rate; another key is not slowed", async () => {
    for (let i = 0; i < 3; i += 1) assert.equal((await json(`${server.baseUrl}/user`, { headers: auth(RATE_KEY) })).status, 200, `request ${i + 1}`);
    const limited = await postJson(`${server.baseUrl}/process`, { inputformat: 'svg', outputformat: 'png' }, auth(RATE_KEY));
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('content-type')?.startsWith('application/json'), true);
    assert.equal(limited.body['code'], 429);
    assert.match(String(limited.body['error']), /3 requests per 3600 s/);
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 3600, `Retry-After ${limited.headers.get('retry-after')}`);
    assert.equal((await json(`${server.baseUrl}/user`, { headers: auth(RATE_KEY) })).status, 429, 'still limited');
    for (let i = 0; i < 5; i += 1) {
      const other = await postJson(`${server.baseUrl}/process`, { inputformat: 'svg', outputformat: 'png' }, auth(OTHER_KEY));
      assert.equal(other.status, 200, `other key, request ${i + 1}`);
    }
  });

  it('answers 402 once the key has used its minutes', async () => {
    const created = await create(server, MINUTES_KEY);
    assert.equal(created['minutes'], 1);
    const done = await postJson(processUrl(server, created), { input: 'raw', file: SVG.toString(), filename: 'a.svg', outputformat: 'png', wait: true });
    assert.equal(done.body['step'], 'finished');
    await until(async () => (await json(`${server.baseUrl}/user`, { headers: auth(MINUTES_KEY) })).body['minutes'] === 0, 5000, 'the minute to be counted');
    const refused = await postJson(`${server.baseUrl}/process`, { inputformat: 'svg', outputformat: 'png' }, auth(MINUTES_KEY));
    assert.equal(refused.status, 402);
    assert.equal(refused.body['code'], 402);
    assert.match(String(refused.body['error']), /No conversion minutes left/);
    const convert = await postJson(`${server.baseUrl}/convert`, { input: 'raw', file: SVG.toString(), filename: 'a.svg', inputformat: 'svg', outputformat: 'png' }, auth(MINUTES_KEY));
    assert.equal(convert.status, 402);
  });

  it("answers 413 with a JSON body for an upload over the key's maxsize", async () => {
    const big = Buffer.alloc(2 * MIB + 100 * 1024, 7);
    const started = await postJson(processUrl(server, await create(server, LIMITED_KEY)), { input: 'upload', outputformat: 'png' });
    assert.equal(started.status, 200);
    const uploadUrl = `${server.abs(String((started.body['upload'] as Record<string, unknown>)['url']))}/big.svg`;
    // With Content-Length: refused before the body is read.
    const sized = await json(uploadUrl, { method: 'PUT', body: big });
    assert.equal(sized.status, 413);
    assert.deepEqual(Object.keys(sized.body).sort(), ['code', 'error']);
    assert.equal(sized.body['code'], 413);
    assert.match(String(sized.body['error']), new RegExp(`limit of ${2 * MIB} bytes`));
    // Streamed without a length: refused once the limit is passed.
    const streamed = await json(uploadUrl, { method: 'PUT', body: Readable.toWeb(Readable.from([big.subarray(0, MIB), big.subarray(MIB)])) as ReadableStream, duplex: 'half' } as RequestInit);
    assert.equal(streamed.status, 413);
    assert.equal(streamed.body['code'], 413);
    // Neither refusal used up the upload: a file within the limit is still accepted.
    const ok = await json(uploadUrl.replace(/big\.svg$/, 'a.svg'), { method: 'PUT', body: SVG });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    // The same limit holds for raw and base64 inputs.
    const base64 = await postJson(processUrl(server, await create(server, LIMITED_KEY)), { input: 'base64', file: big.toString('base64'), filename: 'big.svg', outputformat: 'png' });
    assert.equal(base64.status, 413);
    assert.equal(base64.body['code'], 413);
  });

  it("applies the key's maxsize to a /convert body whose key comes after the file, above and below MAX_SIZE_MB", async () => {
    // The file part arrives before the apikey field, so it is read before the key is known.
    const convert = (key: string) => {
      const form = new FormData();
      form.append('file', new Blob([Buffer.alloc(1.5 * MIB, 32)]), 'spaces.svg');
      form.append('inputformat', 'svg');
      form.append('outputformat', 'png');
      form.append('apikey', key);
      return json(`${server.baseUrl}/convert`, { method: 'POST', body: form });
    };
    const within = await convert(LIMITED_KEY); // maxsize 2, above the server's 1
    assert.equal(within.status, 200, JSON.stringify(within.body));
    assert.equal(typeof within.body['id'], 'string');
    const over = await convert(DEFAULTS_KEY); // maxsize 1
    assert.equal(over.status, 413);
    assert.match(String(over.body['error']), new RegExp(`limit of ${MIB} bytes`));
  });

  it("caps the timeout parameter at the key's maxtime; the conversion ends in error saying so", async () => {
    const created = await create(server, SLOW_KEY, { inputformat: 'png', outputformat: 'avif' });
    assert.equal(created['maxtime'], 1);
    const url = processUrl(server, created);
    const started = await postJson(url, { input: 'base64', file: (await slowInput()).toString('base64'), filename: 'noise.png', outputformat: 'avif', timeout: 60 });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const waited = json(`${url}?wait=true`);
    const converting = await seenConverting(url);
    const final = await waited;
    assert.equal(final.status, 422);
    assert.equal(final.body['step'], 'error');
    assert.match(String(final.body['message']), /timeout of 1 seconds/);
    // Stopped at maxtime (1 s), not at the asked 60 s nor when the ~9 s encode would have ended.
    assert.ok(Date.now() - converting < 6000, `ended ${Date.now() - converting} ms after it was seen converting`);
  });
});

describe('503 when the server cannot take more work', () => {
  let noWorker: TestServer;
  let shallow: TestServer;
  let keys: TempJsonFile;
  const ONE_AT_A_TIME = 'serial-key-eeeeeeee';
  before(async () => {
    keys = await writeKeysFile([{ key: ONE_AT_A_TIME, concurrent: 1 }]);
    noWorker = await startTestServer({ worker: false });
    shallow = await startTestServer({ worker: false, env: { REQUIRE_WORKER: 'false', MAX_QUEUE_DEPTH: '2', KEYS_FILE: keys.path } });
  });
  after(async () => {
    await noWorker.stop();
    await shallow.stop();
    await keys.remove();
  });

  it('answers 503 with Retry-After when no worker is alive', async () => {
    const refused = await postJson(`${noWorker.baseUrl}/process`, { inputformat: 'svg', outputformat: 'png' }, auth());
    assert.equal(refused.status, 503);
    assert.equal(refused.body['code'], 503);
    assert.match(String(refused.body['error']), /No conversion worker/);
    assert.ok(Number(refused.headers.get('retry-after')) > 0, `Retry-After ${refused.headers.get('retry-after')}`);
  });

  it('answers 503 with Retry-After once MAX_QUEUE_DEPTH conversions wait, and accepts again when one goes', async () => {
    const urls: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const url = processUrl(shallow, await create(shallow, ONE_AT_A_TIME));
      const started = await postJson(url, { input: 'raw', file: SVG.toString(), filename: 'a.svg', outputformat: 'png' });
      assert.equal(started.status, 200);
      urls.push(url);
    }
    // The second waits behind the first in its key's own list, and counts as waiting too.
    const second = await json(urls[1] ?? '');
    assert.equal(second.body['step'], 'wait');
    assert.match(String(second.body['message']), /^Queued: this API key runs at most 1 conversion at once/);
    for (const key of [ONE_AT_A_TIME, TEST_KEY]) {
      const refused = await postJson(`${shallow.baseUrl}/process`, { inputformat: 'svg', outputformat: 'png' }, auth(key));
      assert.equal(refused.status, 503);
      assert.equal(refused.body['code'], 503);
      assert.match(String(refused.body['error']), /queue is full \(2 waiting\)/);
      assert.ok(Number(refused.headers.get('retry-after')) > 0);
    }
    assert.deepEqual((await json(urls[1] ?? '', { method: 'DELETE' })).body, { message: 'Process was deleted' });
    await create(shallow, TEST_KEY);
  });
});

describe('KEYS_FILE validation', () => {
  const load = async (content: unknown): Promise<unknown> => {
    const file = await writeTempJson('keys.json', content);
    try {
      return await configuredKeys(loadConfig({ KEYS_FILE: file.path, API_KEYS: TEST_KEY }));
    } finally {
      await file.remove();
    }
  };

  it('reads the entries, with the server defaults for missing limits', async () => {
    const specs = (await load([{ key: LIMITED_KEY, name: 'L', maxtime: 5, rate_limit: { requests: 9 } }])) as Array<{ key: string; name: string | null; limits: Record<string, number> }>;
    assert.deepEqual(specs.map((s) => s.key), [TEST_KEY, LIMITED_KEY]);
    assert.equal(specs[1]?.name, 'L');
    assert.equal(specs[1]?.limits['maxtimeSeconds'], 5);
    assert.equal(specs[1]?.limits['rateLimitRequests'], 9);
    assert.equal(specs[1]?.limits['rateLimitWindowSeconds'], 60);
    assert.equal(specs[1]?.limits['maxsizeMb'], 1024);
  });

  it('fails with a message naming the entry and the field', async () => {
    await assert.rejects(load([{ key: LIMITED_KEY }, { key: RATE_KEY, maxtime: 'soon' }]), /Invalid KEYS_FILE: entry 2 "maxtime" must be a whole number/);
    await assert.rejects(load([{ key: LIMITED_KEY, rate_limit: { window_seconds: 0 } }]), /entry 1 rate_limit "window_seconds" must be a whole number from 1/);
    await assert.rejects(load([{ key: LIMITED_KEY, concurrent: 0 }]), /entry 1 "concurrent"/);
    await assert.rejects(load([{ key: 'short' }]), /entry 1 "key" must be 8 to 200 characters/);
    await assert.rejects(load([{ key: LIMITED_KEY }, { key: LIMITED_KEY }]), /entry 2 repeats a key/);
    await assert.rejects(load([{ key: LIMITED_KEY, email: 'nobody' }]), /entry 1 "email" must be an e-mail address/);
    await assert.rejects(load({ key: LIMITED_KEY }), /must be a JSON array/);
  });

  it('fails on a file that is not JSON, naming the file', async () => {
    await assert.rejects(load('[{"key": '), /Invalid KEYS_FILE .*keys\.json: /);
  });
});
