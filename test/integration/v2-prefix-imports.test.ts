// API v2 imports of every object under a prefix (import/s3 key_prefix against s3rver,
// import/azure/blob blob_prefix against Azurite; GCS and Swift file_prefix against the local
// fakes) and of an SFTP folder (import/sftp path against
// a real sshd): the task's files are the objects under it (folder markers, objects outside and
// sub-folders left out), export/url serves each; an empty listing and too many objects are
// clear task errors; credentials never appear in any answer.
import assert from 'node:assert/strict';
import { chown, mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MAX_LISTED_OBJECTS } from '../../src/core/remote/listings.js';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite, type AzuriteServer } from '../helpers/azurite.js';
import { GCS_CLIENT_EMAIL, GCS_PROJECT, startGcsFake, type GcsFake } from '../helpers/gcs-fake.js';
import { auth, json, postJson } from '../helpers/http.js';
import { S3_KEY_ID, startS3Server, type S3TestServer } from '../helpers/s3-server.js';
import { startSftpServer, type SftpTestServer } from '../helpers/sftp-server.js';
import { S3_SECRET } from '../helpers/storage-process.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startSwiftFake, SWIFT_PASSWORD, SWIFT_PROJECT, SWIFT_REGION, SWIFT_USER, type SwiftFake } from '../helpers/swift-fake.js';

type Obj = Record<string, unknown>;
const data = (body: Obj): Obj => body['data'] as Obj;
const byName = (job: Obj, name: string): Obj => (job['tasks'] as Obj[]).find((t) => t['name'] === name) ?? {};
const filesOf = (task: Obj): Obj[] => ((task['result'] as Obj | null)?.['files'] ?? []) as Obj[];
const namesOf = (task: Obj): string[] => filesOf(task).map((f) => String(f['filename'])).sort();

