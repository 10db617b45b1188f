// The website engine on its own (real Chromium, no API): the network guard with private
// addresses refused (subresources, scripts, navigations, DNS names), local files out of reach of
// an uploaded HTML page, the byte limit, html → pdf, and the pool's supervision (abort, recycling
// after maxCaptures or above maxRssBytes, a killed browser, close() leaving no process or profile behind).
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import type { EngineOptions, Format } from '../../src/core/catalog/index.js';
import { AppError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/logger.js';
import { testContext, testSandbox } from '../helpers/sandbox.js';
import { createChromiumEngine, type ChromiumEngine, type ChromiumEngineSettings } from '../../workers/converters/chromium/index.js';
import { until } from '../helpers/wait.js';
import { CHROMIUM, requireChromium, startWebPages, type WebPages } from '../helpers/web-pages.js';

const run = promisify(execFile);
const NONE: EngineOptions['chromium'] = {
  screen_width: 300, screen_height: 200, fullpage: null, print_media_type: null, quality: null, page_size: null, page_orientation: null,
  margin_top: null, margin_bottom: null, margin_left: null, margin_right: null, print_background: null, page_range: null,
  zoom: null, javascript: null, wait_until: null, wait_time: null, wait_for_element: null,
};
const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => silent };

/** Pids of the Chromium processes whose command line names `marker` (their profile folder). */
async function browserPids(marker: string): Promise<number[]> {
  const { stdout } = await run('ps', ['-eo', 'pid=,args=']);
  // The sandbox's own processes (setpriv, prlimit, bwrap) carry Chromium's arguments too: not browsers.
  const browser = (line: string): boolean => line.includes(marker) && line.includes('--user-data-dir=') && !line.includes('--type=') && !/^\s*\d+\s+\S*\b(bwrap|setpriv|prlimit)\s/.test(line);
  return stdout.split('\n').filter(browser).map((line) => Number(line.trim().split(/\s+/)[0]));
}

/** The pids and all their descendants. */
async function withDescendants(pids: readonly number[]): Promise<number[]> {
  const { stdout } = await run('ps', ['-eo', 'pid=,ppid=']);
  const pairs = stdout.trim().split('\n').map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found = new Set(pids);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of pairs) if (found.has(ppid) && !found.has(pid)) (found.add(pid), (grew = true));
  }
  return [...found];
}

function isZombie(pid: number): boolean {
  try {
    return /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true;
  }
}

async function pixel(file: string, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [data[at] ?? -1, data[at + 1] ?? -1, data[at + 2] ?? -1];
}

