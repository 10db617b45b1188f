// The LibreOffice pool under timeouts and shutdown: a conversion over its timeout kills only its
// own soffice, the pool starts a fresh one for the next document, instances are replaced after
// LIBREOFFICE_MAX_CONVERSIONS documents or above LIBREOFFICE_MAX_RSS_MB, and closing the worker
// leaves no soffice and no profile folder behind.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { convertFile, startUpload } from '../helpers/convert.js';
import { json } from '../helpers/http.js';
import { pdfText, requireOfficeTools } from '../helpers/documents.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { until } from '../helpers/wait.js';
import { startWorkerProcess } from '../helpers/worker-process.js';
import { toolProcesses } from '../helpers/processes.js';

/** soffice processes whose instance folder lies in the given temp folder. */
async function officeProcesses(tempDir: string): Promise<string[]> {
  const office = await toolProcesses((args) => /soffice\.bin/.test(args) && args.includes(tempDir), (args) => /soffice\.bin/.test(args));
  return office.map((p) => `${p.pid} ${p.args}`);
}

describe('LibreOffice pool lifecycle', () => {
  let server: TestServer;
  let dir: string;
  let tmp: string;
  before(async () => {
    await requireOfficeTools();
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-docs-life-'));
    tmp = path.join(dir, 'work');
    server = await startTestServer({ env: { WORKER_CONCURRENCY: '2', LIBREOFFICE_POOL_SIZE: '2', TEMP_DIR: tmp } });
  });
  after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('kills the instance of a conversion over its timeout; the pool recovers', async () => {
    const small = path.join(dir, 'small.txt');
    await writeFile(small, 'warm up\n');
    const warm = await convertFile(server, small, { inputformat: 'txt', outputformat: 'pdf' }, dir);
    assert.equal(warm.status.body['step'], 'finished', String(warm.status.body['message']));
    assert.equal((await officeProcesses(tmp)).length, 1, 'one lazily started instance');
    const [before] = await officeProcesses(tmp);

    // About 40,000 lines of text: far more than LibreOffice lays out in 2 seconds here.
    const big = path.join(dir, 'big.txt');
    await writeFile(big, Array.from({ length: 40000 }, (_, i) => `Line ${i} of a very long document that takes LibreOffice a while to lay out.`).join('\n'));
    const { url, uploadUrl } = await startUpload(server, big, { inputformat: 'txt', outputformat: 'pdf', timeout: 2 });
    await fetch(uploadUrl, { method: 'PUT', body: await readFile(big) });
    const final = await json(`${url}?wait=true`);
    assert.equal(final.status, 422);
    assert.match(String(final.body['message']), /timeout of 2 seconds/);
    // 10 s here and below: room for a busy machine to tear soffice down. An instance nobody kills
    // stays in the pool for good, so a missing kill still fails.
    await until(async () => !(await officeProcesses(tmp)).includes(before ?? ''), 10_000, 'the timed-out instance to be killed');

    const again = await convertFile(server, small, { inputformat: 'txt', outputformat: 'pdf' }, await mkdtemp(path.join(dir, 'again-')));
    assert.equal(again.status.body['step'], 'finished', String(again.status.body['message']));
    assert.match(await pdfText(again.files[0] ?? ''), /warm up/);
  });

  it('leaves no soffice and no profile folder after the worker closes', async () => {
    assert.ok((await officeProcesses(tmp)).length >= 1);
    const profiles = async (): Promise<string[]> => (await readdir(tmp)).filter((name) => name.startsWith('libreoffice-'));
    assert.equal((await profiles()).length, 1, 'a profile folder while running');
    await server.stop();
    await until(async () => (await officeProcesses(tmp)).length === 0, 10_000, 'every soffice to exit');
    assert.deepEqual(await profiles(), []);
    server = await startTestServer({ worker: false, env: { TEMP_DIR: tmp } });
  });

  it('takes its soffice and bridge with it when the worker process is SIGKILLed (no orphan)', async () => {
    const worker = await startWorkerProcess(server, { TEMP_DIR: tmp });
    try {
      const small = path.join(dir, 'orphan.txt');
      await writeFile(small, 'orphan check\n');
      const done = await convertFile(server, small, { inputformat: 'txt', outputformat: 'pdf' }, await mkdtemp(path.join(dir, 'orphan-')));
      assert.equal(done.status.body['step'], 'finished', String(done.status.body['message']));
      assert.equal((await officeProcesses(tmp)).length, 1);
      // Only this worker's bridge: the one talking to the pipe of the soffice under `tmp` (other
      // test files run LibreOffice pools of their own at the same time).
      const pipe = /pipe,name=(oc-lo-[0-9a-f]+)/.exec((await officeProcesses(tmp)).join('\n'))?.[1];
      assert.ok(pipe !== undefined, 'the soffice command names its pipe');
      const bridges = async (): Promise<string[]> => (await toolProcesses((args) => args.includes('bridge.py') && args.includes(pipe), (args) => args.includes('bridge.py'))).map((p) => `${p.pid} ${p.args}`);
      const before = await bridges();
      assert.equal(before.length, 1, 'one bridge for the instance');
      await worker.kill();
      await until(async () => (await officeProcesses(tmp)).length === 0, 10_000, 'the orphaned soffice to die');
      await until(async () => (await bridges()).filter((l) => before.includes(l)).length === 0, 10_000, 'the orphaned bridge to die');
    } finally {
      await worker.kill();
    }
  });

  it('replaces an instance after LIBREOFFICE_MAX_CONVERSIONS documents', async () => {
    const own = path.join(dir, 'recycle');
    const recycling = await startTestServer({ env: { WORKER_CONCURRENCY: '1', LIBREOFFICE_MAX_CONVERSIONS: '2', TEMP_DIR: own } });
    try {
      const file = path.join(dir, 'recycle.txt');
      await writeFile(file, 'recycled\n');
      const pids: string[][] = [];
      for (let i = 0; i < 3; i++) {
        const result = await convertFile(recycling, file, { inputformat: 'txt', outputformat: 'pdf' }, await mkdtemp(path.join(dir, 'recycle-')));
        assert.equal(result.status.body['step'], 'finished', String(result.status.body['message']));
        // After the 2nd document the instance is retired; the 3rd starts a new one.
        if (i === 1) await until(async () => (await officeProcesses(own)).length === 0, 10_000, 'the instance to be retired after 2 documents');
        pids.push(await officeProcesses(own));
      }
      assert.equal(pids[0]?.length, 1);
      assert.equal(pids[2]?.length, 1);
      assert.notEqual(pids[2]?.[0], pids[0]?.[0]);
    } finally {
      await recycling.stop();
    }
  });

  it('replaces an instance whose memory is over LIBREOFFICE_MAX_RSS_MB after its document', async () => {
    const own = path.join(dir, 'memory');
    // soffice alone holds far more than 1 MB: every document ends its instance.
    const limited = await startTestServer({ env: { WORKER_CONCURRENCY: '1', LIBREOFFICE_MAX_RSS_MB: '1', TEMP_DIR: own } });
    try {
      const file = path.join(dir, 'memory.txt');
      await writeFile(file, 'over the memory limit\n');
      for (let i = 0; i < 2; i++) {
        const result = await convertFile(limited, file, { inputformat: 'txt', outputformat: 'pdf' }, await mkdtemp(path.join(dir, 'memory-')));
        assert.equal(result.status.body['step'], 'finished', String(result.status.body['message']));
        assert.match(await pdfText(result.files[0] ?? ''), /over the memory limit/);
        // Under the default limit the instance would stay (see the first test); the next document starts a new one.
        await until(async () => (await officeProcesses(own)).length === 0, 3000, `the instance of document ${i + 1} to be retired`);
      }
    } finally {
      await limited.stop();
    }
  });
});
