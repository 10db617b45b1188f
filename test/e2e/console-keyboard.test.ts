// The API console with the keyboard only, in Debian's headless Chromium against a real server:
// the Start button is disabled and Cancel hidden around a run, so the page itself has to move the
// focus, or a keyboard user lands on the top of the page each time (Start -> Cancel while the
// run goes on, back to Start when it has ended). Buttons say what they act on.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { SVG } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { openConsole, stepIs } from './console-browser.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('API console with the keyboard in headless Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let dir: string;

  const focused = () => page.evaluate<string>('document.activeElement?.id ?? ""');

  before(async () => {
    server = await startTestServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-console-keys-'));
    await writeFile(path.join(dir, 'drawing.svg'), SVG);
    ({ browser, page } = await openConsole(server.baseUrl));
    await page.selectOption('#mode', 'convert');
    await page.selectOption('#inputformat', 'svg');
    await page.selectOption('#outputformat', 'png');
    await page.setInputFiles('#file', path.join(dir, 'drawing.svg'));
    // Every process is created 1.5 s late: time to look at the focus while the run is under way.
    await page.route(/\/process$/, async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      const response = await route.fetch();
      await sleep(1_500);
      await route.fulfill({ response }).catch(() => undefined);
    });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('Enter on Start: the focus goes to Cancel, then back to Start once finished', { timeout: 120_000 }, async () => {
    await page.focus('#start');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#cancel', { state: 'visible', timeout: 10_000 });
    assert.equal(await focused(), 'cancel');
    await stepIs(page, 'finished', 60_000);
    await page.waitForSelector('#cancel', { state: 'hidden', timeout: 10_000 });
    assert.equal(await focused(), 'start');
  });

  it('Enter on Cancel: cancelled, and the focus is back on Start', { timeout: 120_000 }, async () => {
    await page.focus('#start');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#cancel', { state: 'visible', timeout: 10_000 });
    await page.focus('#cancel');
    await page.keyboard.press('Enter');
    await stepIs(page, 'cancelled');
    await page.waitForSelector('#cancel', { state: 'hidden', timeout: 10_000 });
    assert.equal(await focused(), 'start');
  });

  it('each Copy button is named after the snippet it copies', async () => {
    const titles = await page.locator('.snippet h3').allTextContents();
    assert.equal(titles.length, 6);
    for (const title of titles) assert.equal(await page.getByRole('button', { name: `Copy ${title}`, exact: true }).count(), 1, title);
  });
});
