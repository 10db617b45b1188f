// When the user's storage refuses or cannot be reached, the process ends in `error` with a
// message naming what to fix; nothing is left half-written; the secret appears in no status,
// no listing, no log line of the worker and no Redis value. Private addresses are refused
// without ALLOW_PRIVATE_URLS, and paths that climb out are refused at the start.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { after, before, describe, it } from 'node:test';
import { selfSignedCertificate, startFtpServer, type FtpTestServer } from '../helpers/ftp-server.js';
import { SVG, multiPageTiff } from '../helpers/fixtures.js';
import { auth, json } from '../helpers/http.js';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { S3_SECRET, convertRemote, ftpObject, s3Object, startProcess } from '../helpers/storage-process.js';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process.js';

const SVG_TO_PNG = { inputformat: 'svg', outputformat: 'png' };
const WRONG_PASSWORD = 'WRONG-ftp-password-7781';

/** Every string in Redis (strings, hashes, lists, sets, streams' fields) joined, to search for secrets. */
async function redisDump(server: TestServer): Promise<string> {
  const redis = server.core.redis;
  const parts: string[] = [];
  for (const key of await redis.keys('*')) {
    const type = await redis.type(key);
    if (type === 'string') parts.push((await redis.getBuffer(key))?.toString('latin1') ?? '');
    else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
    else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
    else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
    else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, 0, -1)));
    else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
  }
  return parts.join('\n');
}

function assertFailed(status: { status: number; body: Record<string, unknown> }, message: RegExp): void {
  assert.equal(status.body['step'], 'error', JSON.stringify(status.body));
  assert.equal(status.status, 400, 'the storage refusing is the request\'s fault: 400');
  assert.equal(status.body['code'], 400);
  assert.match(String(status.body['message']), message);
  assert.deepEqual(status.body['output'], {});
}

