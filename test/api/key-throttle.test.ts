// Failed API-key attempts are throttled per client address: after KEY_FAILURE_LIMIT unknown keys
// within the window, that address gets 429 with Retry-After on every key route, even with a valid
// key, while a valid key from another address is never held back.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { clientBucket } from '../../src/core/key-failures.js';
import { startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';

interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

/** A request from a chosen loopback address (all of 127.0.0.0/8 reaches the server on Linux). */
function from(localAddress: string, port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path, localAddress, method: options.method ?? 'GET', headers: options.headers }, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: JSON.parse(text) as Record<string, unknown> }));
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('failed API keys per client address', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ worker: false, env: { REQUIRE_WORKER: 'false', KEY_FAILURE_LIMIT: '3', KEY_FAILURE_WINDOW_SECONDS: '600' } });
  });
  after(() => server?.stop());

  it('answers 429 with Retry-After after 3 unknown keys, sent in any carrier, even to a valid key', async () => {
    const guesser = '127.0.0.2';
    const create = JSON.stringify({ inputformat: 'svg', outputformat: 'png', apikey: 'guess-in-json-1' });
    assert.equal((await from(guesser, server.port, '/user', { headers: bearer('guess-in-header-1') })).status, 403);
    assert.equal((await from(guesser, server.port, '/user?apikey=guess-in-query-1')).status, 403);
    assert.equal((await from(guesser, server.port, '/process', { method: 'POST', headers: { 'content-type': 'application/json' }, body: create })).status, 403);
    for (const attempt of [() => from(guesser, server.port, '/user', { headers: bearer(TEST_KEY) }), () => from(guesser, server.port, '/process', { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(TEST_KEY) }, body: '{}' })]) {
      const blocked = await attempt();
      assert.equal(blocked.status, 429);
      assert.equal(blocked.body['code'], 429);
      assert.match(String(blocked.body['error']), /invalid API key from your address/);
      const retryAfter = Number(blocked.headers['retry-after']);
      assert.ok(retryAfter >= 1 && retryAfter <= 600, String(blocked.headers['retry-after']));
    }
  });

  it("does not hold back a valid key from another address, which has its own count", async () => {
    assert.equal((await from('127.0.0.3', server.port, '/user', { headers: bearer(TEST_KEY) })).status, 200);
    assert.equal((await from('127.0.0.3', server.port, '/user', { headers: bearer('another-guess-1') })).status, 403);
    assert.equal((await from('127.0.0.3', server.port, '/user', { headers: bearer(TEST_KEY) })).status, 200);
  });

  it('counts an unknown apikey multipart field once, and not a missing key', async () => {
    const address = '127.0.0.4';
    for (let i = 0; i < 5; i++) assert.equal((await from(address, server.port, '/user')).status, 401);
    const boundary = 'b0undary';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="apikey"\r\n\r\nfield-guess-1\r\n--${boundary}\r\nContent-Disposition: form-data; name="apikey"\r\n\r\nfield-guess-1\r\n--${boundary}--\r\n`;
    const multipart = { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body };
    assert.equal((await from(address, server.port, '/processes', multipart)).status, 403);
    assert.equal((await from(address, server.port, '/processes', multipart)).status, 403);
    assert.equal((await from(address, server.port, '/user', { headers: bearer(TEST_KEY) })).status, 200, 'two failures so far, the limit is three');
    assert.equal((await from(address, server.port, '/processes', multipart)).status, 403);
    assert.equal((await from(address, server.port, '/user', { headers: bearer(TEST_KEY) })).status, 429);
  });
});

describe('failed API keys behind a trusted proxy (TRUST_PROXY)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ worker: false, env: { KEY_FAILURE_LIMIT: '2', TRUST_PROXY: '127.0.0.1' } });
  });
  after(() => server?.stop());

  it("counts the client address the proxy forwards, so one client's guesses do not block the others", async () => {
    const via = (client: string, key: string) => from('127.0.0.1', server.port, '/user', { headers: { ...bearer(key), 'x-forwarded-for': client } });
    assert.equal((await via('198.51.100.7', 'proxy-guess-1')).status, 403);
    assert.equal((await via('198.51.100.7', 'proxy-guess-2')).status, 403);
    assert.equal((await via('198.51.100.7', TEST_KEY)).status, 429);
    assert.equal((await via('198.51.100.8', TEST_KEY)).status, 200);
    // A forwarded address from a socket that is not the trusted proxy is ignored.
    assert.equal((await from('127.0.0.5', server.port, '/user', { headers: { ...bearer(TEST_KEY), 'x-forwarded-for': '198.51.100.7' } })).status, 200);
  });
});

describe('clientBucket', () => {
  it('counts IPv4 addresses one by one and IPv6 addresses by their /64', () => {
    assert.equal(clientBucket('203.0.113.7'), '203.0.113.7');
    assert.equal(clientBucket('2001:db8:1:2:aaaa::1'), clientBucket('2001:db8:1:2:ffff:1:2:3'));
    assert.notEqual(clientBucket('2001:db8:1:2::1'), clientBucket('2001:db8:1:3::1'));
    // IPv4 clients of a dual-stack listener keep their own address, not one shared ::/64.
    assert.equal(clientBucket('::ffff:203.0.113.7'), '203.0.113.7');
    assert.notEqual(clientBucket('::ffff:203.0.113.7'), clientBucket('::ffff:203.0.113.8'));
  });
});
