// import/sftp → convert → export/sftp through API v2 against a real OpenSSH sshd on 127.0.0.1:
// password and private-key logins (the port as a string, as the Java SDK sends it), a wrong
// password as a clear task error, secrets never in any answer, private hosts refused by default.
import assert from 'node:assert/strict';
import { chown, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { SVG, multiPageTiff } from '../helpers/fixtures.js';
import { auth, json, postJson } from '../helpers/http.js';
import { startSftpServer, type SftpTestServer } from '../helpers/sftp-server.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { byName, data, type Obj, runJob as runV2Job } from '../helpers/v2-jobs.js';


describe('API v2 import/sftp and export/sftp', { timeout: 300_000 }, () => {
  let server: TestServer;
  let sftp: SftpTestServer;
  const secrets = (): string[] => [sftp.password, 'PRIVATE KEY', 'Wrong-V2-Pass-99'];
  before(async () => {
    sftp = await startSftpServer();
    server = await startTestServer({ env: { ALLOW_PRIVATE_URLS: 'true' } });
    const owner = await stat(sftp.root);
    await mkdir(path.join(sftp.root, 'in'));
    await chown(path.join(sftp.root, 'in'), owner.uid, owner.gid);
    await writeFile(path.join(sftp.root, 'in', 'logo.svg'), SVG);
    await writeFile(path.join(sftp.root, 'in', 'scan.tiff'), await multiPageTiff(2));
  });
  after(async () => {
    await server?.stop();
    await sftp?.stop();
  });

  const runJob = (tasks: Obj): Promise<Obj> => runV2Job(server, tasks, secrets());
  const withPassword = (): Obj => ({ host: sftp.host, port: String(sftp.port), username: sftp.user, password: sftp.password });
  const withKey = (): Obj => ({ host: sftp.host, port: sftp.port, username: sftp.user, private_key: sftp.privateKey, host_key: sftp.hostKeyFingerprint });

  it('imports with a password, converts, and exports with a private key to an exact file path', async () => {
    const job = await runJob({
      in: { operation: 'import/sftp', ...withPassword(), file: 'in/logo.svg' },
      png: { operation: 'convert', input: 'in', output_format: 'png' },
      out: { operation: 'export/sftp', input: 'png', ...withKey(), file: 'v2/out/logo.png' },
    });
    assert.equal(job['status'], 'finished', JSON.stringify(job));
    assert.equal((await sharp(await readFile(path.join(sftp.root, 'v2/out/logo.png'))).metadata()).format, 'png');
    assert.ok(!(await sftp.files()).some((f) => f.includes('.partial')));
  });

  it('imports with a private key and exports several files into a folder with a password', async () => {
    const job = await runJob({
      in: { operation: 'import/sftp', ...withKey(), file: 'in/scan.tiff', filename: 'pages.tiff' },
      png: { operation: 'convert', input: 'in', output_format: 'png' },
      out: { operation: 'export/sftp', input: 'png', ...withPassword(), path: 'v2/pages' },
    });
    assert.equal(job['status'], 'finished', JSON.stringify(job));
    assert.deepEqual((await sftp.files()).filter((f) => f.startsWith('v2/pages/')), ['v2/pages/pages-1.png', 'v2/pages/pages-2.png']);
  });

  it('a wrong password fails the task with a message naming SFTP, the host and the fields', async () => {
    const job = await runJob({ in: { operation: 'import/sftp', ...withPassword(), password: 'Wrong-V2-Pass-99', file: 'in/logo.svg' } });
    const task = byName(job, 'in');
    assert.equal(task['status'], 'error', JSON.stringify(task));
    assert.match(String(task['message']), new RegExp(`SFTP: 127\\.0\\.0\\.1:${sftp.port} refused the login. Check input\\[sftp\\]\\[username\\]`));
  });

  it('answers 422 naming each bad field', async () => {
    const created = await postJson(`${server.baseUrl}/v2/import/sftp`, { file: '../up.svg', host: sftp.host, port: 'abc', username: 'u', host_key: 'nope', private_key: 'not a key' }, auth());
    assert.equal(created.status, 422, JSON.stringify(created.body));
    const errors = (created.body['errors'] ?? {}) as Obj;
    for (const field of ['port', 'host_key', 'private_key', 'file']) assert.ok(field in errors, `${field} named: ${JSON.stringify(created.body)}`);
  });
});

describe('API v2 SFTP private hosts', { timeout: 120_000 }, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server?.stop());

  it('refuses a loopback or private host with 422 on host when the operator does not allow them', async () => {
    for (const host of ['127.0.0.1', '192.168.1.10', '[::1]']) {
      const created = await postJson(`${server.baseUrl}/v2/import/sftp`, { host, username: 'u', password: 'p', file: 'a.svg' }, auth());
      assert.equal(created.status, 422, JSON.stringify(created.body));
      assert.ok('host' in ((created.body['errors'] ?? {}) as Obj), JSON.stringify(created.body));
    }
  });

  it('refuses a host name that resolves to a loopback address where the worker connects', async () => {
    const created = await postJson(`${server.baseUrl}/v2/jobs`, { tasks: { in: { operation: 'import/sftp', host: 'localhost', username: 'u', password: 'Never-Shown-5', file: 'a.svg' } } }, auth());
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const job = data((await json(`${server.baseUrl}/sync/v2/jobs/${String(data(created.body)['id'])}`, { headers: auth() })).body);
    const task = byName(job, 'in');
    assert.equal(task['status'], 'error', JSON.stringify(task));
    assert.match(String(task['message']), /private|loopback|not allowed/i);
    assert.ok(!JSON.stringify(job).includes('Never-Shown-5'));
  });
});
