// S3 and FTP credentials at rest: while a process that reads from S3 and writes to FTP waits in
// the queue, nothing in Redis shows its secret access key or FTP password, read key by key with
// the real redis-cli and as an uncompressed RDB snapshot; a worker sharing DATA_DIR (and so the
// generated secrets key) still converts it. A worker with another key fails the process once,
// naming SECRETS_KEY, and keeps running.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFtpServer, type FtpTestServer } from '../helpers/ftp-server.js';
import { SVG } from '../helpers/fixtures.js';
import { json } from '../helpers/http.js';
import { dumpRedis } from '../helpers/redis-dump.js';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { S3_SECRET, ftpObject, s3Object, startProcess } from '../helpers/storage-process.js';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process.js';

const SVG_TO_PNG = { inputformat: 'svg', outputformat: 'png' };
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

describe('credentials at rest in Redis', () => {
  let server: TestServer;
  let s3: S3TestServer;
  let ftp: FtpTestServer;
  let dir: string;
  const workers: WorkerProcess[] = [];
  const redisPort = (): number => Number(new URL(server.redisUrl).port);

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-secrets-'));
    s3 = await startS3Server(['in-bucket']);
    ftp = await startFtpServer('tester', 'ftp-password-never-stored-7731');
    await s3.putObject('in-bucket', 'drawings/logo.svg', SVG);
    // No worker in this process: processes wait in the queue until a test starts one.
    server = await startTestServer({ worker: false, env: { ALLOW_PRIVATE_URLS: 'true', REQUIRE_WORKER: 'false' } });
  });
  after(async () => {
    for (const worker of workers) await worker.kill();
    await server?.stop();
    await s3?.stop();
    await ftp?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('are not readable with redis-cli while the process waits, and the conversion still succeeds', async () => {
    const { url, started } = await startProcess(server, SVG_TO_PNG, { input: { s3: s3Object(s3, 'in-bucket') }, file: 'drawings/logo.svg', output: { ftp: ftpObject(ftp, { path: 'out/' }) } });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const id = String(started.body['id']);
    const dump = await dumpRedis(redisPort(), dir);
    // The dump does cover this process: its record and its credentials' own key are in it.
    const secretKey = `${server.config.redisPrefix}:secret:${id}`;
    assert.ok(dump.values.has(secretKey), `the credentials are stored (keys: ${[...dump.values.keys()].join(', ')})`);
    assert.match(dump.values.get(secretKey) ?? '', /^v1\.[A-Za-z0-9_-]{8}\./, 'sealed: version and key id');
    assert.ok([...dump.values.values()].some((text) => text.includes('in-bucket')) && dump.snapshot.includes(id), 'the record is in both dumps');
    for (const secret of [S3_SECRET, ftp.password]) {
      for (const [key, text] of dump.values) assert.ok(!text.includes(secret), `${key} shows ${secret}`);
      assert.ok(!dump.snapshot.includes(secret), `the RDB snapshot shows ${secret}`);
    }

    workers.push(await startWorkerProcess(server, { ALLOW_PRIVATE_URLS: 'true' })); // the same DATA_DIR: the same generated key
    const final = await json(`${url}?wait=true`);
    assert.equal(final.body['step'], 'finished', JSON.stringify(final.body));
    assert.deepEqual((await readFile(path.join(ftp.root, 'out', 'logo.png'))).subarray(0, 4), PNG_SIGNATURE);
    const ended = await dumpRedis(redisPort(), dir);
    assert.equal(ended.values.has(secretKey), false, 'the credentials went with the end of the process');
    // Nor did the run leave them anywhere: job data, events, logs of the job, the record.
    for (const secret of [S3_SECRET, ftp.password]) assert.ok(![...ended.values.values(), ended.snapshot].some((text) => text.includes(secret)), secret);
    await workers.pop()?.kill();
  });

  it('fail the process once, naming SECRETS_KEY, on a worker with another key, which keeps running', async () => {
    const { url, started } = await startProcess(server, SVG_TO_PNG, { input: { s3: s3Object(s3, 'in-bucket') }, file: 'drawings/logo.svg' });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    // Another DATA_DIR and no SECRETS_KEY: the worker generates a key of its own.
    const stranger = await startWorkerProcess(server, { ALLOW_PRIVATE_URLS: 'true', DATA_DIR: await mkdtemp(path.join(dir, 'worker-')) });
    workers.push(stranger);
    const final = await json(`${url}?wait=true`);
    assert.equal(final.body['step'], 'error', JSON.stringify(final.body));
    assert.match(String(final.body['message']), /SECRETS_KEY/);
    assert.equal(stranger.child.exitCode, null, 'the worker did not crash');
    const failures = stranger.output().split('\n').filter((line) => line.includes('SECRETS_UNREADABLE'));
    assert.equal(failures.length, 1, `one attempt, no retry loop:\n${failures.join('\n')}`);
  });
});