describe('storage failures (worker in its own process, its log captured)', () => {
  let server: TestServer;
  let worker: WorkerProcess;
  let s3: S3TestServer;
  let ftp: FtpTestServer;
  let ftps: FtpTestServer;
  let certDir: string;
  let workerLog = '';
  before(async () => {
    s3 = await startS3Server(['in-bucket', 'out-bucket']);
    ftp = await startFtpServer();
    certDir = await mkdtemp(path.join(os.tmpdir(), 'oc-cert-'));
    const certificate = await selfSignedCertificate(certDir);
    ftps = await startFtpServer('secure-user', 'ftps-secret-pass', certificate);
    const env = { ALLOW_PRIVATE_URLS: 'true', REMOTE_TIMEOUT_SECONDS: '5' };
    server = await startTestServer({ worker: false, env });
    // The worker trusts the FTPS server's self-signed certificate, as an operator would add a CA.
    worker = await startWorkerProcess(server, { ...env, LOG_LEVEL: 'debug', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NODE_EXTRA_CA_CERTS: certificate.certFile });
    worker.child.stdout?.on('data', (chunk: Buffer) => void (workerLog += chunk.toString()));
    await s3.putObject('in-bucket', 'logo.svg', SVG);
    await s3.putObject('in-bucket', 'scan.tiff', await multiPageTiff(3));
    await writeFile(path.join(ftp.root, 'logo.svg'), SVG);
  });
  after(async () => {
    await worker?.kill();
    await server?.stop();
    await s3?.stop();
    await ftp?.stop();
    await ftps?.stop();
    if (certDir !== undefined) await rm(certDir, { recursive: true, force: true });
  });

  it('FTPS (secure: implicit) reads and writes over TLS, the certificate checked', async () => {
    await writeFile(path.join(ftps.root, 'logo.svg'), SVG);
    const final = await convertRemote(server, SVG_TO_PNG, { input: { ftp: ftpObject(ftps, { secure: 'implicit' }) }, file: 'logo.svg', output: { ftp: ftpObject(ftps, { secure: 'implicit', path: 'tls/' }) } });
    assert.equal(final.body['step'], 'finished', JSON.stringify(final.body));
    assert.equal((await sharp(await readFile(path.join(ftps.root, 'tls/logo.png'))).metadata()).format, 'png');
  });

  it('FTPS asked of a server without TLS (AUTH TLS refused) fails naming the secure field', async () => {
    assertFailed(await convertRemote(server, SVG_TO_PNG, { input: { ftp: ftpObject(ftp, { secure: true }) }, file: 'logo.svg' }), /Check input\[ftp\]\[secure\]/);
  });

  it('a wrong FTP password ends in error naming the password field, and the password shows up nowhere', async () => {
    const final = await convertRemote(server, SVG_TO_PNG, { input: { s3: s3Object(s3, 'in-bucket') }, file: 'logo.svg', output: { ftp: ftpObject(ftp, { password: WRONG_PASSWORD }) } });
    assertFailed(final, /Could not store the output on FTP: the server refused the login .*Check output\[ftp\]\[user\] and output\[ftp\]\[password\]/);
    assert.ok(ftp.logins.some((l) => l.user === ftp.user && !l.accepted), 'the server saw the wrong login');
    assert.deepEqual(await ftp.files(), ['logo.svg'], 'nothing was written');
    const list = await json(`${server.baseUrl}/processes`, { headers: auth() });
    await new Promise((r) => setTimeout(r, 200)); // let the worker's last log lines arrive
    const places: Array<[string, string]> = [['status', JSON.stringify(final.body)], ['/processes', JSON.stringify(list.body)], ['worker log', workerLog], ['redis', await redisDump(server)]];
    for (const [where, text] of places) {
      assert.ok(!text.includes(WRONG_PASSWORD), `no FTP password in the ${where}`);
      assert.ok(!text.includes(S3_SECRET), `no S3 secret in the ${where}`);
    }
    assert.match(workerLog, /conversion failed/, 'the worker did log the failure');
  });

  it('a wrong FTP password on the input says so for the input', async () => {
    const final = await convertRemote(server, SVG_TO_PNG, { input: { ftp: ftpObject(ftp, { password: WRONG_PASSWORD }) }, file: 'logo.svg' });
    assertFailed(final, /Could not read the input file from FTP: the server refused the login/);
  });

  it('a missing FTP file and a missing S3 object name the parameter file', async () => {
    assertFailed(await convertRemote(server, SVG_TO_PNG, { input: { ftp: ftpObject(ftp) }, file: 'nope/missing.svg' }), /could not give the file "nope\/missing.svg".*parameter file/);
    assertFailed(await convertRemote(server, SVG_TO_PNG, { input: { s3: s3Object(s3, 'in-bucket') }, file: 'missing.svg' }), /the object "missing.svg" does not exist in bucket "in-bucket"/);
  });

  it('a missing bucket, as input or output, names the bucket field', async () => {
    assertFailed(await convertRemote(server, SVG_TO_PNG, { input: { s3: s3Object(s3, 'no-such-bucket') }, file: 'logo.svg' }), /bucket "no-such-bucket" does not exist.*input\[s3\]\[bucket\]/);
    assertFailed(
      await convertRemote(server, SVG_TO_PNG, { input: { s3: s3Object(s3, 'in-bucket') }, file: 'logo.svg', output: { s3: s3Object(s3, 'no-such-bucket') } }),
      /Could not store the output in S3: the bucket "no-such-bucket" does not exist.*output\[s3\]\[bucket\]/,
    );
  });

  it('an access key S3 does not know names the key id field', async () => {
    const final = await convertRemote(server, SVG_TO_PNG, { input: { s3: s3Object(s3, 'in-bucket') }, file: 'logo.svg', output: { s3: s3Object(s3, 'out-bucket', { accesskeyid: 'UNKNOWNKEY' }) } });
    assertFailed(final, /S3 does not know the access key id. Check output\[s3\]\[accesskeyid\]/);
  });

  it('an unreachable host ends in error with the host named', async () => {
    const final = await convertRemote(server, SVG_TO_PNG, { input: { s3: s3Object(s3, 'in-bucket') }, file: 'logo.svg', output: { ftp: ftpObject(ftp, { port: 1 }) } });
    assertFailed(final, /could not reach 127.0.0.1:1: the connection was refused/);
  });

  it('S3: when the second of three outputs fails, the first is removed again', async () => {
    s3.failWhen = (r) => r.method === 'PUT' && r.url.startsWith('/out-bucket/half/scan-2.png');
    try {
      const final = await convertRemote(server, { inputformat: 'tiff', outputformat: 'png' }, { input: { s3: s3Object(s3, 'in-bucket') }, file: 'scan.tiff', output: { s3: s3Object(s3, 'out-bucket', { path: 'half/' }) } });
      assertFailed(final, /Could not store the output in S3: S3 answered InternalError/);
      assert.ok(s3.requests.some((r) => r.method === 'PUT' && r.url.startsWith('/out-bucket/half/scan-1.png')), 'the first file had been written');
      assert.deepEqual(await s3.listKeys('out-bucket', 'half/'), [], 'and was removed');
    } finally {
      s3.failWhen = undefined;
    }
  });

  it('FTP: when the second of three outputs fails, nothing is left (no temporary file either)', async () => {
    await mkdir(path.join(ftp.root, 'half', 'scan-2.png', 'blocker'), { recursive: true }); // a folder where file 2 must go
    const final = await convertRemote(server, { inputformat: 'tiff', outputformat: 'png' }, { input: { s3: s3Object(s3, 'in-bucket') }, file: 'scan.tiff', output: { ftp: ftpObject(ftp, { path: 'half/' }) } });
    assertFailed(final, /Could not store the output on FTP: the server refused to write "half\/scan-2.png"/);
    // scan-1.png had been renamed into place before scan-2.png failed: the rollback removed it.
    assert.deepEqual((await ftp.files()).filter((f) => f.startsWith('half/')), [], 'no file under half/');
  });
});

