// The docs page (/docs, swagger-ui) in Debian's headless Chromium against a real server. The page
// shares its origin with the API console, which keeps the key in session storage, so it gets a
// Content-Security-Policy of its own: its own scripts only, calls only to this server, never
// framed. The test shows swagger-ui still works under it ("Try it out" included) and that the
// page cannot reach another origin.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { CHROMIUM } from '../helpers/web-pages.js';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

describe('docs page (/docs) in headless Chromium', () => {
  let server: TestServer;
  let other: FixtureServer;
  let browser: Browser;
  let page: Page;
  /** What Chromium reports: CSP refusals and other console errors. */
  const errors: string[] = [];

  before(async () => {
    server = await startTestServer({ worker: false });
    other = await startFixtureServer();
    other.serve('/leak', Buffer.from('ok'), 'text/plain');
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: scripts/setup.sh installs Debian's chromium package`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  });
  after(async () => {
    await browser?.close();
    await other?.stop();
    await server?.stop();
  });

  it('is served with a CSP: own scripts, calls only to this server, not framed', async () => {
    for (const url of ['/docs/', '/docs/static/swagger-initializer.js', '/docs/json']) {
      const response = await fetch(`${server.baseUrl}${url}`);
      await response.arrayBuffer();
      const csp = response.headers.get('content-security-policy') ?? '';
      assert.match(csp, /(?:^|; )script-src 'self'(?:;|$)/, `${url}: ${csp}`);
      assert.match(csp, /(?:^|; )connect-src 'self'(?:;|$)/, `${url}: ${csp}`);
      assert.match(csp, /(?:^|; )frame-ancestors 'none'(?:;|$)/, `${url}: ${csp}`);
      assert.match(csp, /(?:^|; )default-src 'none'(?:;|$)/, `${url}: ${csp}`);
      assert.doesNotMatch(csp, /unsafe-eval/, url);
    }
  });

  it('renders every operation and "Try it out" answers, with nothing refused by the CSP', { timeout: 120_000 }, async () => {
    await page.goto(`${server.baseUrl}/docs/`);
    await page.waitForSelector('.opblock', { timeout: 60_000 });
    assert.ok((await page.locator('.opblock').count()) > 40);
    const version = page.locator('#operations-operations-getVersion');
    await version.locator('.opblock-summary').click();
    await version.locator('button.try-out__btn').click();
    await version.locator('button.execute').click();
    const body = version.locator('.live-responses-table tbody .response-col_status').first();
    await body.waitFor({ timeout: 30_000 });
    assert.equal((await body.textContent())?.trim(), '200');
    assert.deepEqual(errors.filter((e) => /Content Security Policy|page error/i.test(e)), []);
  });

  it('the page cannot send anything to another origin', { timeout: 60_000 }, async () => {
    const outcome = await page.evaluate(`fetch(${JSON.stringify(`${other.baseUrl}/leak`)}).then(() => 'sent', () => 'blocked')`);
    assert.equal(outcome, 'blocked');
    assert.equal(other.requests.filter((url) => url.startsWith('/leak')).length, 0);
  });
});
