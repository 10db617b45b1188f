// The API console while a conversion runs, in Debian's headless Chromium against a real server,
// Redis and worker: the upload's progress (the browser's upload throttled through the DevTools
// protocol, so that it takes seconds), cancel during the upload and during the conversion (the
// process is deleted), and an error shown with the server's hint.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CDPSession, Page } from 'playwright-core';
import type { FixtureServer } from '../helpers/fixture-server.js';
import { TEST_KEY, type TestServer } from '../helpers/server.js';
import { until } from '../helpers/wait.js';
import { screenshot, startConsoleRig, stepIs, type ConsoleRig } from './console-browser.js';

/** 2 MiB at 256 KiB/s: eight seconds of upload, long enough to watch and to cancel. */
const BIG = 2 * 1024 * 1024;
const SLOW_UPLOAD = 256 * 1024;

describe('API console progress and cancel in headless Chromium', () => {
  let server: TestServer;
  let fixtures: FixtureServer;
  let page: Page;
  let cdp: CDPSession;
  let dir: string;

  const processes = async (): Promise<Array<{ url: string; step: string }>> =>
    (await (await fetch(`${server.baseUrl}/processes`, { headers: { authorization: `Bearer ${TEST_KEY}` } })).json()) as Array<{ url: string; step: string }>;
  const progressValue = () => page.$eval('#progress', (p) => (p as unknown as { value: number }).value);
  /** Throttles the browser's uploads to `bytesPerSecond` (-1: no limit). */
  const throttle = (bytesPerSecond: number) => cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond });

  /** Archive mode with the big file chosen and the upload throttled: ready to start. */
  async function slowArchive(): Promise<void> {
    await page.selectOption('#mode', 'archive');
    await page.waitForSelector('#code-curl:has-text("mode=")');
    const remove = page.locator('#files button:text-is("Remove")');
    while ((await remove.count()) > 0) await remove.first().click();
    await page.setInputFiles('#file', path.join(dir, 'big.bin'));
    await throttle(SLOW_UPLOAD);
  }

  let rig: ConsoleRig | undefined;

  before(async () => {
    rig = await startConsoleRig('console-progress', { 'big.bin': randomBytes(BIG) });
    ({ server, fixtures, dir, page } = rig);
    fixtures.serve('/slow.html', Buffer.from('<!doctype html><html><body><h1>Slow</h1></body></html>'), 'text/html');
    cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
  });
  after(() => rig?.stop());

  it('shows the upload moving before the conversion, then the conversion to 100 %', async () => {
    await slowArchive();
    await page.click('#start');
    await stepIs(page, 'upload');
    await until(async () => (await progressValue()) > 0, 30_000, 'the upload under way');
    const first = await progressValue();
    await until(async () => (await progressValue()) > first, 30_000, 'the upload bar moving');
    const second = await progressValue();
    assert.equal(await page.textContent('#step'), 'upload', 'still uploading');
    assert.ok(first > 0 && second < 100, `${first} % then ${second} %`);
    assert.match((await page.textContent('#message')) ?? '', /^Uploading the file: [\d.]+ (KB|MB) of 2\.0 MB$/);
    await screenshot(page, 'console-upload');
    await throttle(-1);
    await stepIs(page, 'finished', 60_000);
    assert.equal(await page.textContent('#percent'), '100 %');
    assert.match((await page.textContent('#result a.download')) ?? '', /^Download big\.zip$/);
  });

  it('cancel during the upload stops it and deletes the process', async () => {
    const before = (await processes()).length;
    await slowArchive();
    await page.click('#start');
    await stepIs(page, 'upload');
    await until(async () => (await progressValue()) > 0, 30_000, 'the upload under way');
    assert.ok(await page.isVisible('#cancel'));
    await page.click('#cancel');
    await stepIs(page, 'cancelled');
    assert.equal(await page.textContent('#message'), 'Cancelled: the process and its files were deleted.');
    assert.ok(await page.isHidden('#cancel'));
    assert.ok(await page.isEnabled('#start'));
    assert.ok(await page.isHidden('#error'), 'a cancel is not an error');
    await throttle(-1);
    await until(async () => (await processes()).length === before, 10_000, 'the cancelled process deleted');
  });

  it('cancel during the conversion deletes the running process', async () => {
    await page.selectOption('#mode', 'website');
    await page.waitForSelector('#opt-wait_time');
    await page.fill('#url', `${fixtures.baseUrl}/slow.html`);
    // The capture waits 30 s after the page has loaded: it is still converting when cancelled.
    await page.fill('#opt-wait_time', '30000');
    await page.click('#start');
    await stepIs(page, 'convert', 60_000);
    const running = (await processes()).find((p) => p.step === 'convert');
    assert.ok(running !== undefined, 'the capture is running');
    await page.click('#cancel');
    await stepIs(page, 'cancelled');
    await screenshot(page, 'console-cancel');
    const gone = await fetch(server.abs(running.url));
    assert.equal(gone.status, 404);
    assert.equal(((await gone.json()) as { error: string }).error, 'Process not found');
  });

  it("shows the server's error and its hint", async () => {
    await page.selectOption('#mode', 'info');
    await page.waitForSelector('#code-curl:has-text("mode=\'info\'")');
    await page.selectOption('#inputformat', 'docx');
    await page.waitForSelector('#error:visible');
    assert.equal(await page.textContent('#error-text'), 'This conversiontype is not supported!');
    assert.equal(await page.textContent('#error-hint'), 'mode=info is not available for docx files.');
    // Starting anyway: /process answers the same, and the page shows it the same way.
    await page.setInputFiles('#file', { name: 'letter.docx', mimeType: 'application/octet-stream', buffer: Buffer.from('not really a docx') });
    await page.click('#start');
    await stepIs(page, 'error');
    assert.equal(await page.textContent('#error-text'), 'This conversiontype is not supported!');
    assert.match((await page.textContent('#error-hint')) ?? '', /mode=info is not available for docx files/);
    await screenshot(page, 'console-error');
  });
});