describe('website engine', () => {
  let web: WebPages;
  let dir: string;
  let port: string;
  const engines: ChromiumEngine[] = [];

  async function engine(overrides: Partial<ChromiumEngineSettings> = {}): Promise<{ engine: ChromiumEngine; tempDir: string }> {
    const tempDir = await mkdtemp(path.join(dir, 'engine-'));
    const created = createChromiumEngine({ path: CHROMIUM, poolSize: 1, maxCaptures: 100, maxRssBytes: 0, allowPrivateUrls: false, tempDir, captureTimeoutMs: 20_000, maxPageHeight: 16_384, maxPageBytes: 50 * 1024 * 1024, sandbox: true, toolSandbox: await testSandbox(tempDir), ...overrides });
    engines.push(created);
    return { engine: created, tempDir };
  }

  /** Converts an input file written with `content` (a URL for website, markup for html). */
  async function convert(target: ChromiumEngine, inputFormat: 'website' | 'html', content: string, outputFormat: Format, options: Partial<EngineOptions['chromium']> = {}, signal = new AbortController().signal): Promise<string> {
    const work = await mkdtemp(path.join(dir, 'job-'));
    const inputPath = path.join(work, `input.${inputFormat}`);
    await writeFile(inputPath, content);
    const [output] = await target.convert(
      { inputPath, inputFormat, outputFormat, options: { ...NONE, ...options }, outputDir: work, outputName: 'out' },
      testContext(await testSandbox(work), work, signal),
    );
    return output?.path ?? '';
  }

  before(async () => {
    await requireChromium();
    process.env['OPENCONVERT_TEST_SECRET'] = 'must not reach Chromium';
    web = await startWebPages();
    port = new URL(web.baseUrl).port;
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-chromium-'));
    web.page('/secret.png', await sharp({ create: { width: 20, height: 20, channels: 3, background: 'red' } }).png().toBuffer(), 'image/png');
    web.page('/page', '<!doctype html><html><body style="margin:0;background:#fff"><p>public page</p></body></html>');
    web.page('/big.bin', Buffer.alloc(2 * 1024 * 1024, 7), 'application/octet-stream');
    // As an image: the browser reads the whole body (a cross-origin fetch without CORS headers may
    // be cut after its headers, which under load left the byte count below the limit).
    web.page('/big.png', Buffer.alloc(2 * 1024 * 1024, 7), 'image/png');
    web.hang('/forever');
  });
  after(async () => {
    await Promise.all(engines.map((e) => e.close()));
    await web?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('lets no request of a page reach a private address: images, frames, fetch, beacons, navigations; the capture still succeeds', async () => {
    const { engine: guarded } = await engine();
    const hitsBefore = web.requests.length;
    const page = `<!doctype html><html><body style="margin:0;background:#0f0">
      <img src="http://127.0.0.1:${port}/secret.png" onload="document.body.style.background='#f00'">
      <img src="http://localhost:${port}/secret.png?name" onload="document.body.style.background='#f00'">
      <iframe src="http://[::ffff:127.0.0.1]:${port}/page"></iframe>
      <link rel="stylesheet" href="http://127.0.0.1:${port}/style.css">
      <script>
        fetch('http://127.0.0.1:${port}/fetch').then(() => { document.body.style.background = '#f00'; }, () => undefined);
        navigator.sendBeacon('http://127.0.0.1:${port}/beacon', 'x');
        new WebSocket('ws://127.0.0.1:${port}/ws');
      </script></body></html>`;
    const png = await convert(guarded, 'html', page, 'png', { wait_until: 'networkidle0', wait_time: 300 });
    assert.deepEqual(await pixel(png, 150, 190), [0, 255, 0], 'nothing private was loaded');
    assert.deepEqual(web.requests.slice(hitsBefore), [], 'the private server saw no request');
    // A navigation of the page itself to a private address is refused too, and fails the capture.
    await assert.rejects(convert(guarded, 'html', `<script>location.href = 'http://127.0.0.1:${port}/navigated'</script>`, 'png', { wait_time: 500 }), (error: AppError) => error.code === 'URL_FORBIDDEN');
    assert.deepEqual(web.requests.slice(hitsBefore), []);

    // The same page with private addresses allowed does reach the server: the test can fail.
    const { engine: open } = await engine({ allowPrivateUrls: true });
    const allowed = await convert(open, 'html', page, 'png', { wait_until: 'networkidle0', wait_time: 300 });
    assert.deepEqual(await pixel(allowed, 150, 190), [255, 0, 0]);
    for (const hit of ['/secret.png', '/secret.png?name', '/page', '/fetch', '/beacon', '/ws']) assert.ok(web.requests.includes(hit), `${hit} in ${web.requests.join(' ')}`);
  });

  it('refuses a website whose name resolves to a private address, naming the address', async () => {
    const { engine: guarded } = await engine();
    const hitsBefore = web.requests.length;
    await assert.rejects(convert(guarded, 'website', `http://localhost:${port}/page`, 'png'), (error: AppError) => {
      assert.equal(error.code, 'URL_FORBIDDEN');
      assert.match(error.message, /localhost resolves to (127\.0\.0\.1|::1), a private or loopback address/);
      return true;
    });
    await assert.rejects(convert(guarded, 'website', `http://127.0.0.1:${port}/page`, 'png'), (error: AppError) => error.code === 'URL_FORBIDDEN');
    assert.deepEqual(web.requests.slice(hitsBefore), []);
  });

  it('keeps an uploaded HTML page away from local files (file:// images, frames and fetch)', async () => {
    const { engine: guarded } = await engine({ allowPrivateUrls: true });
    const secret = path.join(dir, 'secret.png');
    await sharp({ create: { width: 20, height: 20, channels: 3, background: 'red' } }).png().toFile(secret);
    const page = `<!doctype html><html><body style="margin:0;background:#0f0">
      <img src="file://${secret}" onload="document.body.style.background='#f00'">
      <img src="${secret}" onload="document.body.style.background='#f00'">
      <iframe src="file:///etc/hostname"></iframe>
      <script>fetch('file:///etc/hostname').then(() => { document.body.style.background = '#f00'; }, () => undefined);</script>
    </body></html>`;
    const png = await convert(guarded, 'html', page, 'png', { wait_time: 300 });
    assert.deepEqual(await pixel(png, 150, 190), [0, 255, 0]);
  });

  it('stops a page that receives more bytes than allowed', async () => {
    // The page never finishes loading (/forever), so only the byte limit or the capture's time
    // limit can end it. The time limit is far out: on a busy machine Chromium may take many
    // seconds to fetch the images, and a time-limit error (not TOO_LARGE) still fails the test.
    const { engine: small } = await engine({ allowPrivateUrls: true, maxPageBytes: 256 * 1024, captureTimeoutMs: 120_000 });
    await assert.rejects(convert(small, 'html', `<script>fetch('http://127.0.0.1:${port}/big.bin')</script><img src="http://127.0.0.1:${port}/big.png"><img src="http://127.0.0.1:${port}/forever">`, 'png'), (error: AppError) => {
      assert.equal(error.code, 'TOO_LARGE', error.message);
      assert.match(error.message, /The capture of the uploaded HTML page was stopped: the page received more than 256 KiB/);
      return true;
    });
    // The next capture on the same browser is fine.
    assert.ok(existsSync(await convert(small, 'website', `${web.baseUrl}/page`, 'png')));
  });

  it('prints an uploaded HTML file to PDF with its page size and page breaks', async () => {
    const { engine: guarded } = await engine();
    const html = '<!doctype html><html><body><p>First page</p><p style="break-before: page">Second page</p><p style="break-before: page">Third page</p></body></html>';
    const pdf = await convert(guarded, 'html', html, 'pdf', { page_size: 'A5' });
    const doc = await PDFDocument.load(await readFile(pdf));
    assert.equal(doc.getPageCount(), 3);
    const size = doc.getPage(0).getSize();
    assert.ok(Math.abs(size.width - 419.5) < 1.5 && Math.abs(size.height - 595.3) < 1.5, `A5: ${size.width} x ${size.height}`);
    const two = await convert(guarded, 'html', html, 'pdf', { page_range: '2-3' });
    assert.equal((await PDFDocument.load(await readFile(two))).getPageCount(), 2);
    await assert.rejects(convert(guarded, 'html', html, 'pdf', { page_range: '7' }), (error: AppError) => error.code === 'INVALID_OPTION' && /page_range/.test(error.message));
  });

  it('stops at once when the job is aborted, and the next capture works', async () => {
    const { engine: pool } = await engine({ allowPrivateUrls: true });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('cancelled by the test')), 1500);
    await assert.rejects(convert(pool, 'html', `<img src="http://127.0.0.1:${port}/forever">`, 'png', {}, controller.signal), /cancelled by the test/);
    // Without the abort the page (it never loads) would run to the capture's 20 s time limit: well
    // under that, with room for a busy machine, is "at once".
    assert.ok(Date.now() - started < 1500 + 8000, `stopped ${Date.now() - started - 1500} ms after the abort`);
    assert.ok(existsSync(await convert(pool, 'website', `${web.baseUrl}/page`, 'png')));
  });

  it('takes its browser down when the worker process is killed (parent-death signal)', async () => {
    const tempDir = await mkdtemp(path.join(dir, 'killed-'));
    const script = path.join(tempDir, 'worker.mts');
    const engineModule = fileURLToPath(new URL('../../workers/converters/chromium/index.ts', import.meta.url));
    const sandboxModule = fileURLToPath(new URL('../helpers/sandbox.ts', import.meta.url));
    await writeFile(path.join(tempDir, 'input.website'), `${web.baseUrl}/page`);
    await writeFile(script, `
      import { createChromiumEngine } from ${JSON.stringify(engineModule)};
      import { testSandbox } from ${JSON.stringify(sandboxModule)};
      const engine = createChromiumEngine({ path: ${JSON.stringify(CHROMIUM)}, poolSize: 1, maxCaptures: 10, maxRssBytes: 0, allowPrivateUrls: true, tempDir: ${JSON.stringify(tempDir)}, captureTimeoutMs: 20000, maxPageHeight: 1000, maxPageBytes: 1e7, sandbox: true, toolSandbox: await testSandbox(${JSON.stringify(tempDir)}) });
      const silent = { debug() {}, info() {}, warn() {}, error() {}, child() { return silent; } };
      await engine.convert({ inputPath: ${JSON.stringify(path.join(tempDir, 'input.website'))}, inputFormat: 'website', outputFormat: 'png', options: ${JSON.stringify(NONE)}, outputDir: ${JSON.stringify(tempDir)}, outputName: 'out' }, { workDir: ${JSON.stringify(tempDir)}, signal: new AbortController().signal, log: silent, progress() {}, tools: undefined });
      console.log('captured');
      setInterval(() => undefined, 1000);
    `);
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('captured') && resolve());
      child.once('exit', (code) => reject(new Error(`the worker exited (${code}) before capturing`)));
    });
    const browsers = await browserPids(tempDir);
    assert.equal(browsers.length, 1, 'the worker\'s browser runs');
    const tree = await withDescendants(browsers);
    assert.ok(tree.length > 2, `the browser has its helper processes (${tree.join(', ')})`);
    child.kill('SIGKILL');
    const alive = (): number[] => tree.filter((pid) => existsSync(`/proc/${pid}`) && !isZombie(pid));
    const deadline = Date.now() + 15_000; // the parent-death signal, then Chromium's own exit, on a busy machine
    while (alive().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(alive(), [], 'no browser process outlives its worker');
  });

  it('replaces the browser after maxCaptures and after it is killed; close() leaves no process or profile', async () => {
    const { engine: pool, tempDir } = await engine({ allowPrivateUrls: true, maxCaptures: 2 });
    const shot = (): Promise<string> => convert(pool, 'website', `${web.baseUrl}/page`, 'png');
    await shot();
    const [first] = await browserPids(tempDir);
    assert.ok(first !== undefined, 'a browser runs after the first capture');
    // The browser gets none of the worker's environment (credentials live there).
    const environ = await readFile(`/proc/${first}/environ`, 'utf8');
    assert.match(environ, /HOME=/);
    assert.doesNotMatch(environ, /OPENCONVERT_TEST_SECRET/);
    await shot(); // the second capture wears the browser out
    await shot();
    const [second] = await browserPids(tempDir);
    assert.ok(second !== undefined && second !== first, `replaced after 2 captures (${first} → ${second})`);
    process.kill(second, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok(existsSync(await shot()), 'a capture after the browser was killed works');
    const [third] = await browserPids(tempDir);
    assert.ok(third !== undefined && third !== second);
    await pool.close();
    assert.deepEqual(await browserPids(tempDir), []);
    assert.deepEqual(await readdir(tempDir), [], 'the profiles are removed');
  });

  it('replaces a browser whose processes hold more than maxRssBytes after its capture', async () => {
    // Measured through the sandbox's wrapper: Chromium and its helpers are its descendants.
    const { engine: pool, tempDir } = await engine({ allowPrivateUrls: true, maxRssBytes: 1024 * 1024 });
    const shot = (): Promise<string> => convert(pool, 'website', `${web.baseUrl}/page`, 'png');
    await shot();
    await until(async () => (await browserPids(tempDir)).length === 0, 5000, 'the browser to be retired after its capture');
    assert.ok(existsSync(await shot()), 'the next capture starts a new browser');
  });
});
