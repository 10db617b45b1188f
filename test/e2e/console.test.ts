// The API console end to end: Debian's Chromium (driven by playwright-core) against a real
// server, Redis and worker. Loads the page, converts svg -> png by upload, downloads the result,
// shows a failed conversion's message, and runs the curl snippet the page shows.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { SVG } from '../helpers/fixtures.js';
import { TEST_KEY, type TestServer } from '../helpers/server.js';
import { until } from '../helpers/wait.js';
import type { FixtureServer } from '../helpers/fixture-server.js';
import { ARTIFACTS, screenshot, startConsoleRig, stepIs, type ConsoleRig } from './console-browser.js';

const run = promisify(execFile);
const deleteButtons = (page: Page) => page.locator('#processes button.delete').count();

async function pixels(file: Buffer): Promise<{ width: number; height: number; data: Buffer }> {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data };
}

describe('API console in headless Chromium', () => {
  let server: TestServer;
  let page: Page;
  let dir: string;
  let fixtures: FixtureServer;

  let rig: ConsoleRig | undefined;

  before(async () => {
    // The URL input downloads from the rig's fixture server.
    rig = await startConsoleRig('console', { 'drawing.svg': SVG, 'broken.svg': 'this is not an svg <<<' });
    ({ server, fixtures, dir, page } = rig);
    fixtures.serve('/remote.svg', SVG, 'image/svg+xml');
  });
  after(() => rig?.stop());

  it('builds the form from the catalog, with each option and its valid values', async () => {
    assert.equal(await page.inputValue('#inputformat'), 'svg');
    await page.selectOption('#outputformat', 'png');
    await page.waitForSelector('#opt-resizemode');
    const modes = await page.$$eval('#mode option', (os) => os.map((o) => o.textContent));
    assert.deepEqual(modes, ['convert', 'combine', 'archive', 'extract', 'compress', 'info', 'website']);
    const resizemode = await page.$$eval('#opt-resizemode option', (os) => os.map((o) => o.textContent));
    assert.deepEqual(resizemode, ['default (maximum)', 'maximum', 'minimum', 'exact']);
    assert.match((await page.textContent('#opt-quality-help')) ?? '', /a whole number from 1 to 100/);
    assert.equal(await page.getAttribute('#opt-quality', 'max'), '100');
    // Every form control has a label.
    const unlabeled = await page.$$eval('input:not([type=hidden]), select', (els) => els.filter((e) => !(e as unknown as { labels: unknown[] | null }).labels?.length).map((e) => e.id));
    assert.deepEqual(unlabeled, []);
    // Keyboard: Tab moves through the form and the focused control has a visible outline.
    await page.focus('#show-key');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate<{ id: string; outline: string }>(`({ id: document.activeElement.id, outline: getComputedStyle(document.activeElement).outlineStyle + ' ' + getComputedStyle(document.activeElement).outlineWidth })`);
    assert.deepEqual(focused, { id: 'mode', outline: 'solid 3px' });
  });

  it('uploads an svg, follows the progress to 100 % and downloads a PNG', async () => {
    await page.fill('#opt-resize', '60x');
    await page.setInputFiles('#file', path.join(dir, 'drawing.svg'));
    const snippet = (await page.textContent('#code-curl')) ?? '';
    assert.match(snippet, /YOUR_API_KEY/, 'a placeholder key by default');
    assert.ok(!snippet.includes(TEST_KEY), 'the real key only when asked for');
    const v2 = (await page.textContent('#code-node-v2')) ?? '';
    assert.match(v2, /resize: "60x"/, 'the API v2 snippet follows the form');
    assert.match(v2, /fs\.createReadStream\("drawing\.svg"\)/);
    await page.click('#start');
    await stepIs(page, 'finished');
    assert.equal(await page.textContent('#percent'), '100 %');
    assert.equal(await page.$eval('#progress', (p) => (p as unknown as { value: number }).value), 100);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#result a.download')]);
    assert.equal(download.suggestedFilename(), 'drawing.png');
    const saved = path.join(dir, 'from-browser.png');
    await download.saveAs(saved);
    const png = await readFile(saved);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const meta = await sharp(png).metadata();
    assert.equal(meta.format, 'png');
    assert.equal(meta.width, 60);
    assert.equal(meta.height, 40);

    await screenshot(page, 'console');
    await screenshot(page, 'console-convert');
  });

  it('the curl snippet shown, with the real key, produces the same PNG', async () => {
    await page.check('#show-key');
    const snippet = (await page.textContent('#code-curl')) ?? '';
    assert.ok(snippet.includes(TEST_KEY));
    assert.match(snippet, /converteroptions\[resize\]=60x/);
    await run('bash', ['-euo', 'pipefail', '-c', snippet], { cwd: dir, timeout: 30_000 });
    const fromCurl = await pixels(await readFile(path.join(dir, 'out', 'drawing.png')));
    const fromBrowser = await pixels(await readFile(path.join(dir, 'from-browser.png')));
    assert.equal(fromCurl.width, fromBrowser.width);
    assert.equal(fromCurl.height, fromBrowser.height);
    assert.ok(fromCurl.data.equals(fromBrowser.data), 'same pixels');
    // The /convert shortcut gives the same file too.
    const shortcut = (await page.textContent('#code-curl-convert')) ?? '';
    const other = path.join(dir, 'shortcut');
    await mkdir(other);
    await writeFile(path.join(other, 'drawing.svg'), SVG);
    await run('bash', ['-euo', 'pipefail', '-c', shortcut], { cwd: other, timeout: 30_000 });
    const fromShortcut = await pixels(await readFile(path.join(other, 'out', 'drawing.png')));
    assert.ok(fromShortcut.data.equals(fromBrowser.data), 'same pixels from /convert');
    await page.uncheck('#show-key');
    assert.ok(!((await page.textContent('#code-curl')) ?? '').includes(TEST_KEY));
  });

  it('file names and messages are shown as text, never as HTML', async () => {
    const name = '<img id="injected" src="x">.svg';
    await page.setInputFiles('#file', { name, mimeType: 'image/svg+xml', buffer: SVG });
    await page.click('#start');
    await stepIs(page, 'finished');
    assert.equal(await page.$('#injected'), null);
    // Browsers send a multipart file name's quotes as %22 (the HTML form-data encoding).
    assert.match((await page.textContent('#result')) ?? '', /<img id=(?:"|%22)injected/);
    assert.match((await page.textContent('#files')) ?? '', /<img id="injected"/);
    assert.match((await page.textContent('#code-python')) ?? '', /<img id=\"injected\" src=\"x\">\.svg|<img id="injected" src="x">\.svg/);
  });

  it("a corrupt file shows the API's message, as text", async () => {
    await page.setInputFiles('#file', path.join(dir, 'broken.svg'));
    await page.click('#start');
    await stepIs(page, 'error');
    const shown = (await page.textContent('#error')) ?? '';
    assert.ok(await page.isVisible('#error'));
    // The same message as the process's status object.
    const processes = (await (await fetch(`${server.baseUrl}/processes`, { headers: { authorization: `Bearer ${TEST_KEY}` } })).json()) as Array<{ url: string; step: string }>;
    const failed = processes.filter((p) => p.step === 'error');
    assert.equal(failed.length, 1);
    const status = (await (await fetch(server.abs(failed[0]!.url))).json()) as { message: string };
    assert.ok(status.message.length > 0);
    assert.equal(shown, status.message);
  });

  it('lists the recent processes with links and delete buttons', async () => {
    await page.click('#refresh');
    await until(async () => (await deleteButtons(page)) >= 3, 10_000, 'three processes listed');
    const before = await page.$$eval('#processes li a', (as) => as.map((a) => a.getAttribute('href') ?? ''));
    assert.ok(before.every((href) => href.startsWith(`${server.baseUrl}/process/`)), before.join(' '));
    await page.click('#processes li:first-child button.delete');
    await until(async () => (await deleteButtons(page)) === before.length - 1, 10_000, 'one process fewer');
  });

  it('mode=info shows the info object as a table', async () => {
    await page.selectOption('#mode', 'info');
    await page.setInputFiles('#file', path.join(dir, 'drawing.svg'));
    await page.click('#start');
    await stepIs(page, 'finished');
    const rows = await page.$$eval('#info tr', (trs) => Object.fromEntries(trs.map((tr) => [tr.querySelector('th')?.textContent, tr.querySelector('td')?.textContent])));
    assert.equal(rows['width'], '120');
    assert.equal(rows['height'], '80');
    await screenshot(page, 'console-info');
  });

  it('converts a file given by URL (input=download)', async () => {
    await page.selectOption('#mode', 'convert');
    await page.selectOption('#outputformat', 'jpg');
    await page.check('#input-download');
    assert.ok(await page.isHidden('#file'));
    await page.fill('#url', `${fixtures.baseUrl}/remote.svg`);
    assert.match((await page.textContent('#code-node')) ?? '', /input: 'download', file: "http:\/\/127\.0\.0\.1:\d+\/remote\.svg"/);
    await page.click('#start');
    await stepIs(page, 'finished');
    assert.ok(fixtures.requests.includes('/remote.svg'));
    assert.equal(await page.textContent('#result a.download'), 'Download remote.jpg');
  });

  it('fits a phone-sized screen without sideways scrolling', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    const wide = await page.evaluate<string[]>(`[...document.querySelectorAll('body *')].filter((e) => !e.closest('pre') && e.getBoundingClientRect().right > 375).map((e) => e.tagName + '#' + e.id).slice(0, 10)`);
    assert.ok(width <= 375, `page is ${width}px wide: ${wide.join(', ')}`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-phone.png') });
  });
});
