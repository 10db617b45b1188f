// Stored XSS through downloads: an HTML or SVG output (extracted from an archive, or written by a
// converter) opened `?inline` on the API's origin must never run its scripts there.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { isActiveContentType } from '../../src/core/content-types.js';
import { requireArchiveTools, run } from '../helpers/archives.js';
import { auth, postJson } from '../helpers/http.js';
import { S3_KEY_ID, startS3Server, type S3TestServer } from '../helpers/s3-server.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const HTML = '<html><body><script>fetch("/user?apikey=" + localStorage.key)</script><p>page</p></body></html>';
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.domain)</script></svg>';

/** A zip of an HTML page, an SVG, an XML file and a PNG, as base64. */
async function hostileZip(dir: string): Promise<string> {
  await writeFile(path.join(dir, 'page.html'), HTML);
  await writeFile(path.join(dir, 'drawing.svg'), SVG);
  await writeFile(path.join(dir, 'data.xml'), '<?xml version="1.0"?><x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>');
  await writeFile(path.join(dir, 'photo.png'), await sharp({ create: { width: 4, height: 4, channels: 3, background: 'red' } }).png().toBuffer());
  await run(dir, 'zip', ['-q', 'bundle.zip', 'page.html', 'drawing.svg', 'data.xml', 'photo.png']);
  return (await readFile(path.join(dir, 'bundle.zip'))).toString('base64');
}

/** Extracts the zip through the API (saved, so each file can be fetched more than once); the output URL. */
async function extract(server: TestServer, zip: string): Promise<string> {
  const created = await postJson(`${server.baseUrl}/process`, { mode: 'extract', inputformat: 'zip' }, auth());
  const started = await postJson(server.abs(String(created.body['url'])), { mode: 'extract', input: 'base64', file: zip, filename: 'bundle.zip', save: true, wait: true });
  assert.equal(started.body['step'], 'finished', JSON.stringify(started.body));
  return server.abs(String((started.body['output'] as { url: string }).url));
}

describe('downloads of active content', () => {
  let dir: string;
  let zip: string;
  before(async () => {
    await requireArchiveTools();
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-download-headers-'));
    zip = await hostileZip(dir);
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('tells active types (HTML, SVG, XML, unknown) from passive ones', () => {
    for (const mime of ['text/html', 'image/svg+xml', 'application/xml', 'application/xhtml+xml', 'text/xml', 'application/javascript', 'text/html; charset=utf-8']) assert.ok(isActiveContentType(mime), mime);
    for (const mime of ['image/png', 'image/jpeg', 'application/pdf', 'video/mp4', 'audio/mpeg', 'text/plain', 'application/zip', 'application/octet-stream']) assert.ok(!isActiveContentType(mime), mime);
  });

  describe('from the API', () => {
    let server: TestServer;
    let outputUrl: string;
    before(async () => {
      server = await startTestServer();
      outputUrl = await extract(server, zip);
    });
    after(async () => server.stop());

    it('serves HTML and SVG with a sandbox policy and nosniff, even ?inline; XML (no known format) as bytes never sniffed', async () => {
      const xml = await fetch(`${outputUrl}/data.xml?inline=true`);
      assert.equal(xml.headers.get('content-type'), 'application/octet-stream');
      assert.equal(xml.headers.get('x-content-type-options'), 'nosniff');
      for (const name of ['page.html', 'drawing.svg']) {
        const response = await fetch(`${outputUrl}/${name}?inline=true`);
        assert.equal(response.status, 200, name);
        assert.match(response.headers.get('content-security-policy') ?? '', /^sandbox;.*default-src 'none'/, name);
        assert.equal(response.headers.get('x-content-type-options'), 'nosniff', name);
        assert.doesNotMatch(response.headers.get('content-security-policy') ?? '', /script-src/, `${name}: no script source allowed`);
      }
    });

    it('leaves passive types as they are (a PDF or image viewer refuses a sandboxed document)', async () => {
      const response = await fetch(`${outputUrl}/photo.png?inline=true`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-security-policy'), null);
      assert.match(response.headers.get('content-disposition') ?? '', /^inline/);
    });
  });

  describe('from presigned S3 links (STORAGE_PRESIGNED_DOWNLOADS)', () => {
    let s3: S3TestServer;
    let server: TestServer;
    before(async () => {
      s3 = await startS3Server(['presigned-active']);
      server = await startTestServer({ env: { STORAGE_URL: 's3://presigned-active', STORAGE_S3_ENDPOINT: s3.endpoint, STORAGE_S3_ACCESS_KEY_ID: S3_KEY_ID, STORAGE_S3_SECRET_ACCESS_KEY: 'x', STORAGE_PRESIGNED_DOWNLOADS: 'true' } });
    });
    after(async () => {
      await server.stop();
      await s3.stop();
    });

    it('makes active content an attachment even ?inline (the bucket cannot add a sandbox policy)', async () => {
      const outputUrl = await extract(server, zip);
      const html = await fetch(`${outputUrl}/page.html?inline=true`, { redirect: 'manual' });
      assert.equal(html.status, 302);
      assert.match(decodeURIComponent(html.headers.get('location') ?? ''), /response-content-disposition=attachment/);
      const png = await fetch(`${outputUrl}/photo.png?inline=true`, { redirect: 'manual' });
      assert.match(decodeURIComponent(png.headers.get('location') ?? ''), /response-content-disposition=inline/);
    });
  });
});
