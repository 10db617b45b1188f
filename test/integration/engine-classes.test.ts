// Engine classes: light conversions (sharp and friends) and heavy ones (ffmpeg and friends) have
// their own queues and their own concurrency per worker. With one heavy slot busy on a long video
// and another video waiting for it, small images of another key still finish at once; a worker
// that takes only the light class says so in its heartbeat.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import { ENGINE_CLASS } from '../../src/core/catalog/engine-classes.js';
import { SVG } from '../helpers/fixtures.js';
import { auth, json, postJson } from '../helpers/http.js';
import { makeVideo, requireFfmpeg } from '../helpers/media.js';
import { toolProcesses } from '../helpers/processes.js';
import { OTHER_KEY, startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';
import { until } from '../helpers/wait.js';

/** A process's nice value: field 19 of /proc/<pid>/stat, counted after the command name in parentheses. */
async function nicenessOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

describe('a burst of small images beside long videos', () => {
  let server: TestServer;
  let dir: string;
  let video: Buffer;
  before(async () => {
    await requireFfmpeg();
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-classes-'));
    // Long enough that a VP9 encode of it outlasts the images many times over, even on a fast machine.
    await makeVideo(path.join(dir, 'long.mp4'), { seconds: 120, size: '640x360' });
    video = await readFile(path.join(dir, 'long.mp4'));
    server = await startTestServer({ env: { WORKER_CONCURRENCY: '1', WORKER_LIGHT_CONCURRENCY: '2', RATE_LIMIT_REQUESTS: '0' } });
  });
  after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const startVideo = async (): Promise<string> => {
    const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'mp4', outputformat: 'webm' }, auth(TEST_KEY));
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const url = server.abs(String(created.body['url']));
    const started = await postJson(url, { input: 'base64', file: video.toString('base64'), filename: 'long.mp4', outputformat: 'webm' });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    return url;
  };
  const stepOf = async (url: string): Promise<string> => String((await json(url)).body['step']);

  it('finish while the only heavy slot converts a video and a second video waits for it', async () => {
    const running = await startVideo();
    const waiting = await startVideo();
    await until(async () => (await stepOf(running)) === 'convert', 30_000, 'the first video converting');
    // The encode yields the cores to the images: its ffmpeg runs at HEAVY_TOOL_NICENESS (10 by default).
    const ffmpegs = async () => toolProcesses((args) => args.includes(server.config.worker.tempDir), (args) => /\bffmpeg\b/.test(args));
    await until(async () => (await ffmpegs()).length > 0, 30_000, 'the ffmpeg process');
    for (const tool of await ffmpegs()) assert.equal(await nicenessOf(tool.pid), 10, tool.args);
    const began = performance.now();
    for (let i = 0; i < 6; i++) {
      const body = JSON.stringify({ input: 'raw', file: SVG.toString(), filename: `i${i}.svg`, inputformat: 'svg', outputformat: 'png', wait: true });
      // Bounded, so a regression fails by name instead of waiting for both encodes.
      const reply = await json(`${server.baseUrl}/convert`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth(OTHER_KEY) }, body, signal: AbortSignal.timeout(20_000) });
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      assert.equal(reply.body['step'], 'finished', JSON.stringify(reply.body));
    }
    const elapsed = performance.now() - began;
    // Had the images shared the videos' queue, the first would still wait for both encodes.
    assert.equal(await stepOf(running), 'convert', `the first video is still converting after the images (${Math.round(elapsed)} ms)`);
    assert.notEqual(await stepOf(waiting), 'finished', 'the second video has not even had the heavy slot yet');
    for (const url of [running, waiting]) assert.equal((await json(url, { method: 'DELETE' })).status, 200);
  });
});

describe('a worker that takes only the light class', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ env: { WORKER_CONCURRENCY: '0', WORKER_LIGHT_CONCURRENCY: '2', WARM_POOLS: 'true' } });
  });
  after(async () => server.stop());

  it('starts no LibreOffice or Chromium although WARM_POOLS is on: their engines are heavy', async () => {
    // A warm start spawns its first instance at once; give it time to show.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const tools = await toolProcesses((args) => args.includes(server.config.worker.tempDir), (args) => /soffice|chrom/i.test(args));
    assert.deepEqual(tools, []);
  });

  it('advertises only light engines, and converts an image', async () => {
    const perEngine = await server.core.api.serviceDeps.queue.workersPerEngine();
    for (const [engine, engineClass] of Object.entries(ENGINE_CLASS)) assert.equal(perEngine[engine], engineClass === 'light' ? 1 : 0, `${engine} (${engineClass})`);
    const reply = await postJson(`${server.baseUrl}/convert`, { input: 'raw', file: SVG.toString(), filename: 'a.svg', inputformat: 'svg', outputformat: 'png', wait: true }, auth(TEST_KEY));
    assert.equal(reply.body['step'], 'finished', JSON.stringify(reply.body));
  });

  it('a worker that would take no class is refused at start, naming both settings', () => {
    assert.throws(() => loadConfig({ WORKER_CONCURRENCY: '0', WORKER_LIGHT_CONCURRENCY: '0' }, '/tmp'), /WORKER_CONCURRENCY.*WORKER_LIGHT_CONCURRENCY.*both 0/);
  });
});
