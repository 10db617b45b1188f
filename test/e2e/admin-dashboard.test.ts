// The queue dashboard end to end: Debian's Chromium opens /admin/queues?key=<ADMIN_KEY> once,
// lands on the page without the key, and bull-board's app renders under the dashboard's CSP
// (its scripts run, its API answers through the session cookie): both queues, and a waiting
// conversion in the conversion queue. The only thing the CSP refuses is Google's fonts.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SVG } from '../helpers/fixtures.js';
import { auth, postJson } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const ARTIFACTS = path.resolve('test/artifacts');
const ADMIN_KEY = 'admin-key-0123456789abcdef';
/** bull-board's page asks for Google's fonts; the dashboard's CSP refuses them on purpose. */
const EXPECTED_REFUSAL = /fonts\.googleapis\.com/;

describe('queue dashboard in headless Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let processId: string;
  const problems: string[] = [];

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: scripts/setup.sh installs Debian's chromium package`);
    // No worker: the conversion stays waiting, for the dashboard to show.
    server = await startTestServer({ worker: false, env: { ADMIN_KEY, REQUIRE_WORKER: 'false' } });
    const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'svg', outputformat: 'png' }, auth());
    const started = await postJson(server.abs(String(created.body['url'])), { input: 'raw', file: SVG.toString(), filename: 'a.svg', outputformat: 'png' });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    processId = String(started.body['id']);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !EXPECTED_REFUSAL.test(message.text())) problems.push(`console: ${message.text()}`);
    });
    page.on('requestfailed', (request) => {
      if (!EXPECTED_REFUSAL.test(request.url())) problems.push(`failed: ${request.url()} ${request.failure()?.errorText ?? ''}`);
    });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('takes the key once and lands on the page without it, showing every queue', async () => {
    await page.goto(`${server.baseUrl}/admin/queues?key=${ADMIN_KEY}`);
    assert.equal(page.url(), `${server.baseUrl}/admin/queues`);
    await page.getByText('notifications', { exact: true }).first().waitFor({ timeout: 30_000 });
    await page.getByText('conversions', { exact: true }).first().waitFor({ timeout: 30_000 });
    await page.getByText('conversions-light', { exact: true }).first().waitFor({ timeout: 30_000 });
    assert.deepEqual(problems, []);
  });

  it("shows the waiting conversion's job, fetched through the session cookie", async () => {
    // An image: the light class's queue.
    await page.goto(`${server.baseUrl}/admin/queues/queue/conversions-light?status=waiting`);
    await page.getByText(processId).first().waitFor({ timeout: 30_000 });
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-dashboard.png'), fullPage: true });
    assert.deepEqual(problems, []);
  });
});
