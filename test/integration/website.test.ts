// The website engine (Chromium) through the API: CloudConvert's "Website to PNG" with input=url,
// screenshot sizes, full pages, printed PDF paper sizes, javascript on/off, html uploads, refused
// schemes, and a page that never finishes loading (the time limit, then the pool still works).
// The pages come from a server on 127.0.0.1, so the server runs with ALLOW_PRIVATE_URLS=true
// here; the address guard itself is tested in website-engine.test.ts.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { convertFile } from '../helpers/convert.js';
import { auth, json, postJson, type JsonResponse } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { requireChromium, startWebPages, tallPage, type WebPages } from '../helpers/web-pages.js';

// Every capture of this file has this much page time: short enough for the never-loading page's
// test, long enough that the other pages load within it on a busy machine.
const TIMEOUT_SECONDS = 10;

/** The colour of the pixel at (x, y) as [r, g, b]. */
async function pixel(file: string, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [data[at] ?? -1, data[at + 1] ?? -1, data[at + 2] ?? -1];
}

describe('website capture through the API', () => {
  let server: TestServer;
  let web: WebPages;
  let dir: string;

  /** inputformat=website, input=url: create, start with wait, download the output. */
  async function capture(pageUrl: string, outputformat: string, converteroptions: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Promise<{ status: JsonResponse; file: string }> {
    const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'website', outputformat }, auth());
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const status = await postJson(server.abs(String(created.body['url'])), { input: 'url', file: pageUrl, outputformat, converteroptions, wait: true, ...extra });
    if (status.body['step'] !== 'finished') return { status, file: '' };
    const output = status.body['output'] as { url: string; filename: string };
    const response = await fetch(server.abs(output.url));
    assert.equal(response.status, 200);
    const file = path.join(await mkdtemp(path.join(dir, 'out-')), output.filename);
    await writeFile(file, Buffer.from(await response.arrayBuffer()));
    return { status, file };
  }
  const finished = (result: { status: JsonResponse }, what: string): void =>
    assert.equal(result.status.body['step'], 'finished', `${what}: ${String(result.status.body['message'])}`);

  before(async () => {
    await requireChromium();
    server = await startTestServer({ env: { ALLOW_PRIVATE_URLS: 'true', CHROMIUM_POOL_SIZE: '1', CHROMIUM_CAPTURE_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS) } });
    web = await startWebPages();
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-website-'));
    web.page('/tall', tallPage(3000));
    web.page('/script', '<!doctype html><html><body style="margin:0;background:#fff"><script>document.body.style.background = "#f00"</script></body></html>');
    web.page('/late', '<!doctype html><html><body style="margin:0;background:#fff"><script>setTimeout(() => { const d = document.createElement("div"); d.id = "late"; document.body.appendChild(d); document.body.style.background = "#00f"; }, 400)</script></body></html>');
    web.page('/never', '<!doctype html><html><body><p>Loading forever</p><img src="/never.png"></body></html>');
    web.hang('/never.png');
  });
  after(async () => {
    await server?.stop();
    await web?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('captures a page as png sized by screen_width and screen_height (input=url), as the API document\'s "Website to PNG"', async () => {
    const result = await capture(`${web.baseUrl}/tall`, 'png', { screen_width: 800, screen_height: 600 });
    finished(result, 'website → png');
    assert.equal(result.status.body['group'], 'website');
    assert.equal((result.status.body['converter'] as { type: string }).type, 'chromium');
    assert.match(path.basename(result.file), /^127\.0\.0\.1\.png$/);
    const meta = await sharp(result.file).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 800, 600]);
    const defaults = await sharp((await capture(`${web.baseUrl}/tall`, 'png')).file).metadata();
    assert.deepEqual([defaults.width, defaults.height], [1024, 768]);
    // zoom scales the content, not the image.
    const zoomed = await sharp((await capture(`${web.baseUrl}/tall`, 'png', { screen_width: 800, screen_height: 600, zoom: 2 })).file).metadata();
    assert.deepEqual([zoomed.width, zoomed.height], [800, 600]);
  });

  it('captures the whole page with fullpage=true, taller than the window', async () => {
    const result = await capture(`${web.baseUrl}/tall`, 'png', { screen_width: 640, screen_height: 480, fullpage: true });
    finished(result, 'fullpage');
    const meta = await sharp(result.file).metadata();
    assert.deepEqual([meta.width, meta.height], [640, 3000]);
    // The gradient runs from red at the top to blue at the bottom of the 3000 px page.
    const [top, bottom] = [await pixel(result.file, 10, 2), await pixel(result.file, 10, 2995)];
    assert.ok((top[0] ?? 0) > 200 && (top[2] ?? 255) < 60, `top ${top.join(',')}`);
    assert.ok((bottom[2] ?? 0) > 200 && (bottom[0] ?? 255) < 60, `bottom ${bottom.join(',')}`);
  });

  it('writes jpg and webp screenshots (input=download with a filename, as LARA sends it)', async () => {
    for (const [format, decoded] of [['jpg', 'jpeg'], ['webp', 'webp']] as const) {
      const result = await capture(`${web.baseUrl}/tall`, format, { screen_width: 320, screen_height: 240, quality: 60 }, { input: 'download', filename: 'report.website' });
      finished(result, format);
      assert.equal(path.basename(result.file), `report.${format}`);
      const meta = await sharp(result.file).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height], [decoded, 320, 240]);
    }
  });

  it('prints a PDF on A4 portrait by default, and on Letter landscape when asked', async () => {
    const a4 = await capture(`${web.baseUrl}/tall`, 'pdf');
    finished(a4, 'website → pdf');
    const a4Doc = await PDFDocument.load(await readFile(a4.file));
    const a4Size = a4Doc.getPage(0).getSize();
    // Chromium rounds the paper to whole CSS pixels: within a point of 595 x 842 (A4).
    assert.ok(Math.abs(a4Size.width - 595.3) < 1.5 && Math.abs(a4Size.height - 841.9) < 1.5, `A4: ${a4Size.width} x ${a4Size.height}`);
    assert.ok(a4Doc.getPageCount() >= 3, `a 3000 px page fills several A4 pages, got ${a4Doc.getPageCount()}`);
    const letter = await capture(`${web.baseUrl}/tall`, 'pdf', { page_size: 'Letter', page_orientation: 'landscape', margin_top: 0, margin_bottom: 0 });
    finished(letter, 'letter landscape');
    const letterSize = (await PDFDocument.load(await readFile(letter.file))).getPage(0).getSize();
    assert.ok(Math.abs(letterSize.width - 792) < 1.5 && Math.abs(letterSize.height - 612) < 1.5, `Letter landscape: ${letterSize.width} x ${letterSize.height}`);
  });

  it('runs the page\'s scripts with javascript on (the default) and not with javascript=false', async () => {
    const on = await capture(`${web.baseUrl}/script`, 'png', { screen_width: 200, screen_height: 200 });
    finished(on, 'javascript on');
    assert.deepEqual(await pixel(on.file, 100, 100), [255, 0, 0]);
    const off = await capture(`${web.baseUrl}/script`, 'png', { screen_width: 200, screen_height: 200, javascript: 'off' });
    finished(off, 'javascript off');
    assert.deepEqual(await pixel(off.file, 100, 100), [255, 255, 255]);
  });

  it('waits for wait_for_element before capturing', async () => {
    const waited = await capture(`${web.baseUrl}/late`, 'png', { screen_width: 200, screen_height: 200, wait_for_element: '#late' });
    finished(waited, 'wait_for_element');
    assert.deepEqual(await pixel(waited.file, 100, 100), [0, 0, 255]);
    const bad = await capture(`${web.baseUrl}/late`, 'png', { wait_for_element: 'div[' });
    assert.equal(bad.status.status, 400);
    assert.match(String(bad.status.body['message']), /wait_for_element.*not a valid CSS selector/);
  });

  it('renders an uploaded html file to png', async () => {
    const html = path.join(dir, 'hello.html');
    await writeFile(html, '<!doctype html><html><body style="margin:0;background:#0f0"><h1>Grüße</h1></body></html>');
    const result = await convertFile(server, html, { inputformat: 'html', outputformat: 'png', converteroptions: { screen_width: 300, screen_height: 150 } }, await mkdtemp(path.join(dir, 'out-')));
    finished(result, 'html → png');
    assert.equal((result.status.body['converter'] as { type: string }).type, 'chromium');
    const file = result.files[0] ?? '';
    assert.equal(path.basename(file), 'hello.png');
    assert.deepEqual([(await sharp(file).metadata()).width, (await sharp(file).metadata()).height], [300, 150]);
    assert.deepEqual(await pixel(file, 290, 140), [0, 255, 0]);
  });

  it('refuses file:// and other schemes with a clear 400, at start and inside a .website file', async () => {
    const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'website', outputformat: 'png' }, auth());
    const started = await postJson(server.abs(String(created.body['url'])), { input: 'url', file: 'file:///etc/passwd', wait: true });
    assert.equal(started.status, 400);
    assert.match(String(started.body['error'] ?? started.body['message']), /scheme file: .*not allowed/);
    // A .website file given as raw content reaches the engine, which refuses it too.
    const raw = await postJson(`${server.baseUrl}/process`, { inputformat: 'website', outputformat: 'png' }, auth());
    const status = await postJson(server.abs(String(raw.body['url'])), { input: 'raw', file: 'file:///etc/passwd', filename: 'local.website', wait: true });
    assert.equal(status.status, 400, JSON.stringify(status.body));
    assert.equal(status.body['step'], 'error');
    assert.match(String(status.body['message']), /scheme file: is not allowed: only http:\/\/ and https:\/\/ pages/);
    // A redirect of the page to file:// is not followed.
    web.redirect('/to-file', 'file:///etc/hostname');
    const redirected = await capture(`${web.baseUrl}/to-file`, 'png');
    assert.equal(redirected.status.status, 400, JSON.stringify(redirected.status.body));
    assert.match(String(redirected.status.body['message']), /could not be loaded: net::ERR_UNSAFE_REDIRECT/);
  });

  it('stops a page that never finishes loading at the time limit with a clear error, and the next capture works', async () => {
    const started = Date.now();
    const stuck = await capture(`${web.baseUrl}/never`, 'png');
    const seconds = (Date.now() - started) / 1000;
    assert.equal(stuck.status.status, 422, JSON.stringify(stuck.status.body));
    assert.equal(stuck.status.body['step'], 'error');
    assert.match(String(stuck.status.body['message']), new RegExp(`did not finish within ${TIMEOUT_SECONDS} s \\(it was loading the page \\(wait_until=load\\)\\)`));
    // Not before the limit; after it, the queue, the browser and a busy machine add their share.
    // Without the limit the page would wait for the job's maxtime (hours), so a minute is "at it".
    assert.ok(seconds >= TIMEOUT_SECONDS && seconds < TIMEOUT_SECONDS + 60, `${seconds} s`);
    const next = await capture(`${web.baseUrl}/tall`, 'png', { screen_width: 400, screen_height: 300 });
    finished(next, 'after the time limit');
    assert.deepEqual([(await sharp(next.file).metadata()).width], [400]);
    // domcontentloaded does not wait for the hanging image.
    finished(await capture(`${web.baseUrl}/never`, 'png', { wait_until: 'domcontentloaded' }), 'domcontentloaded');
  });

  it('lists the website conversions with their options and defaults in /conversiontypes', async () => {
    const res = await json<Array<Record<string, unknown>>>(`${server.baseUrl}/conversiontypes?inputformat=website&outputformat=png`);
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 1);
    const text = JSON.stringify(res.body[0]);
    for (const name of ['screen_width', 'screen_height', 'fullpage', 'wait_until', 'javascript']) assert.match(text, new RegExp(`"${name}"`));
    assert.match(text, /"screen_width":1024/);
    const pdf = JSON.stringify((await json<unknown[]>(`${server.baseUrl}/conversiontypes?inputformat=website&outputformat=pdf`)).body);
    assert.match(pdf, /"page_size":"A4"/);
  });
});
