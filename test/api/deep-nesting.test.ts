// Deeply nested parameters and an oversized tag, on a real server: every case is a 400 with the
// usual JSON body that names what to fix, never a 500 (JSON.stringify overflowed its stack on
// deep bodies and tags) and never a 64 MB tag kept in Redis.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { auth, postJson, type JsonResponse } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const nested = (levels: number): string => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
const RAW_START = '"input":"raw","file":"<svg xmlns=\\"http://www.w3.org/2000/svg\\"/>","filename":"a.svg","outputformat":"png"';

async function postText(url: string, body: string, contentType = 'application/json', headers: Record<string, string> = {}): Promise<JsonResponse> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text) as Record<string, unknown> };
}

function isBadRequest(reply: JsonResponse, pattern: RegExp): void {
  assert.equal(reply.status, 400, JSON.stringify(reply.body).slice(0, 300));
  assert.equal(reply.body['code'], 400);
  assert.match(String(reply.body['error']), pattern);
}

describe('deep nesting and tag bounds', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ worker: false, env: { REQUIRE_WORKER: 'false' } });
  });
  after(() => server?.stop());

  const processUrl = async (): Promise<string> => {
    const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'svg', outputformat: 'png' }, auth());
    assert.equal(created.status, 200);
    return server.abs(String(created.body['url']));
  };

  it('answers 400 for a deeply nested JSON body on /process, /convert, /presets and a process URL start', async () => {
    const deep = `{"inputformat":"svg","outputformat":"png","x":${nested(10_000)}}`;
    for (const url of [`${server.baseUrl}/process`, `${server.baseUrl}/convert`, `${server.baseUrl}/presets`, await processUrl()]) {
      isBadRequest(await postText(url, deep, 'application/json', auth()), /nests deeper than 32 levels/);
    }
    // The same body sent with another content type is sniffed as JSON and bounded the same way.
    isBadRequest(await postText(`${server.baseUrl}/process`, deep, 'text/plain', auth()), /nests deeper/);
  });

  it('answers 400 for a deep tag, converteroptions value or converteroptions JSON string at start and /convert', async () => {
    const bodies = [`{${RAW_START},"tag":${nested(5000)}}`, `{${RAW_START},"converteroptions":{"density":${nested(5000)}}}`];
    for (const body of bodies) {
      isBadRequest(await postText(await processUrl(), body), /nests deeper/);
      isBadRequest(await postText(`${server.baseUrl}/convert`, `{"inputformat":"svg",${body.slice(1)}`, 'application/json', auth()), /nests deeper/);
    }
    const form = `input=raw&file=x&filename=a.svg&outputformat=png&converteroptions=${encodeURIComponent(nested(20_000))}`;
    isBadRequest(await postText(await processUrl(), form, 'application/x-www-form-urlencoded'), /converteroptions nests deeper/);
  });

  it('answers 400 for a tag nesting deeper than 10 levels, naming tag and the limit', async () => {
    isBadRequest(await postText(await processUrl(), `{${RAW_START},"tag":${nested(11)}}`), /tag nests deeper than 10 levels/);
  });

  it('answers 400 for a tag over 4 KiB, and takes one of about 4000 bytes', async () => {
    isBadRequest(await postJson(await processUrl(), { input: 'raw', file: '<svg/>', filename: 'a.svg', outputformat: 'png', tag: 'x'.repeat(64 * 1024) }), /tag is 65538 bytes as JSON; at most 4096 bytes/);
    const ok = await postJson(await processUrl(), { input: 'raw', file: '<svg/>', filename: 'a.svg', outputformat: 'png', tag: { order: 'y'.repeat(4000) } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  });

  it('keeps deeply nested query strings and form bodies a 400 or a success, never a 500', async () => {
    const brackets = `tag${'[a]'.repeat(3000)}=1`;
    for (const [url, body, type] of [
      [`${await processUrl()}?${brackets}`, `{${RAW_START}}`, 'application/json'],
      [await processUrl(), `input=raw&file=x&filename=a.svg&outputformat=png&${brackets}`, 'application/x-www-form-urlencoded'],
      [`${server.baseUrl}/process?converteroptions${'[a]'.repeat(5000)}=1&inputformat=svg&outputformat=png`, '{}', 'application/json'],
    ] as const) {
      const reply = await postText(url, body, type, auth());
      assert.ok(reply.status === 200 || reply.status === 400, `${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`);
    }
  });
});
