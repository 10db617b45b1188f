// Timeouts, cancel and delete of running conversions, and the expiry sweeper: no process stays
// in a running step, and no file outlives its process.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { CORRUPT_PNG, SVG } from '../helpers/fixtures.js';
import { auth, json, postJson } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { seenConverting, until } from '../helpers/wait.js';

const slowInput = (): Promise<Buffer> =>
  sharp({ create: { width: 900, height: 900, channels: 3, background: '#888', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).png({ compressionLevel: 1 }).toBuffer();

async function create(server: TestServer, body: Record<string, unknown>): Promise<string> {
  const created = await postJson(`${server.baseUrl}/process`, body, auth());
  assert.equal(created.status, 200);
  return server.abs(String(created.body['url']));
}

async function startSlow(server: TestServer, extra: Record<string, unknown> = {}): Promise<string> {
  const url = await create(server, { inputformat: 'png', outputformat: 'avif' });
  const started = await postJson(url, { input: 'base64', file: (await slowInput()).toString('base64'), filename: 'noise.png', outputformat: 'avif', ...extra });
  assert.equal(started.status, 200);
  return url;
}

const processFiles = async (server: TestServer): Promise<string[]> => readdir(path.join(server.dataDir, 'processes')).catch(() => []);

describe('running conversions: timeout, cancel, delete', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.stop());

  it('ends a conversion that exceeds its timeout in error (422) at once', async () => {
    const url = await startSlow(server, { timeout: 1 });
    const waited = json(`${url}?wait=true`);
    const converting = await seenConverting(url);
    const final = await waited;
    assert.equal(final.status, 422);
    assert.equal(final.body['step'], 'error');
    assert.match(String(final.body['message']), /timeout of 1 seconds/);
    // The 900×900 AVIF encode, if left to finish, takes about 9 s on an idle machine and longer on
    // a busy one; stopped at its 1 s timeout, the process ends well before.
    assert.ok(Date.now() - converting < 6000, `ended ${Date.now() - converting} ms after it was seen converting`);
  });

  it('cancels a running conversion with GET <process>/cancel', async () => {
    const url = await startSlow(server);
    await until(async () => (await json(url)).body['step'] === 'convert', 10000, 'step convert');
    const waiting = json(`${url}?wait=true`);
    assert.deepEqual((await json(`${url}/cancel`)).body, { message: 'Process was cancelled' });
    const final = await waiting;
    assert.equal(final.body['step'], 'error');
    assert.match(String(final.body['message']), /cancelled/);
  });

  it('deletes a running conversion and every file of it', async () => {
    const url = await startSlow(server);
    const id = url.split('/').pop() ?? '';
    await until(async () => (await json(url)).body['step'] === 'convert', 10000, 'step convert');
    const deleted = await json(url, { method: 'DELETE' });
    assert.deepEqual(deleted.body, { message: 'Process was deleted' });
    assert.equal((await json(url)).status, 404);
    // The worker may still be inside the encoder; once it notices, nothing of the process remains.
    await until(async () => !(await processFiles(server)).includes(id), 15000, 'the process folder to go');
  });
});

describe('expiry sweeper', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      // Ended processes keep their files 2 s: expire is whole seconds, so at least 1 s to look at them.
      // The waits below allow 15 s for what takes about 3 s (retention, then a sweep): timers slip
      // on a busy machine, and without the sweeper nothing would go at all. An unstarted process
      // lives 5 s: the other tests start theirs right after creating them, which took over 1 s at load 17.
      env: { RETENTION_UNSTARTED_SECONDS: '5', RETENTION_SAVED_SECONDS: '2', RETENTION_FINISHED_SECONDS: '2', RETENTION_ERROR_SECONDS: '2', SWEEP_INTERVAL_SECONDS: '1' },
    });
  });
  after(async () => server.stop());

  it('ends a process never started, with a message saying why', async () => {
    const url = await create(server, { inputformat: 'svg', outputformat: 'png' });
    await until(async () => (await json(url)).body['step'] === 'error', 30_000, 'expiry of the unstarted process');
    assert.match(String((await json(url)).body['message']), /expired before it was started/);
  });

  it('removes saved output files at expire; the download then answers 404', async () => {
    const url = await create(server, { inputformat: 'svg', outputformat: 'png' });
    const done = await postJson(url, { input: 'raw', file: SVG.toString(), filename: 'a.svg', outputformat: 'png', save: true, wait: true });
    assert.equal(done.body['step'], 'finished');
    const id = String(done.body['id']);
    assert.ok((await processFiles(server)).includes(id));
    await until(async () => !(await processFiles(server)).includes(id), 15_000, 'files removed at expire');
    const download = await json(server.abs(String((done.body['output'] as Record<string, unknown>)['url'])));
    assert.equal(download.status, 404);
    assert.match(String(download.body['error']), /File already deleted/);
  });

  it('removes the files of a finished process never downloaded, and of a failed one; their records stay listable', async () => {
    const finished = await postJson(await create(server, { inputformat: 'svg', outputformat: 'png' }), { input: 'raw', file: SVG.toString(), filename: 'a.svg', outputformat: 'png', wait: true });
    assert.equal(finished.body['step'], 'finished');
    assert.ok((await processFiles(server)).includes(String(finished.body['id'])), 'the output is there before expiry');
    const failed = await postJson(await create(server, { inputformat: 'png', outputformat: 'jpg' }), { input: 'base64', file: CORRUPT_PNG.toString('base64'), filename: 'bad.png', outputformat: 'jpg', wait: true });
    assert.equal(failed.body['step'], 'error');
    assert.ok((await processFiles(server)).includes(String(failed.body['id'])), 'the input is there before expiry');
    const ids = [String(finished.body['id']), String(failed.body['id'])];
    await until(async () => !(await processFiles(server)).some((id) => ids.includes(id)), 15_000, 'files removed at expire');
    assert.deepEqual(await readdir(server.config.worker.tempDir).catch(() => []), [], 'no job folder left in TEMP_DIR');
    const download = await json(server.abs(String((finished.body['output'] as Record<string, unknown>)['url'])));
    assert.equal(download.status, 404);
    assert.equal((await json(server.abs(String(finished.body['url'])))).body['step'], 'finished');
    assert.equal((await json(server.abs(String(failed.body['url'])))).body['step'], 'error');
    const listed = await json<Array<{ id: string }>>(`${server.baseUrl}/processes`, { headers: auth() });
    assert.ok(ids.every((id) => listed.body.some((p) => p.id === id)), 'still listed');
  });
});
