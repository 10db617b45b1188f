// A worker killed with SIGKILL in the middle of a conversion leaves no process stuck: BullMQ's
// stalled-job recovery hands the job to another worker, and once the attempts are used up the
// process ends in `error`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { auth, json, postJson } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { until } from '../helpers/wait.js';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process.js';

// Fast lock expiry and stall checks so a dead worker is noticed within seconds.
const FAST_RECOVERY = { JOB_LOCK_MS: '2000', JOB_STALLED_INTERVAL_MS: '1000' };

/** A noisy PNG whose AVIF encoding takes a few seconds: long enough to kill a worker mid-way. */
const slowInput = (): Promise<Buffer> =>
  sharp({ create: { width: 900, height: 900, channels: 3, background: '#888', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).png({ compressionLevel: 1 }).toBuffer();

async function startSlowConversion(server: TestServer): Promise<string> {
  const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'png', outputformat: 'avif' }, auth());
  const url = server.abs(String(created.body['url']));
  const started = await postJson(url, { input: 'base64', file: (await slowInput()).toString('base64'), filename: 'noise.png', outputformat: 'avif', converteroptions: { quality: 60 } });
  assert.equal(started.status, 200);
  return url;
}

describe('worker killed mid-conversion', () => {
  let server: TestServer;
  const workers: WorkerProcess[] = [];
  before(async () => {
    server = await startTestServer({ worker: false });
  });
  after(async () => {
    for (const w of workers) await w.kill();
    await server.stop();
  });

  it('finishes on another worker after the first one is killed', async () => {
    const first = await startWorkerProcess(server, FAST_RECOVERY);
    workers.push(first);
    const url = await startSlowConversion(server);
    await until(async () => (await json(url)).body['step'] === 'convert', 20000, 'the conversion to start');
    await first.kill();
    workers.push(await startWorkerProcess(server, FAST_RECOVERY));
    const final = await json(`${url}?wait=true`);
    assert.equal(final.status, 200, JSON.stringify(final.body));
    assert.equal(final.body['step'], 'finished');
    assert.equal((final.body['output'] as Record<string, unknown>)['ext'], 'avif');
  });

  it('ends in error, not stuck, when the last attempt dies', async () => {
    for (const w of workers) await w.kill();
    const only = await startWorkerProcess(server, { ...FAST_RECOVERY, JOB_ATTEMPTS: '1' });
    workers.push(only);
    const url = await startSlowConversion(server);
    await until(async () => (await json(url)).body['step'] === 'convert', 20000, 'the conversion to start');
    await only.kill();
    workers.push(await startWorkerProcess(server, { ...FAST_RECOVERY, JOB_ATTEMPTS: '1' }));
    const final = await json(`${url}?wait=true`);
    assert.equal(final.body['step'], 'error');
    assert.equal(final.status, 503);
    assert.match(String(final.body['message']), /worker stopped/);
  });
});
