// The operator's /admin: bull-board's page and its assets load with ADMIN_KEY (Bearer, or ?key=
// once and then the session cookie) and answer a JSON 401 without it; the conversion queue is
// read-only there (even with ADMIN_WRITE, which opens the notification queue); /admin/pending
// counts the fair queue's slots and waiting processes per key without showing any key; and
// without ADMIN_KEY there is no /admin at all.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { accountId } from '../../src/core/accounts.js';
import { SVG } from '../helpers/fixtures.js';
import { auth, postJson } from '../helpers/http.js';
import { writeKeysFile, type TempJsonFile } from '../helpers/keys-file.js';
import { startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';

const ADMIN_KEY = 'admin-key-0123456789abcdef';
const NAMED_KEY = 'named-key-aaaaaaaa';
const bearer = (key = ADMIN_KEY) => ({ authorization: `Bearer ${key}` });
const BROWSER = { accept: 'text/html,application/xhtml+xml' };

interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

async function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  const response = await fetch(url, { headers, method, redirect: 'manual' });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

function isJson401(reply: Reply, what: string): void {
  assert.equal(reply.status, 401, what);
  assert.deepEqual(Object.keys(JSON.parse(reply.text) as object), ['error', 'code'], what);
  assert.match(reply.text, /ADMIN_KEY/, what);
}

/** Starts a conversion of `key` that waits: no worker runs in these servers. */
async function startConversion(server: TestServer, key: string): Promise<void> {
  const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'svg', outputformat: 'png' }, auth(key));
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const started = await postJson(server.abs(String(created.body['url'])), { input: 'raw', file: SVG.toString(), filename: 'a.svg', outputformat: 'png' });
  assert.equal(started.status, 200, JSON.stringify(started.body));
}

interface Queues {
  readonly queues: ReadonlyArray<{ readonly name: string; readonly readOnlyMode: boolean }>;
}
const readOnly = async (server: TestServer): Promise<Record<string, boolean>> => {
  const reply = await get(`${server.baseUrl}/admin/queues/api/queues`, bearer());
  assert.equal(reply.status, 200, reply.text);
  return Object.fromEntries((JSON.parse(reply.text) as Queues).queues.map((q) => [q.name, q.readOnlyMode]));
};

