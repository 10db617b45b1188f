// SIGTERM to a worker process: it stops taking jobs, lets the running conversion finish within
// SHUTDOWN_GRACE_SECONDS and exits with 0; with the grace period over, it hands the conversion
// back to the queue (another worker finishes it) and still exits with 0.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { SVG } from '../helpers/fixtures.js';
import { auth, json, postJson } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { until } from '../helpers/wait.js';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process.js';

const FAST_RECOVERY = { JOB_LOCK_MS: '2000', JOB_STALLED_INTERVAL_MS: '1000' };

/** A noisy PNG whose AVIF encoding takes a few seconds (less for a smaller `side`). */
const slowInput = (side = 900): Promise<Buffer> =>
  sharp({ create: { width: side, height: side, channels: 3, background: '#888', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).png({ compressionLevel: 1 }).toBuffer();

async function startSlow(server: TestServer, side?: number): Promise<{ id: string; url: string }> {
  const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'png', outputformat: 'avif' }, auth());
  const url = server.abs(String(created.body['url']));
  const started = await postJson(url, { input: 'base64', file: (await slowInput(side)).toString('base64'), filename: 'noise.png', outputformat: 'avif', converteroptions: { quality: 60 } });
  assert.equal(started.status, 200, JSON.stringify(started.body));
  return { id: String(created.body['id']), url };
}

/** A quick SVG -> PNG conversion, started and left to the queue. */
async function startQuick(server: TestServer): Promise<{ id: string; url: string }> {
  const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'svg', outputformat: 'png' }, auth());
  const url = server.abs(String(created.body['url']));
  const started = await postJson(url, { input: 'base64', file: SVG.toString('base64'), filename: 'q.svg', outputformat: 'png' });
  assert.equal(started.status, 200, JSON.stringify(started.body));
  return { id: String(created.body['id']), url };
}

const stepOf = async (url: string): Promise<unknown> => (await json(url)).body['step'];

describe('graceful shutdown of a worker on SIGTERM', () => {
  let server: TestServer;
  const workers: WorkerProcess[] = [];
  before(async () => {
    server = await startTestServer({ worker: false });
  });
  after(async () => {
    for (const w of workers) await w.kill();
    await server?.stop();
  });

  it('finishes the running conversion within the grace period, takes no new one, exits 0', async () => {
    // One conversion at a time: the second one queues behind the first.
    // A grace period far beyond the conversion's time even on a loaded machine (60 s was not: the
    // 900-pixel AVIF took longer at load 17); a 600-pixel one is still seconds long.
    const first = await startWorkerProcess(server, { ...FAST_RECOVERY, SHUTDOWN_GRACE_SECONDS: '240', WORKER_CONCURRENCY: '1', WORKER_LIGHT_CONCURRENCY: '1' });
    workers.push(first);
    const running = await startSlow(server, 600);
    await until(async () => (await stepOf(running.url)) === 'convert', 20000, 'the conversion to start');
    const later = await startQuick(server);
    // The closing worker must finish the first and leave the queued one to someone else.
    const exited = first.terminate();
    assert.equal(await exited, 0, first.output().slice(-1000));
    assert.equal(await stepOf(running.url), 'finished', 'the running conversion finished before the exit');
    assert.ok(first.output().includes(`"processId":"${running.id}"`));
    assert.ok(!first.output().includes(`"processId":"${later.id}"`), 'no job taken after SIGTERM');
    assert.equal(await stepOf(later.url), 'wait');

    const second = await startWorkerProcess(server, FAST_RECOVERY);
    workers.push(second);
    const final = await json(`${later.url}?wait=true`);
    assert.equal(final.body['step'], 'finished', JSON.stringify(final.body));
    assert.ok(second.output().includes(`"processId":"${later.id}"`));
  });

  it('hands a conversion back to the queue when the grace period is over; another worker finishes it', async () => {
    for (const w of workers) await w.kill();
    const impatient = await startWorkerProcess(server, { ...FAST_RECOVERY, SHUTDOWN_GRACE_SECONDS: '0' });
    workers.push(impatient);
    // With no grace period any running conversion is handed back, so a shorter one does.
    const running = await startSlow(server, 600);
    await until(async () => (await stepOf(running.url)) === 'convert', 20000, 'the conversion to start');
    assert.equal(await impatient.terminate(), 0, impatient.output().slice(-1000));
    assert.match(impatient.output(), /handed back to the queue/);
    assert.notEqual(await stepOf(running.url), 'error');
    assert.notEqual(await stepOf(running.url), 'finished');

    const other = await startWorkerProcess(server, FAST_RECOVERY);
    workers.push(other);
    const final = await json(`${running.url}?wait=true`);
    assert.equal(final.body['step'], 'finished', JSON.stringify(final.body));
    assert.ok(other.output().includes(`"processId":"${running.id}"`), 'finished by the other worker');
  });
});