describe('API v2 imports of a prefix or folder', { timeout: 600_000 }, () => {
  let server: TestServer;
  let s3: S3TestServer;
  let azurite: AzuriteServer;
  let sftp: SftpTestServer;
  let gcs: GcsFake;
  let swift: SwiftFake;
  before(async () => {
    // One by one, so `after` stops whatever started even when a later start fails.
    s3 = await startS3Server(['bucket']);
    azurite = await startAzurite(['box']);
    sftp = await startSftpServer();
    gcs = await startGcsFake(['in']);
    swift = await startSwiftFake(['in']);
    server = await startTestServer({ env: { ALLOW_PRIVATE_URLS: 'true' } });
  });
  after(async () => {
    await server?.stop();
    await Promise.all([s3?.stop(), azurite?.stop(), sftp?.stop(), gcs?.stop(), swift?.stop()]);
  });

  const secrets = (): string[] => [S3_SECRET, AZURITE_KEY, sftp.password, gcs.privateKey.split('\n')[3] ?? 'x', SWIFT_PASSWORD];
  const runJob = async (tasks: Obj): Promise<Obj> => {
    const created = await postJson(`${server.baseUrl}/v2/jobs`, { tasks }, auth());
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const waited = await json(`${server.baseUrl}/sync/v2/jobs/${String(data(created.body)['id'])}?include=payload`, { headers: auth() });
    for (const secret of secrets()) assert.equal(JSON.stringify([created.body, waited.body]).includes(secret), false, 'no secret in any answer');
    return data(waited.body);
  };
  /** Each exported file's bytes by name, fetched from its URL. */
  const downloads = async (task: Obj): Promise<Record<string, string>> => {
    const out: Record<string, string> = {};
    for (const file of filesOf(task)) out[String(file['filename'])] = await (await fetch(String(file['url']))).text();
    return out;
  };
  const s3Fields = (): Obj => ({ bucket: 'bucket', region: 'us-east-1', endpoint: s3.endpoint, access_key_id: S3_KEY_ID, secret_access_key: S3_SECRET });
  const azure = (): Obj => ({ storage_account: AZURITE_ACCOUNT, storage_access_key: AZURITE_KEY, endpoint: azurite.endpoint, container: 'box' });
  const login = (): Obj => ({ host: sftp.host, port: sftp.port, username: sftp.user, password: sftp.password });

  it('import/s3 with key_prefix: every object under it (not the folder marker or objects outside), then export/url of them', async () => {
    for (const key of ['batch/a.txt', 'batch/b.txt', 'batch/nested/c.txt', 'batchy/outside.txt', 'other/d.txt']) await s3.putObject('bucket', key, `content of ${key}`);
    await s3.putObject('bucket', 'batch/', '');
    const job = await runJob({ in: { operation: 'import/s3', ...s3Fields(), key_prefix: 'batch/' }, out: { operation: 'export/url', input: 'in' } });
    assert.equal(job['status'], 'finished', JSON.stringify(job));
    assert.deepEqual(namesOf(byName(job, 'in')), ['a.txt', 'b.txt', 'c.txt']);
    assert.deepEqual(await downloads(byName(job, 'out')), { 'a.txt': 'content of batch/a.txt', 'b.txt': 'content of batch/b.txt', 'c.txt': 'content of batch/nested/c.txt' });
  });

  it('import/s3: an empty prefix and more objects than the limit fail the task with a clear message', async () => {
    const empty = byName(await runJob({ in: { operation: 'import/s3', ...s3Fields(), key_prefix: 'nothing/' } }), 'in');
    assert.equal(empty['status'], 'error');
    assert.match(String(empty['message']), /no object under prefix "nothing\/" in S3 bucket bucket/);
    for (let i = 0; i <= MAX_LISTED_OBJECTS; i++) await s3.putObject('bucket', `many/${String(i).padStart(3, '0')}.txt`, 'x');
    const many = byName(await runJob({ in: { operation: 'import/s3', ...s3Fields(), key_prefix: 'many/' } }), 'in');
    assert.equal(many['status'], 'error');
    assert.match(String(many['message']), new RegExp(`more than ${MAX_LISTED_OBJECTS} objects under prefix "many/"`));
  });

  it('import/azure/blob with blob_prefix: every blob under it, two with the same last segment kept apart', async () => {
    for (const name of ['set/one.txt', 'set/two.txt', 'set/deeper/one.txt', 'elsewhere/three.txt']) await azurite.putBlob('box', name, Buffer.from(`blob ${name}`));
    await azurite.putBlob('box', 'set/', Buffer.alloc(0));
    const job = await runJob({ in: { operation: 'import/azure/blob', ...azure(), blob_prefix: 'set/' }, out: { operation: 'export/url', input: 'in' } });
    assert.equal(job['status'], 'finished', JSON.stringify(job));
    assert.deepEqual(namesOf(byName(job, 'in')), ['one-2.txt', 'one.txt', 'two.txt']);
    const got = await downloads(byName(job, 'out'));
    assert.deepEqual(Object.values(got).sort(), ['blob set/deeper/one.txt', 'blob set/one.txt', 'blob set/two.txt']);
    const empty = byName(await runJob({ in: { operation: 'import/azure/blob', ...azure(), blob_prefix: 'none/' } }), 'in');
    assert.equal(empty['status'], 'error');
    assert.match(String(empty['message']), /no object under prefix "none\/" in Azure Blob Storage account devstoreaccount1, container box/);
  });

  it('import/sftp with path: the folder\'s regular files (not its sub-folder), then export/url; an empty folder is a clear task error', async () => {
    const owner = await stat(sftp.root);
    for (const folder of ['drop', 'drop/sub', 'empty']) {
      await mkdir(path.join(sftp.root, folder));
      await chown(path.join(sftp.root, folder), owner.uid, owner.gid);
    }
    for (const file of ['drop/x.txt', 'drop/y.txt', 'drop/z.txt', 'drop/sub/inner.txt']) await writeFile(path.join(sftp.root, file), `sftp ${file}`);
    const job = await runJob({ in: { operation: 'import/sftp', ...login(), path: 'drop/' }, out: { operation: 'export/url', input: 'in' } });
    assert.equal(job['status'], 'finished', JSON.stringify(job));
    assert.deepEqual(namesOf(byName(job, 'in')), ['x.txt', 'y.txt', 'z.txt']);
    assert.deepEqual(await downloads(byName(job, 'out')), { 'x.txt': 'sftp drop/x.txt', 'y.txt': 'sftp drop/y.txt', 'z.txt': 'sftp drop/z.txt' });
    const empty = byName(await runJob({ in: { operation: 'import/sftp', ...login(), path: 'empty' } }), 'in');
    assert.equal(empty['status'], 'error');
    assert.match(String(empty['message']), /no object in folder "empty" on SFTP server/);
  });

  it('import/google-cloud-storage and import/openstack with file_prefix (local fakes, listings of several pages)', async () => {
    for (const name of ['pics/1.txt', 'pics/2.txt', 'pics/3.txt', 'pics/', 'other/4.txt']) {
      gcs.put('in', name, `gcs ${name}`);
      swift.put('in', name, `swift ${name}`);
    }
    const google = { project_id: GCS_PROJECT, client_email: GCS_CLIENT_EMAIL, private_key: gcs.privateKey, endpoint: gcs.endpoint, token_uri: gcs.tokenUri, bucket: 'in' };
    const openstack = { auth_url: swift.authUrl, username: SWIFT_USER, password: SWIFT_PASSWORD, region: SWIFT_REGION, tenant_name: SWIFT_PROJECT, container: 'in' };
    const job = await runJob({
      g: { operation: 'import/google-cloud-storage', ...google, file_prefix: 'pics/' },
      s: { operation: 'import/openstack', ...openstack, file_prefix: 'pics/' },
      'out-g': { operation: 'export/url', input: 'g' },
      'out-s': { operation: 'export/url', input: 's' },
    });
    assert.equal(job['status'], 'finished', JSON.stringify(job));
    assert.deepEqual(namesOf(byName(job, 'g')), ['1.txt', '2.txt', '3.txt']);
    assert.deepEqual(namesOf(byName(job, 's')), ['1.txt', '2.txt', '3.txt']);
    assert.deepEqual(await downloads(byName(job, 'out-g')), { '1.txt': 'gcs pics/1.txt', '2.txt': 'gcs pics/2.txt', '3.txt': 'gcs pics/3.txt' });
    assert.deepEqual(await downloads(byName(job, 'out-s')), { '1.txt': 'swift pics/1.txt', '2.txt': 'swift pics/2.txt', '3.txt': 'swift pics/3.txt' });
  });
});
