// A file name that passes validation (up to 255 bytes, any script) works end to end: raw and
// upload input, conversion (also to a longer extension and to several pages) and download.
// Before, the store's temporary name (the target's plus a suffix) or the URI-encoded key passed
// the file system's 255-byte limit: ENAMETOOLONG, retried by the queue into a 503.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { SVG, multiPageTiff } from '../helpers/fixtures.js';
import { auth, json, postJson } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const ASCII_255 = `${'a'.repeat(251)}.svg`;
const UTF8_254 = `${'é'.repeat(125)}.svg`; // 254 bytes, 754 once URI-encoded

async function download(server: TestServer, status: Record<string, unknown>, file?: string): Promise<Buffer> {
  const output = status['output'] as { url: string };
  const response = await fetch(server.abs(output.url) + (file === undefined ? '' : `/${encodeURIComponent(file)}`));
  assert.equal(response.status, 200, `download ${file ?? ''}`);
  return Buffer.from(await response.arrayBuffer());
}

function assertFinished(status: { status: number; body: Record<string, unknown> }): Record<string, unknown> {
  assert.equal(status.status, 200, JSON.stringify(status.body).slice(0, 400));
  assert.equal(status.body['step'], 'finished', JSON.stringify(status.body).slice(0, 400));
  return status.body;
}

describe('255-byte file names end to end', () => {
  let server: TestServer;
  before(async () => {
    // One attempt: an infrastructure failure would show as an error at once instead of retries.
    server = await startTestServer({ env: { JOB_ATTEMPTS: '1' } });
  });
  after(() => server?.stop());

  for (const name of [ASCII_255, UTF8_254]) {
    it(`converts and downloads raw input named ${Buffer.byteLength(name)} bytes of ${name[0]}`, async () => {
      const done = assertFinished(await postJson(`${server.baseUrl}/convert`, { inputformat: 'svg', outputformat: 'png', input: 'raw', file: SVG.toString(), filename: name, wait: true, save: true }, auth()));
      const output = done['output'] as { filename: string };
      assert.ok(Buffer.byteLength(output.filename) <= 255 && output.filename.endsWith('.png') && output.filename.startsWith(name.slice(0, 20)), output.filename);
      assert.deepEqual((await download(server, done)).subarray(1, 4), Buffer.from('PNG'));
      assert.deepEqual((await download(server, done, output.filename)).subarray(1, 4), Buffer.from('PNG'));
    });
  }

  it('takes the same names as uploads (PUT to upload.url/<name>)', async () => {
    for (const name of [ASCII_255, UTF8_254]) {
      const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'svg', outputformat: 'png' }, auth());
      const url = server.abs(String(created.body['url']));
      const started = await postJson(url, { input: 'upload' });
      const uploadUrl = server.abs(String((started.body['upload'] as { url: string }).url));
      const put = await json(`${uploadUrl}/${encodeURIComponent(name)}`, { method: 'PUT', body: SVG });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      assert.equal(put.body['file'], name);
      const done = assertFinished(await json(`${url}?wait=true`));
      assert.deepEqual((await download(server, done)).subarray(1, 4), Buffer.from('PNG'));
    }
  });

  it('converts to a longer extension (jpg to webp) and to several pages (tiff to png)', async () => {
    const jpg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c33' } }).jpeg().toBuffer();
    const webp = assertFinished(await postJson(`${server.baseUrl}/convert`, { inputformat: 'jpg', outputformat: 'webp', input: 'base64', file: jpg.toString('base64'), filename: `${'b'.repeat(251)}.jpg`, wait: true }, auth()));
    assert.equal((await download(server, webp)).subarray(8, 12).toString(), 'WEBP');

    const tiff = await multiPageTiff(2);
    const pages = assertFinished(await postJson(`${server.baseUrl}/convert`, { inputformat: 'tiff', outputformat: 'png', input: 'base64', file: tiff.toString('base64'), filename: `${'ü'.repeat(125)}.tif`, wait: true, save: true }, auth()));
    const files = (pages['output'] as { files: string[] }).files;
    assert.equal(files.length, 2);
    for (const file of files) {
      assert.ok(Buffer.byteLength(file) <= 255, file);
      assert.deepEqual((await download(server, pages, file)).subarray(1, 4), Buffer.from('PNG'));
    }
    assert.deepEqual((await download(server, pages)).subarray(0, 2), Buffer.from('PK'), 'the zip of both');
  });
});
