// SFTP as v1 input and output through the wire API, against a real OpenSSH sshd on 127.0.0.1
// (test/helpers/sftp-server.ts): password and private key logins, a pinned host key, a wrong
// password and a wrong pin (clear errors, no secret echoed), private hosts refused by default.
import assert from 'node:assert/strict';
import { chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { SVG } from '../helpers/fixtures.js';
import { startSftpServer, type SftpTestServer } from '../helpers/sftp-server.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { convertRemote, startProcess, storageOf } from '../helpers/storage-process.js';

const SVG_TO_PNG = { inputformat: 'svg', outputformat: 'png' };
const isPng = async (bytes: Buffer): Promise<boolean> => (await sharp(bytes).metadata()).format === 'png';
const sftpObject = (sftp: SftpTestServer, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ host: sftp.host, port: String(sftp.port), user: sftp.user, password: sftp.password, ...extra });

describe('SFTP input and output (v1)', { timeout: 300_000 }, () => {
  let server: TestServer;
  let sftp: SftpTestServer;
  before(async () => {
    sftp = await startSftpServer();
    server = await startTestServer({ env: { ALLOW_PRIVATE_URLS: 'true' } });
    await mkdir(path.join(sftp.root, 'in'));
    await writeFile(path.join(sftp.root, 'in', 'logo.svg'), SVG);
    const owner = await import('node:fs/promises').then((fs) => fs.stat(sftp.root));
    await chown(path.join(sftp.root, 'in'), owner.uid, owner.gid);
  });
  after(async () => {
    await server?.stop();
    await sftp?.stop();
  });

  it('SFTP → convert → SFTP into a new nested folder with a password, no temporary file left', async () => {
    const final = await convertRemote(server, SVG_TO_PNG, { input: { sftp: sftpObject(sftp) }, file: 'in/logo.svg', output: { sftp: sftpObject(sftp, { path: 'out/nested/' }) } });
    assert.equal(final.body['step'], 'finished', JSON.stringify(final.body));
    assert.deepEqual(final.body['input'], { type: 'sftp', filename: 'logo.svg', name: 'logo', ext: 'svg' });
    assert.deepEqual(storageOf(final), { type: 'sftp', host: '127.0.0.1', port: sftp.port, files: ['out/nested/logo.png'] });
    assert.ok(await isPng(await readFile(path.join(sftp.root, 'out/nested/logo.png'))));
    assert.ok(!(await sftp.files()).some((f) => f.includes('.partial')), 'no temporary file left');
    assert.ok(!JSON.stringify(final.body).includes(sftp.password), 'the password is not shown');
  });

  it('input=sftp with the top-level sftp object, a private key and the pinned host key; output to an exact path', async () => {
    const login = { host: sftp.host, port: sftp.port, username: sftp.user, private_key: sftp.privateKey, host_key: sftp.hostKeyFingerprint };
    const final = await convertRemote(server, SVG_TO_PNG, { input: 'sftp', sftp: login, file: 'in/logo.svg', output: 'sftp', filename: 'renamed.svg' });
    assert.equal(final.body['step'], 'finished', JSON.stringify(final.body));
    assert.deepEqual(storageOf(final).files, ['renamed.png']);
    assert.ok(await isPng(await readFile(path.join(sftp.root, 'renamed.png'))));
    assert.ok(!JSON.stringify(final.body).includes('PRIVATE KEY'), 'the key is not shown');
  });

  it('a wrong password ends the process with a message naming SFTP, the host and the fields, without the password', async () => {
    const wrong = 'Wrong-Pass-Never-Shown-77';
    const final = await convertRemote(server, SVG_TO_PNG, { input: { sftp: sftpObject(sftp, { password: wrong }) }, file: 'in/logo.svg' });
    assert.equal(final.body['step'], 'error', JSON.stringify(final.body));
    const message = String(final.body['message']);
    assert.match(message, /SFTP/);
    assert.match(message, new RegExp(`127\\.0\\.0\\.1:${sftp.port} refused the login`));
    assert.match(message, /input\[sftp\]\[password\]/);
    assert.ok(!JSON.stringify(final.body).includes(wrong));
  });

  it('a host key that does not match the pin is refused', async () => {
    const pin = 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU';
    const final = await convertRemote(server, SVG_TO_PNG, { input: { sftp: sftpObject(sftp, { host_key: pin }) }, file: 'in/logo.svg' });
    assert.equal(final.body['step'], 'error', JSON.stringify(final.body));
    assert.match(String(final.body['message']), /host key of 127\.0\.0\.1:\d+ does not match the pinned fingerprint.*host_key/);
  });

  it('a missing file names the path; bad fields are refused at the start', async () => {
    const missing = await convertRemote(server, SVG_TO_PNG, { input: { sftp: sftpObject(sftp) }, file: 'in/none.svg' });
    assert.equal(missing.body['step'], 'error');
    assert.match(String(missing.body['message']), /has no file "in\/none\.svg"/);
    const noLogin = await startProcess(server, SVG_TO_PNG, { input: { sftp: { host: sftp.host, user: 'x' } }, file: 'in/logo.svg' });
    assert.equal(noLogin.started.status, 400, JSON.stringify(noLogin.started.body));
    assert.match(String(noLogin.started.body['error']), /input\[sftp\]\[password\] or input\[sftp\]\[private_key\]/);
    const badPin = await startProcess(server, SVG_TO_PNG, { input: { sftp: sftpObject(sftp, { host_key: 'abc' }) }, file: 'in/logo.svg' });
    assert.equal(badPin.started.status, 400);
    assert.match(String(badPin.started.body['error']), /input\[sftp\]\[host_key\]/);
  });
});

describe('SFTP private hosts (v1)', { timeout: 120_000 }, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server?.stop());

  it('refuses a private or loopback SFTP host when the operator does not allow them', async () => {
    const { started } = await startProcess(server, SVG_TO_PNG, { input: { sftp: { host: '127.0.0.1', user: 'u', password: 'p' } }, file: 'a.svg' });
    assert.equal(started.status, 400, JSON.stringify(started.body));
    assert.match(String(started.body['error']), /private|loopback|not allowed/i);
    const out = await startProcess(server, SVG_TO_PNG, { input: 'download', file: 'https://example.com/a.svg', output: { sftp: { host: '10.1.2.3', user: 'u', password: 'p' } } });
    assert.equal(out.started.status, 400, JSON.stringify(out.started.body));
  });
});

describe('SFTP timeouts (v1)', { timeout: 120_000 }, () => {
  let server: TestServer;
  let silent: Server;
  before(async () => {
    server = await startTestServer({ env: { ALLOW_PRIVATE_URLS: 'true', REMOTE_TIMEOUT_SECONDS: '2' } });
    // Accepts connections and never says a word: the handshake must time out.
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    await server?.stop();
    silent?.close();
  });

  it('ends the process with a clear error when the server never answers the handshake', async () => {
    const port = (silent.address() as AddressInfo).port;
    const begin = Date.now();
    const final = await convertRemote(server, SVG_TO_PNG, { input: { sftp: { host: '127.0.0.1', port, user: 'u', password: 'p' } }, file: 'a.svg' });
    assert.equal(final.body['step'], 'error', JSON.stringify(final.body));
    assert.match(String(final.body['message']), new RegExp(`SFTP: 127\\.0\\.0\\.1:${port} did not answer in time`));
    assert.ok(Date.now() - begin < 60_000, 'bounded by REMOTE_TIMEOUT_SECONDS, not stuck');
  });
});
