// ffmpeg under timeouts, cancel, deletion and a dying worker: the process ends at once with a
// clear message, and no ffmpeg process is left behind in any case.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startUpload } from '../helpers/convert.js';
import { json } from '../helpers/http.js';
import { makeVideo, requireFfmpeg } from '../helpers/media.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { until } from '../helpers/wait.js';
import { startWorkerProcess } from '../helpers/worker-process.js';

const run = promisify(execFile);

/** ffmpeg processes working on files of this server's jobs. */
async function ffmpegProcesses(server: TestServer): Promise<string[]> {
  const { stdout } = await run('ps', ['-eo', 'pid,args']);
  return stdout.split('\n').filter((line) => /ffmpeg/.test(line) && line.includes(path.join(server.dataDir, 'tmp')));
}

// A killed ffmpeg is gone within moments; the waits below allow 10 s for a busy machine (exit,
// reaping, `ps`). Left running, the 30 s VP9 encode would outlast them, and an orphan never goes.

/** Starts a slow conversion (VP9 of a longer clip) and returns once ffmpeg runs. */
async function startSlow(server: TestServer, video: string, extra: Record<string, unknown> = {}): Promise<string> {
  const { url, uploadUrl } = await startUpload(server, video, { inputformat: 'mp4', outputformat: 'webm', converteroptions: { video_codec: 'vp9' }, ...extra });
  await fetch(uploadUrl, { method: 'PUT', body: await readFile(video) });
  await until(async () => (await ffmpegProcesses(server)).length > 0, 15000, 'ffmpeg to start');
  return url;
}

describe('ffmpeg lifecycle', () => {
  let dir: string;
  let video: string;
  before(async () => {
    await requireFfmpeg();
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-media-life-'));
    video = path.join(dir, 'long.mp4');
    await makeVideo(video, { seconds: 30, size: '640x360' });
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  describe('with an in-process worker', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer();
    });
    after(async () => server.stop());

    it('kills ffmpeg when the timeout runs out and says so', async () => {
      const url = await startSlow(server, video, { timeout: 2 });
      const final = await json(`${url}?wait=true`);
      assert.equal(final.status, 422);
      assert.match(String(final.body['message']), /timeout of 2 seconds/);
      await until(async () => (await ffmpegProcesses(server)).length === 0, 10_000, 'ffmpeg to be gone');
    });

    it('kills ffmpeg at once on DELETE', async () => {
      const url = await startSlow(server, video);
      assert.equal((await json(url, { method: 'DELETE' })).status, 200);
      await until(async () => (await ffmpegProcesses(server)).length === 0, 10_000, 'ffmpeg to be gone');
    });
  });

  describe('with a worker process that is killed', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ worker: false });
    });
    after(async () => server.stop());

    it('takes its ffmpeg with it (no orphan)', async () => {
      const worker = await startWorkerProcess(server);
      try {
        await startSlow(server, video);
        await worker.kill();
        await until(async () => (await ffmpegProcesses(server)).length === 0, 10_000, 'the orphaned ffmpeg to die');
      } finally {
        await worker.kill();
      }
    });
  });
});
