// SIGTERM to the API-only entry (src/server.ts) and the worker-only entry (workers/main.ts) as
// real OS processes: open waits are answered at once (503, Retry-After) so they never hold the
// shutdown, and with Redis gone every entry still exits within SHUTDOWN_TIMEOUT_SECONDS.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { SVG } from '../helpers/fixtures.js';
import { startRedisProcess, type RedisProcess } from '../helpers/redis-process.js';
import { TEST_KEY } from '../helpers/server.js';
import { until } from '../helpers/wait.js';

interface Entry {
  readonly child: ChildProcess;
  output(): string;
  /** SIGTERM; resolves with the exit code and how long the exit took. */
  terminate(): Promise<{ code: number | null; ms: number }>;
}

const running: Entry[] = [];

async function startEntry(file: string, env: Record<string, string>, readyLine: RegExp): Promise<Entry> {
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    env: { PATH: process.env['PATH'] ?? '', API_KEYS: TEST_KEY, HOST: '127.0.0.1', LOG_LEVEL: 'info', REQUIRE_WORKER: 'false', WARM_POOLS: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let seen = '';
  const collect = (chunk: Buffer): void => {
    seen += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  await until(async () => {
    if (child.exitCode !== null) throw new Error(`${file} exited early: ${seen.slice(-800)}`);
    return readyLine.test(seen);
  }, 60_000, `${file} to start`);
  const entry: Entry = {
    child,
    output: () => seen,
    async terminate() {
      const started = Date.now();
      if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, ms: 0 };
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      return { code, ms: Date.now() - started };
    },
  };
  running.push(entry);
  return entry;
}

const portOf = (entry: Entry): number => Number(/"msg":"Server listening at http:\/\/127\.0\.0\.1:(\d+)"/.exec(entry.output())?.[1]);

/** Creates and starts a process with no worker around: it stays queued, so a ?wait stays open. */
async function queuedProcess(base: string, input = SVG, inputformat = 'svg', outputformat = 'png'): Promise<string> {
  const created = await fetch(`${base}/process`, { method: 'POST', headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ inputformat, outputformat }) });
  assert.equal(created.status, 200);
  const url = `http:${String(((await created.json()) as Record<string, unknown>)['url'])}`;
  const started = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input: 'base64', file: input.toString('base64'), filename: `in.${inputformat}`, outputformat }) });
  assert.equal(started.status, 200);
  return url;
}

describe('shutdown with a deadline', () => {
  let redis: RedisProcess;
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'oc-shutdown-'));
  });
  afterEach(async () => {
    for (const entry of running.splice(0)) if (entry.child.exitCode === null && entry.child.signalCode === null) entry.child.kill('SIGKILL');
    await redis?.stop();
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('the API answers an open ?wait with 503 and Retry-After on SIGTERM and exits 0 at once', { timeout: 90_000 }, async () => {
    redis = await startRedisProcess();
    const api = await startEntry('src/server.ts', { REDIS_URL: redis.url, DATA_DIR: dataDir, PORT: '0' }, /Server listening/);
    const base = `http://127.0.0.1:${portOf(api)}`;
    const url = await queuedProcess(base);
    const wait = fetch(`${url}?wait=true`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exit = api.terminate();
    const answer = await wait;
    assert.equal(answer.status, 503);
    assert.equal(answer.headers.get('retry-after'), '1');
    assert.match(String(((await answer.json()) as Record<string, unknown>)['error']), /shutting down/);
    const { code, ms } = await exit;
    assert.equal(code, 0, api.output().slice(-1500));
    assert.ok(ms < 10_000, `the API took ${ms} ms to exit`);
  });

  it('the API exits within SHUTDOWN_TIMEOUT_SECONDS with Redis gone and a ?wait still open', { timeout: 90_000 }, async () => {
    redis = await startRedisProcess();
    const api = await startEntry('src/server.ts', { REDIS_URL: redis.url, DATA_DIR: dataDir, PORT: '0', SHUTDOWN_GRACE_SECONDS: '1', SHUTDOWN_TIMEOUT_SECONDS: '3' }, /Server listening/);
    const base = `http://127.0.0.1:${portOf(api)}`;
    const url = await queuedProcess(base);
    const wait = fetch(`${url}?wait=true`).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await redis.kill();
    const { ms } = await api.terminate();
    assert.ok(ms < 3000 + 7000, `the API took ${ms} ms to exit (deadline 3 s)`);
    await wait;
  });

  it('a worker with a running conversion and Redis gone exits within SHUTDOWN_TIMEOUT_SECONDS', { timeout: 150_000 }, async () => {
    redis = await startRedisProcess();
    const api = await startEntry('src/server.ts', { REDIS_URL: redis.url, DATA_DIR: dataDir, PORT: '0' }, /Server listening/);
    const base = `http://127.0.0.1:${portOf(api)}`;
    const noisy = await sharp({ create: { width: 900, height: 900, channels: 3, background: '#888', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).png({ compressionLevel: 1 }).toBuffer();
    const url = await queuedProcess(base, noisy, 'png', 'avif');
    const worker = await startEntry('workers/main.ts', { REDIS_URL: redis.url, DATA_DIR: dataDir, SHUTDOWN_GRACE_SECONDS: '2', SHUTDOWN_TIMEOUT_SECONDS: '4' }, /worker ready/);
    await until(async () => ((await (await fetch(url)).json()) as Record<string, unknown>)['step'] === 'convert', 30_000, 'the conversion to start');
    await redis.kill();
    const { ms } = await worker.terminate();
    assert.ok(ms < 4000 + 8000, `the worker took ${ms} ms to exit (deadline 4 s): ${worker.output().slice(-30000)}`);
    const apiExit = await api.terminate();
    assert.ok(apiExit.ms < 4000 + 30_000 + 8000, `the API took ${apiExit.ms} ms`);
  });
});
