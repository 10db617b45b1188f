// LOG_FORMAT: json writes one JSON object a line, pretty writes text for a person; in both, an
// API key in the query string and the Authorization header never reach the log, and each line
// of a request names its request id.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/runtime/logger.js';
import { startMemoryApp } from '../helpers/memory/app.js';

const SECRET = 'secret-key-that-must-not-be-logged';

/** A destination that keeps what it is given. */
function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

/** Two requests with secrets in the query and the header, and the log they leave. */
async function logOf(format: string): Promise<string> {
  const sink = capture();
  const server = await startMemoryApp({ LOG_LEVEL: 'info', LOG_FORMAT: format }, { logTo: sink.stream });
  try {
    const reply = await server.request({ method: 'GET', url: `/processes?apikey=${SECRET}&output%5Bs3%5D%5Bsecretaccesskey%5D=${SECRET}`, headers: { 'x-request-id': 'log-format-1' } });
    assert.equal(reply.statusCode, 403, reply.body); // an unknown key: the request is refused and logged
    await server.request({ method: 'GET', url: '/healthz', headers: { authorization: `Bearer ${SECRET}`, 'x-request-id': 'log-format-2' } });
  } finally {
    await server.stop();
  }
  return sink.text();
}

describe('LOG_FORMAT', () => {
  it('is json by default and refuses other values, naming the variable', () => {
    assert.equal(loadConfig({}).logFormat, 'json');
    assert.equal(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat, 'pretty');
    assert.throws(() => loadConfig({ LOG_FORMAT: 'text' }), /LOG_FORMAT/);
  });

  it('json: one JSON object a line, secrets redacted, the request id on the request lines', async () => {
    const log = await logOf('json');
    const lines = log.trim().split('\n').map((line) => JSON.parse(line) as { reqId?: string; req?: { url?: string } });
    assert.ok(lines.length >= 4, log);
    assert.ok(lines.some((line) => line.reqId === 'log-format-1' && line.req?.url?.includes('apikey=[redacted]') === true), log);
    assert.ok(lines.some((line) => line.reqId === 'log-format-2'), log);
    assert.doesNotMatch(log, new RegExp(SECRET));
  });

  it('pretty: readable text, not JSON, with the same redaction and request ids', async () => {
    const log = await logOf('pretty');
    assert.ok(log.length > 0, 'something was written');
    for (const line of log.trim().split('\n')) assert.throws(() => JSON.parse(line) as unknown, `not a JSON line: ${line}`);
    assert.match(log, /INFO/);
    assert.match(log, /incoming request/);
    assert.match(log, /apikey=\[redacted\]/);
    assert.match(log, /log-format-1/);
    assert.match(log, /log-format-2/);
    assert.doesNotMatch(log, new RegExp(SECRET));
  });

  it('pretty: a logged object with a password or token is redacted too', () => {
    const sink = capture();
    const log = createLogger('info', 'test', sink.stream, 'pretty');
    log.info({ storage: { password: SECRET, user: 'alice' }, token: SECRET }, 'delivering');
    assert.match(sink.text(), /delivering/);
    assert.match(sink.text(), /alice/);
    assert.doesNotMatch(sink.text(), new RegExp(SECRET));
  });
});
