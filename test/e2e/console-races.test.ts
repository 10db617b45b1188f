// The API console when answers arrive late, in Debian's headless Chromium against a real server:
// answers are held back with playwright's routing, so each race happens every time. A late
// answer for an earlier choice never replaces the current one, and a cancel while the server is
// still creating the process leaves no process behind; a result of many files asks its sizes a
// few at a time.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { SVG } from '../helpers/fixtures.js';
import { zipBytes } from '../helpers/zip-bytes.js';
import { OTHER_KEY, startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';
import { until } from '../helpers/wait.js';
import { openConsole, stepIs } from './console-browser.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('API console races in headless Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let dir: string;

  const processes = async (): Promise<Array<{ url: string; step: string }>> =>
    (await (await fetch(`${server.baseUrl}/processes`, { headers: { authorization: `Bearer ${TEST_KEY}` } })).json()) as Array<{ url: string; step: string }>;

  before(async () => {
    server = await startTestServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-console-races-'));
    await writeFile(path.join(dir, 'drawing.svg'), SVG);
    ({ browser, page } = await openConsole(server.baseUrl));
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it("a late answer for an earlier output format does not replace the current format's options", { timeout: 120_000 }, async () => {
    await page.selectOption('#mode', 'convert');
    await page.selectOption('#inputformat', 'svg');
    await page.selectOption('#outputformat', 'png');
    await page.waitForSelector('#opt-quality');
    // svg -> pdf has its own option (text_to_path); its answer comes 2 s late.
    let held = 0;
    await page.route(/\/conversiontypes\/options\?.*outputformat=pdf/, async (route) => {
      held++;
      const response = await route.fetch();
      await sleep(2_000);
      await route.fulfill({ response });
    });
    const late = page.waitForResponse(/\/conversiontypes\/options\?.*outputformat=pdf/, { timeout: 30_000 });
    await page.selectOption('#outputformat', 'pdf');
    await page.selectOption('#outputformat', 'png');
    await late;
    await sleep(500);
    await page.unroute(/\/conversiontypes\/options/);
    assert.equal(held, 1);
    assert.equal(await page.inputValue('#outputformat'), 'png');
    assert.equal(await page.locator('#opt-text_to_path').count(), 0, "pdf's option is not shown for png");
    assert.equal(await page.locator('#opt-quality').count(), 1, "png's options are shown");
  });

  it('cancel while the server creates the process: the process is deleted all the same', { timeout: 120_000 }, async () => {
    const before = (await processes()).length;
    await page.selectOption('#mode', 'convert');
    await page.selectOption('#outputformat', 'png');
    await page.setInputFiles('#file', path.join(dir, 'drawing.svg'));
    // The server gets the request at once and creates the process; the page hears of it 2 s later.
    let created = false;
    await page.route(/\/process$/, async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      const response = await route.fetch();
      created = true;
      await sleep(2_000);
      await route.fulfill({ response }).catch(() => undefined);
    });
    await page.click('#start');
    await until(async () => created, 30_000, 'the process created on the server');
    assert.equal((await processes()).length, before + 1);
    await page.click('#cancel');
    await stepIs(page, 'cancelled');
    await sleep(3_000);
    await page.unroute(/\/process$/);
    await until(async () => (await processes()).length === before, 15_000, 'the process created while cancelling deleted');
    assert.ok(await page.isEnabled('#start'));
    assert.ok(await page.isHidden('#error'), 'a cancel is not an error');
  });

  it("a late list of the previous key's processes does not replace the current key's", { timeout: 120_000 }, async () => {
    // The other key has one process; the test key's list comes 2 s late.
    const other = await fetch(`${server.baseUrl}/process`, { method: 'POST', headers: { authorization: `Bearer ${OTHER_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ inputformat: 'svg', outputformat: 'png' }) });
    const otherId = ((await other.json()) as { id: string }).id;
    await page.route(/\/processes$/, async (route) => {
      if (route.request().headers()['authorization'] !== `Bearer ${TEST_KEY}`) return route.continue();
      const response = await route.fetch();
      await sleep(2_000);
      await route.fulfill({ response }).catch(() => undefined);
    });
    const late = page.waitForResponse((response) => /\/processes$/.test(response.url()) && response.request().headers()['authorization'] === `Bearer ${TEST_KEY}`, { timeout: 30_000 });
    await page.click('#refresh');
    await page.fill('#key', OTHER_KEY);
    await page.press('#key', 'Tab');
    await late;
    await sleep(500);
    await page.unroute(/\/processes$/);
    const shown = await page.locator('#processes li a').allTextContents();
    assert.deepEqual(shown, [otherId], "the other key's process, and only it");
    await page.fill('#key', TEST_KEY);
    await page.press('#key', 'Tab');
  });

  it("a cancel's late answer does not overwrite the status of the run started after it", { timeout: 120_000 }, async () => {
    await page.selectOption('#mode', 'convert');
    await page.selectOption('#outputformat', 'png');
    await page.setInputFiles('#file', path.join(dir, 'drawing.svg'));
    // The first upload is held (time to cancel it); the cancel's DELETE is answered 3 s late.
    let holdUpload = true;
    let uploading = false;
    await page.route(/\/process\/[\w-]+$/, async (route) => {
      const method = route.request().method();
      if (method === 'POST' && holdUpload) {
        uploading = true;
        await sleep(5_000);
        return route.continue().catch(() => undefined);
      }
      if (method !== 'DELETE') return route.continue();
      const response = await route.fetch();
      await sleep(3_000);
      await route.fulfill({ response }).catch(() => undefined);
    });
    await page.click('#start');
    await until(async () => uploading, 30_000, 'the upload under way');
    await page.click('#cancel');
    await page.waitForSelector('#start:enabled', { timeout: 10_000 });
    holdUpload = false;
    await page.click('#start');
    await stepIs(page, 'finished', 60_000);
    await sleep(4_000);
    await page.unroute(/\/process\/[\w-]+$/);
    assert.equal(await page.textContent('#step'), 'finished', 'the second run stays finished');
    assert.equal(await page.locator('#result a.download').count(), 1);
  });

  it('a result of many files asks their sizes a few at a time, and shows every one', { timeout: 120_000 }, async () => {
    const names = Array.from({ length: 12 }, (_, i) => `part-${String(i + 1).padStart(2, '0')}.txt`);
    await writeFile(path.join(dir, 'many.zip'), zipBytes(names.map((name, i) => ({ name, data: 'x'.repeat(i + 1) }))));
    // Every HEAD for a size is answered 300 ms late, so requests sent together overlap.
    let inFlight = 0;
    let most = 0;
    let asked = 0;
    await page.route(/\/download\//, async (route) => {
      if (route.request().method() !== 'HEAD') return route.continue();
      asked++;
      most = Math.max(most, ++inFlight);
      const response = await route.fetch();
      await sleep(300);
      inFlight--;
      await route.fulfill({ response }).catch(() => undefined);
    });
    await page.selectOption('#mode', 'extract');
    await page.selectOption('#inputformat', 'zip');
    await page.setInputFiles('#file', path.join(dir, 'many.zip'));
    await page.click('#start');
    await stepIs(page, 'finished', 60_000);
    await page.waitForSelector('#result ul.files li:has-text("part-12.txt") .size:text-is(" (12 bytes)")', { timeout: 30_000 });
    await until(async () => (await page.$$eval('#result ul.files .size', (els) => els.filter((e) => e.textContent !== '').length)) === names.length, 30_000, 'every size shown');
    await page.unroute(/\/download\//);
    assert.equal(asked, names.length);
    assert.ok(most >= 2 && most <= 4, `at most 4 size requests at once (saw ${most})`);
  });
});
