// ?wait is event-driven: many waiters on one process, blocked while the upload has not even
// arrived, all wake when it finishes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SVG } from '../helpers/fixtures.js';
import { auth, json, postJson } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('waiting on a process', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.stop());

  it('wakes 50 concurrent waiters that started before the upload', async () => {
    const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'svg', outputformat: 'png' }, auth());
    const url = server.abs(String(created.body['url']));
    const started = await postJson(url, { input: 'upload' });
    const waiters = Array.from({ length: 50 }, () => json(`${url}?wait=true`));
    let settled = 0;
    for (const w of waiters) void w.then(() => settled++);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(settled, 0, 'no waiter may return before the upload');
    const upload = server.abs(String((started.body['upload'] as Record<string, unknown>)['url']));
    const put = await json(`${upload}/drawing.svg`, { method: 'PUT', body: SVG });
    assert.equal(put.status, 200);
    const results = await Promise.all(waiters);
    assert.ok(results.every((r) => r.status === 200 && r.body['step'] === 'finished'));
  });

  it('lets a download of a running process block until the file exists', async () => {
    const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'svg', outputformat: 'webp' }, auth());
    const url = server.abs(String(created.body['url']));
    const started = await postJson(url, { input: 'upload' });
    const download = fetch(server.abs(String((started.body['output'] as Record<string, unknown>)['url'])));
    const upload = server.abs(String((started.body['upload'] as Record<string, unknown>)['url']));
    await fetch(`${upload}/d.svg`, { method: 'PUT', body: SVG });
    const response = await download;
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'image/webp');
    assert.equal(Buffer.from(await response.arrayBuffer()).subarray(8, 12).toString(), 'WEBP');
  });
});
