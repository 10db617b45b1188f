// Website capture end to end: a local page → png through the API (create, start with input=url
// and wait, download the output) on a warm Chromium pool, against a bare puppeteer-core
// screenshot of the same page (a new page in an already running browser, same window size and
// screenshot settings), alternating in the same run. Also, for information, the bare screenshot
// in a fresh incognito context per shot (what the engine does for isolation, without the API).
// Targets: warm median < 0.6 s, ratio (API / bare) <= 1.3.
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import { buildLaunchArgs } from '../workers/converters/chromium/command.js';
import { BENCH_KEY, abs, json, machine, median, percentile, printResult, request, round, runBench, since, startBenchServer } from './lib.js';

const CHROMIUM = '/usr/bin/chromium';
const WARMUPS = 5;
const RUNS = 25;
const WIDTH = 1024;
const HEIGHT = 768;

/** A small but real page: styles, text, an inline SVG and one image request. */
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Bench page</title><style>
body{font-family:sans-serif;margin:0;background:#f4f6fb}header{background:#234;color:#fff;padding:24px}
main{display:grid;grid-template-columns:repeat(3,1fr);gap:16px;padding:24px}.card{background:#fff;border-radius:8px;padding:16px;box-shadow:0 1px 4px #0002}
</style></head><body><header><h1>Quarterly report</h1></header><main>
${Array.from({ length: 9 }, (_, i) => `<div class="card"><h2>Item ${i + 1}</h2><p>${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(3)}</p><svg width="120" height="40"><rect width="${20 + i * 10}" height="40" fill="#48c"/></svg></div>`).join('')}
</main><img src="/logo.svg" width="64" height="64"></body></html>`;
const LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><circle cx="32" cy="32" r="30" fill="#e63"/></svg>';

async function startPageServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url === '/logo.svg') res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(LOGO);
    else if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** One capture through the API: create, start with input=url and wait, download. */
async function apiCapture(baseUrl: string, pageUrl: string): Promise<Buffer> {
  const created = await json<{ url: string }>('POST', `${baseUrl}/process`, { apikey: BENCH_KEY, inputformat: 'website', outputformat: 'png' });
  const status = await json<{ step: string; output: { url: string } }>('POST', abs(created.url), { input: 'url', file: pageUrl, outputformat: 'png', converteroptions: { screen_width: WIDTH, screen_height: HEIGHT }, wait: true });
  if (status.step !== 'finished') throw new Error(`capture ended in ${status.step}: ${JSON.stringify(status)}`);
  const output = await request('GET', abs(status.output.url));
  if (output.status !== 200 || output.body.length < 1000) throw new Error(`download answered ${output.status}`);
  return output.body;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return since(start);
}

await runBench('website', 8 * 60_000, async () => {
  const pages = await startPageServer();
  const server = await startBenchServer({ ALLOW_PRIVATE_URLS: 'true', WORKER_CONCURRENCY: '2', CHROMIUM_PATH: CHROMIUM });
  const profile = await mkdtemp(path.join(os.tmpdir(), 'oc-bench-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    args: buildLaunchArgs({ userDataDir: profile, asRoot: process.getuid?.() === 0, sandbox: true }).filter((a) => !a.startsWith('--proxy-server') && !a.startsWith('--host-resolver-rules')),
    ignoreDefaultArgs: true,
    pipe: true,
    defaultViewport: null,
  });
  try {
    const bare = async (): Promise<void> => {
      const page = await browser.newPage();
      await page.setViewport({ width: WIDTH, height: HEIGHT });
      await page.goto(pages.url, { waitUntil: 'load' });
      const shot = await page.screenshot({ type: 'png', optimizeForSpeed: true });
      if (shot.length < 1000) throw new Error('bare screenshot is empty');
      await page.close();
    };
    const incognito = async (): Promise<void> => {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      await page.setViewport({ width: WIDTH, height: HEIGHT });
      await page.goto(pages.url, { waitUntil: 'load' });
      await page.screenshot({ type: 'png', optimizeForSpeed: true });
      await context.close();
    };
    const api = (): Promise<Buffer> => apiCapture(server.baseUrl, pages.url);
    for (let i = 0; i < WARMUPS; i++) {
      await api();
      await bare();
      await incognito();
    }
    const apiTimes: number[] = [];
    const bareTimes: number[] = [];
    const incognitoTimes: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      bareTimes.push(await timed(bare));
      apiTimes.push(await timed(api));
      incognitoTimes.push(await timed(incognito));
    }
    const apiMedian = median(apiTimes);
    const bareMedian = median(bareTimes);
    const incognitoMedian = median(incognitoTimes);
    const ratio = apiMedian / bareMedian;
    const met = apiMedian < 600 && ratio <= 1.3;
    console.log(`website on ${machine()}`);
    console.log(`  local page → png ${WIDTH}x${HEIGHT}, warm, ${RUNS} runs each, alternating`);
    console.log(`    API (create, start input=url wait=true, download): median ${apiMedian.toFixed(0)} ms, p90 ${percentile(apiTimes, 90).toFixed(0)} ms  [${apiTimes.map((t) => t.toFixed(0)).join(', ')}]`);
    console.log(`    bare puppeteer-core (newPage, goto load, screenshot, close): median ${bareMedian.toFixed(0)} ms, p90 ${percentile(bareTimes, 90).toFixed(0)} ms  [${bareTimes.map((t) => t.toFixed(0)).join(', ')}]`);
    console.log(`    bare puppeteer-core in a fresh incognito context per shot: median ${incognitoMedian.toFixed(0)} ms (API / this: ${(apiMedian / incognitoMedian).toFixed(3)})`);
    console.log(`    ratio ${ratio.toFixed(3)}; target warm median < 600 ms and ratio <= 1.3: ${met ? 'met' : 'NOT met'}`);
    printResult({ bench: 'website', apiMedianMs: round(apiMedian, 0), apiP90Ms: round(percentile(apiTimes, 90), 0), bareMedianMs: round(bareMedian, 0), bareIncognitoMedianMs: round(incognitoMedian, 0), ratio: round(ratio, 3), met });
  } finally {
    await browser.close();
    await server.stop();
    await pages.close();
    await rm(profile, { recursive: true, force: true });
  }
});