describe('private addresses and path traversal', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ env: { ALLOW_PRIVATE_URLS: 'false' } });
  });
  after(async () => server?.stop());

  const s3At = (endpoint: string) => ({ accesskeyid: 'A', secretaccesskey: 'B', bucket: 'bkt', endpoint });
  const ftpAt = (host: string) => ({ host, user: 'u', password: 'p' });

  it('refuses an S3 endpoint or FTP host on a private address at the start (400), unless ALLOW_PRIVATE_URLS', async () => {
    for (const params of [
      { input: { s3: s3At('http://127.0.0.1:9000') }, file: 'a.svg' },
      { input: { ftp: ftpAt('10.1.2.3') }, file: 'a.svg' },
      { input: 'upload', output: { s3: s3At('http://[::1]:9000') } },
      { input: 'upload', output: { ftp: ftpAt('192.168.0.10') } },
    ]) {
      const { started } = await startProcess(server, SVG_TO_PNG, params);
      assert.equal(started.status, 400, JSON.stringify(params));
      assert.match(String(started.body['error']), /private or loopback address.*ALLOW_PRIVATE_URLS=true/);
    }
  });

  it('refuses a host name that resolves to a private address when the worker connects (FTP host, S3 endpoint)', async () => {
    for (const input of [{ ftp: ftpAt('localhost') }, { s3: s3At('http://localhost:9') }]) {
      const final = await convertRemote(server, SVG_TO_PNG, { input, file: 'a.svg' });
      assert.equal(final.body['step'], 'error', JSON.stringify(input));
      assert.match(String(final.body['message']), /localhost resolves to .*private or loopback address/);
    }
  });

  it('refuses path traversal in file and path (400, the process stays startable)', async () => {
    const bad = [
      { input: { s3: s3At('https://s3.example.com') }, file: '../../etc/passwd' },
      { input: { ftp: ftpAt('ftp.example.com') }, file: 'in/../../secret.svg' },
      { input: 'upload', output: { s3: { ...s3At('https://s3.example.com'), path: 'a/../../b/' } } },
      { input: 'upload', output: { ftp: { ...ftpAt('ftp.example.com'), path: '..\\..\\x.png' } } },
    ];
    const { url, started: first } = await startProcess(server, SVG_TO_PNG, { input: 'upload', output: { s3: { ...s3At('https://s3.example.com'), path: '../x' } } });
    assert.equal(first.status, 400);
    for (const params of bad) {
      const started = await json(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outputformat: 'png', ...params }) });
      assert.equal(started.status, 400, JSON.stringify(params));
      assert.match(String(started.body['error']), /contains a "\." or "\.\." segment/);
    }
    assert.equal((await json(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input: 'upload', outputformat: 'png' }) })).status, 200);
  });

  it('answers output=dropbox, googledrive, onedrive and box with a clear 400 when no drive is configured', async () => {
    for (const drive of ['dropbox', 'googledrive', 'onedrive', 'box']) {
      const { started } = await startProcess(server, SVG_TO_PNG, { input: 'upload', output: drive });
      assert.equal(started.status, 400, drive);
      assert.match(String(started.body['error']), new RegExp(`output=${drive} is not available: this server does not link users' cloud drives`));
    }
  });
});
