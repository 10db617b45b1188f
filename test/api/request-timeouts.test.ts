// REQUEST_TIMEOUT_SECONDS and HEADERS_TIMEOUT_SECONDS on a real listening server: a client that
// sends its headers, or part of its body, and then stalls is disconnected; a request that has
// arrived whole may wait for its answer (?wait) longer than the request timeout.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { auth, json, postJson } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** Generous: Node checks the timeouts every ~0.5 s here; a busy machine may be much slower. */
const CLOSED_WITHIN_MS = 20_000;

/** Sends `text` and never more; resolves with what the server answered once it closed the socket. */
async function stall(port: number, text: string): Promise<{ closed: boolean; answer: string }> {
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
  socket.on('error', () => undefined); // a reset also counts as closed
  socket.write(text);
  const closed = once(socket, 'close').then(() => true);
  const gaveUp = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), CLOSED_WITHIN_MS).unref());
  const result = await Promise.race([closed, gaveUp]);
  socket.destroy();
  return { closed: result, answer };
}

describe('request timeouts', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ worker: false, env: { REQUEST_TIMEOUT_SECONDS: '2', HEADERS_TIMEOUT_SECONDS: '1', REQUIRE_WORKER: 'false' } });
  });
  after(() => server?.stop());

  it('closes a connection that sent only part of its headers', async () => {
    const result = await stall(server.port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    assert.equal(result.closed, true, `still open after ${CLOSED_WITHIN_MS} ms`);
  });

  it('closes a connection whose body stalls half-way, answering 408', async () => {
    // No key: it would be checked (and refused) before the body is read.
    const head = `POST /process HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"inputformat":`;
    const result = await stall(server.port, head);
    assert.equal(result.closed, true, `still open after ${CLOSED_WITHIN_MS} ms`);
    assert.match(result.answer, /^HTTP\/1\.1 408/);
  });

  it('does not cut a ?wait answer that takes longer than the request timeout', async () => {
    const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'svg', outputformat: 'png' }, auth());
    const url = server.abs(String(created.body['url']));
    assert.equal((await postJson(url, { input: 'raw', file: '<svg xmlns="http://www.w3.org/2000/svg"/>', filename: 'a.svg' })).status, 200);
    // No worker: the wait blocks until the process is cancelled, well after REQUEST_TIMEOUT_SECONDS.
    const waiting = json(`${url}?wait=true`);
    await new Promise((resolve) => setTimeout(resolve, 4000));
    assert.equal((await json(`${url}/cancel`)).status, 200);
    const answer = await waiting;
    assert.notEqual(answer.status, 408);
    assert.equal(answer.body['step'], 'error', JSON.stringify(answer.body));
  });
});
