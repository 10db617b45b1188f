// A cancel that lands while the worker is only just starting an ffmpeg conversion (writing the
// step change, fetching the input, starting ffprobe and ffmpeg beside each other): the job's
// promises must all be observed (an unhandled rejection crashes a Node 20 worker) and the
// aborted step's late work must not bring back the job folder the worker removed.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { auth, json, postJson } from '../helpers/http.js';
import { makeVideo, requireFfmpeg } from '../helpers/media.js';
import { startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';
import { until } from '../helpers/wait.js';

/** Cancel delays in ms after the start's reply: from "not taken yet" to "ffmpeg runs", in small steps. */
const DELAYS = [0, 0, 1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 25, 30, 40, 60];
const ROUNDS = 3;

describe('cancelling an ffmpeg conversion right after it starts', () => {
  let server: TestServer;
  let dir: string;
  let video: string;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  before(async () => {
    await requireFfmpeg();
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-cancel-race-'));
    await makeVideo(path.join(dir, 'clip.mp4'), { seconds: 3, size: '160x120' });
    video = (await readFile(path.join(dir, 'clip.mp4'))).toString('base64');
    server = await startTestServer({ env: { WORKER_CONCURRENCY: '1', RATE_LIMIT_REQUESTS: '0' } });
    process.on('unhandledRejection', onUnhandled);
  });
  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** Whether the worker has no conversion job running or waiting (each one's folder is gone then). */
  const idle = async (): Promise<boolean> => {
    for (const queue of server.core.api.bullQueues.conversion) {
      const counts = await queue.getJobCounts('active', 'wait', 'prioritized', 'delayed');
      if (Object.values(counts).some((n) => Number(n) > 0)) return false;
    }
    return true;
  };

  const startAndCancel = async (delayMs: number): Promise<void> => {
    const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'mp4', outputformat: 'webm' }, auth(TEST_KEY));
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const url = server.abs(String(created.body['url']));
    const started = await postJson(url, { input: 'base64', file: video, filename: 'clip.mp4', outputformat: 'webm' });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    assert.equal((await json(url, { method: 'DELETE' })).status, 200);
  };

  it('leaves no unhandled rejection and no job folder behind, whatever the moment of the cancel', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      for (const delayMs of DELAYS) {
        await startAndCancel(delayMs);
        // Each start meets an idle worker, so the delay decides which moment the cancel hits.
        await until(idle, 20_000, `the worker to end the job cancelled after ${delayMs} ms`);
      }
    }
    // Late work of an aborted step (a probe, a mkdir) could still bring a folder back a moment after the job ended.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(await readdir(server.config.worker.tempDir).catch(() => []), [], 'no job folder left in TEMP_DIR');
    assert.deepEqual(unhandled.map((reason) => (reason instanceof Error ? reason.stack : String(reason))), [], 'no unhandled rejection');
  });
});