describe('the queue dashboard and /admin/pending with ADMIN_KEY', () => {
  let server: TestServer;
  let keys: TempJsonFile;
  let page: Reply;
  before(async () => {
    keys = await writeKeysFile([{ key: NAMED_KEY, name: 'Team A', concurrent: 1 }]);
    server = await startTestServer({ worker: false, env: { ADMIN_KEY, KEYS_FILE: keys.path, CONCURRENT: '1', REQUIRE_WORKER: 'false' } });
    page = await get(`${server.baseUrl}/admin/queues`, bearer());
  });
  after(async () => {
    await server?.stop();
    await keys?.remove();
  });

  it('serves the page with the key, under a CSP and without CORS headers', () => {
    assert.equal(page.status, 200, page.text.slice(0, 300));
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(page.text, /<base href="\/admin\/queues\/"/);
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(page.headers.get('access-control-allow-origin'), null);
  });

  it('serves its assets with the key', async () => {
    const scripts = [...page.text.matchAll(/src="(static\/js\/[^"]+\.js)"/g)].map((m) => m[1]);
    const styles = [...page.text.matchAll(/href="(static\/css\/[^"]+\.css)"/g)].map((m) => m[1]);
    assert.ok(scripts.length > 0 && styles.length > 0, 'the page names its scripts and styles');
    for (const asset of [scripts[0], styles[0]]) {
      const reply = await get(`${server.baseUrl}/admin/queues/${asset}`, bearer());
      assert.equal(reply.status, 200, asset);
      assert.match(reply.headers.get('content-type') ?? '', asset?.endsWith('.js') === true ? /javascript/ : /text\/css/);
      assert.ok(reply.text.length > 1000, `${asset} has content`);
    }
  });

  it('answers a JSON 401 without the key or with a wrong one: page, asset, its API and /admin/pending', async () => {
    const asset = /src="(static\/js\/[^"]+\.js)"/.exec(page.text)?.[1] ?? '';
    for (const path of ['/admin/queues', `/admin/queues/${asset}`, '/admin/queues/api/queues', '/admin/pending']) {
      isJson401(await get(`${server.baseUrl}${path}`), path);
      isJson401(await get(`${server.baseUrl}${path}`, bearer('wrong-admin-key-0123456789')), `${path} with a wrong key`);
      isJson401(await get(`${server.baseUrl}${path}?key=wrong-admin-key-0123456789`), `${path} with a wrong ?key=`);
    }
    isJson401(await get(`${server.baseUrl}/admin/queues`, { authorization: `Bearer ${TEST_KEY}` }), 'an API key is not the operator key');
  });

  it('takes ?key= once in a browser: a session cookie, and a redirect to the page without the key', async () => {
    const entry = await get(`${server.baseUrl}/admin/queues?key=${ADMIN_KEY}`, BROWSER);
    assert.equal(entry.status, 303);
    assert.equal(entry.headers.get('location'), '/admin/queues');
    const cookie = entry.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^openconvert_admin=\d+\.[A-Za-z0-9_-]{43}; /);
    for (const attribute of ['Path=/admin', 'HttpOnly', 'SameSite=Strict', 'Max-Age=43200']) assert.ok(cookie.split('; ').includes(attribute), `${attribute} in ${cookie}`);
    assert.ok(!cookie.includes(ADMIN_KEY), 'the cookie does not hold the key');
    const session = cookie.split(';')[0] ?? '';
    const withCookie = await get(`${server.baseUrl}/admin/queues`, { ...BROWSER, cookie: session });
    assert.equal(withCookie.status, 200);
    assert.match(withCookie.text, /<base href="\/admin\/queues\/"/);
    assert.equal((await get(`${server.baseUrl}/admin/queues/api/queues`, { cookie: `other=1; ${session}` })).status, 200, 'the page’s own requests carry it');
    // A session cookie with another expiry (or forged) is refused.
    const [expires = '', mac = ''] = session.slice('openconvert_admin='.length).split('.');
    isJson401(await get(`${server.baseUrl}/admin/queues`, { cookie: `openconvert_admin=${Number(expires) + 1}.${mac}` }), 'a changed expiry');
    isJson401(await get(`${server.baseUrl}/admin/queues`, { cookie: `openconvert_admin=${Math.floor(Date.now() / 1000) - 10}.${mac}` }), 'an expired session');
  });

  it('shows every queue, and keeps the conversion queues (one per engine class) read-only: bull-board refuses writes', async () => {
    assert.deepEqual(await readOnly(server), { conversions: true, 'conversions-light': true, notifications: true });
    for (const name of ['conversions', 'conversions-light']) {
      const pause = await get(`${server.baseUrl}/admin/queues/api/queues/${name}/pause`, bearer(), 'PUT');
      assert.equal(pause.status, 405, pause.text);
    }
    for (const queue of server.core.api.bullQueues.conversion) assert.equal(await queue.isPaused(), false);
  });

  it('lists per key and engine class the processes holding a slot and those waiting, naming no key', async () => {
    for (let i = 0; i < 3; i++) await startConversion(server, NAMED_KEY);
    await startConversion(server, TEST_KEY);
    const reply = await get(`${server.baseUrl}/admin/pending`, bearer());
    assert.equal(reply.status, 200, reply.text);
    const named = accountId(NAMED_KEY).slice(0, 8);
    const plain = accountId(TEST_KEY).slice(0, 8);
    assert.deepEqual(JSON.parse(reply.text), {
      pending: 2,
      running: 2,
      keys: [
        { account: named, name: 'Team A', concurrent: 1, engineClass: 'light', running: 1, pending: 2 },
        { account: plain, name: null, concurrent: 1, engineClass: 'light', running: 1, pending: 0 },
      ],
    });
    for (const secret of [NAMED_KEY, TEST_KEY, accountId(NAMED_KEY), accountId(TEST_KEY)]) assert.ok(!reply.text.includes(secret), `shows ${secret}`);
  });
});

describe('/admin with ADMIN_WRITE, and without ADMIN_KEY', () => {
  let writable: TestServer;
  let closed: TestServer;
  before(async () => {
    writable = await startTestServer({ worker: false, env: { ADMIN_KEY, ADMIN_WRITE: 'true' } });
    closed = await startTestServer({ worker: false });
  });
  after(async () => {
    await writable?.stop();
    await closed?.stop();
  });

  it('ADMIN_WRITE opens the notification queue, never the conversion queues', async () => {
    assert.deepEqual(await readOnly(writable), { conversions: true, 'conversions-light': true, notifications: false });
    for (const name of ['conversions', 'conversions-light']) assert.equal((await get(`${writable.baseUrl}/admin/queues/api/queues/${name}/pause`, bearer(), 'PUT')).status, 405);
    assert.equal((await get(`${writable.baseUrl}/admin/queues/api/queues/notifications/pause`, bearer(), 'PUT')).status, 200);
    assert.equal(await writable.core.api.bullQueues.notification.isPaused(), true);
  });

  it('without ADMIN_KEY, /admin does not exist: a JSON 404, whatever key is sent', async () => {
    for (const path of ['/admin/queues', '/admin/queues/api/queues', '/admin/pending']) {
      const reply = await get(`${closed.baseUrl}${path}?key=${ADMIN_KEY}`, bearer());
      assert.equal(reply.status, 404, path);
      assert.equal((JSON.parse(reply.text) as { code: number }).code, 404);
    }
  });
});
