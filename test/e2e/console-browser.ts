// The API console's page in Debian's headless Chromium (playwright-core), shared by the console's
// end-to-end tests: the launch flags, the page opened with the test key, and waits on the page.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { TEST_KEY } from '../helpers/test-keys.js';
import { CHROMIUM } from '../helpers/web-pages.js';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
export const ARTIFACTS = path.resolve('test/artifacts');

/** Chromium with the console open at `baseUrl`, ready, and the test key entered. */
export async function openConsole(baseUrl: string): Promise<{ browser: Browser; page: Page }> {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: scripts/setup.sh installs Debian's chromium package`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
  await page.goto(`${baseUrl}/`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
  await page.fill('#key', TEST_KEY);
  await page.press('#key', 'Tab'); // "change": stores the key, loads the processes
  return { browser, page };
}

/** What a console test file runs against; `stop` ends all of it. */
export interface ConsoleRig {
  readonly server: TestServer;
  /** Serves the pages and files the URL inputs fetch (loopback, so the server allows private URLs). */
  readonly fixtures: FixtureServer;
  /** A temporary folder holding `files`, for the page's file inputs and downloads. */
  readonly dir: string;
  readonly browser: Browser;
  readonly page: Page;
  stop(): Promise<void>;
}

/** A real server, Redis and worker, a fixture server, a folder with `files`, and the console open. */
export async function startConsoleRig(name: string, files: Readonly<Record<string, Buffer | string>> = {}): Promise<ConsoleRig> {
  const server = await startTestServer({ env: { ALLOW_PRIVATE_URLS: 'true' } });
  const fixtures = await startFixtureServer();
  const dir = await mkdtemp(path.join(os.tmpdir(), `oc-${name}-`));
  for (const [file, bytes] of Object.entries(files)) await writeFile(path.join(dir, file), bytes);
  const { browser, page } = await openConsole(server.baseUrl);
  return {
    server, fixtures, dir, browser, page,
    async stop() {
      await browser.close();
      await server.stop();
      await fixtures.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// Code that runs in the page is written as strings (this project's tsconfig has no DOM lib) and
// given to page.evaluate; waitForFunction would eval it, which the page's CSP rightly forbids.
export const stepIs = (page: Page, step: string, timeout = 30_000) => page.waitForSelector(`#step:text-is("${step}")`, { timeout });

/** Keeps a screenshot of the whole page as test/artifacts/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The natural width of the result's first preview image once it has loaded (0: it did not decode). */
export async function loadedWidth(page: Page): Promise<number> {
  const image = page.locator('#result img.preview').first();
  await image.waitFor({ timeout: 15_000 });
  return image.evaluate((img) => new Promise<number>((resolve) => {
    const el = img as unknown as { complete: boolean; naturalWidth: number; addEventListener: (type: string, listener: () => void) => void };
    if (el.complete) resolve(el.naturalWidth);
    else {
      el.addEventListener('load', () => resolve(el.naturalWidth));
      el.addEventListener('error', () => resolve(0));
    }
  }));
}
