// API v2 end to end with the user's object storages: import from Azure Blob (Azurite), Google
// Cloud Storage (local fake) and OpenStack Swift (local fake), convert SVG to PNG on the real
// engine, export back, and check the stored object; credentials never appear in any answer.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite, type AzuriteServer } from '../helpers/azurite.js';
import { SVG } from '../helpers/fixtures.js';
import { GCS_CLIENT_EMAIL, GCS_PROJECT, startGcsFake, type GcsFake } from '../helpers/gcs-fake.js';
import { auth, postJson } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startSwiftFake, SWIFT_PASSWORD, SWIFT_PROJECT, SWIFT_REGION, SWIFT_USER, type SwiftFake } from '../helpers/swift-fake.js';
import { byName, type Obj, runJob as runV2Job } from '../helpers/v2-jobs.js';


describe('API v2 with Azure Blob, Google Cloud Storage and OpenStack', { timeout: 300_000 }, () => {
  let server: TestServer;
  let azurite: AzuriteServer;
  let gcs: GcsFake;
  let swift: SwiftFake;
  before(async () => {
    // One by one, so `after` stops whatever started even when a later start fails.
    azurite = await startAzurite(['inbox', 'outbox']);
    gcs = await startGcsFake(['in', 'out']);
    swift = await startSwiftFake(['in', 'out']);
    server = await startTestServer({ env: { ALLOW_PRIVATE_URLS: 'true' } });
  });
  after(async () => {
    await server?.stop();
    await Promise.all([azurite?.stop(), gcs?.stop(), swift?.stop()]);
  });

  const secrets = () => [AZURITE_KEY, gcs.privateKey.split('\n')[3] ?? 'x', SWIFT_PASSWORD];
  const runJob = (tasks: Obj): Promise<Obj> => runV2Job(server, tasks, [...secrets(), JSON.stringify(secrets()[1])]);
  const isPng = async (bytes: Buffer | undefined) => assert.equal((await sharp(bytes).metadata()).format, 'png');

  const azure = (): Obj => ({ storage_account: AZURITE_ACCOUNT, storage_access_key: AZURITE_KEY, endpoint: azurite.endpoint });
  const google = (): Obj => ({ project_id: GCS_PROJECT, client_email: GCS_CLIENT_EMAIL, private_key: gcs.privateKey, endpoint: gcs.endpoint, token_uri: gcs.tokenUri });
  const openstack = (): Obj => ({ auth_url: swift.authUrl, username: SWIFT_USER, password: SWIFT_PASSWORD, region: SWIFT_REGION, tenant_name: SWIFT_PROJECT });

  it('imports from Azure Blob, converts, and exports to Azure Blob', async () => {
    await azurite.putBlob('inbox', 'art/logo.svg', SVG);
    const job = await runJob({
      i: { operation: 'import/azure/blob', ...azure(), container: 'inbox', blob: 'art/logo.svg' },
      c: { operation: 'convert', input: 'i', output_format: 'png' },
      e: { operation: 'export/azure/blob', input: 'c', ...azure(), container: 'outbox', blob: 'results/logo.png' },
    });
    assert.equal(job['status'], 'finished', JSON.stringify(job));
    await isPng(await azurite.getBlob('outbox', 'results/logo.png'));
  });

  it('imports from Google Cloud Storage, converts, and exports there (local fake)', async () => {
    gcs.put('in', 'art/logo.svg', SVG);
    const job = await runJob({
      i: { operation: 'import/google-cloud-storage', ...google(), bucket: 'in', file: 'art/logo.svg' },
      c: { operation: 'convert', input: 'i', output_format: 'png' },
      e: { operation: 'export/google-cloud-storage', input: 'c', ...google(), bucket: 'out', file_prefix: 'results/' },
    });
    assert.equal(job['status'], 'finished', JSON.stringify(job));
    await isPng(gcs.get('out', 'results/logo.png'));
  });

  it('imports from OpenStack Swift, converts, and exports there (local fake)', async () => {
    swift.put('in', 'art/logo.svg', SVG);
    const job = await runJob({
      i: { operation: 'import/openstack', ...openstack(), container: 'in', file: 'art/logo.svg' },
      c: { operation: 'convert', input: 'i', output_format: 'png' },
      e: { operation: 'export/openstack', input: 'c', ...openstack(), container: 'out', file: 'results/swift.png' },
    });
    assert.equal(job['status'], 'finished', JSON.stringify(job));
    await isPng(swift.get('out', 'results/swift.png'));
  });

  it('fails the import task with a message naming the storage when the key is wrong', async () => {
    const wrong = 'V3JvbmdLZXlXcm9uZ0tleVdyb25nS2V5V3JvbmdLZXk=';
    const job = await runJob({ i: { operation: 'import/azure/blob', ...azure(), storage_access_key: wrong, container: 'inbox', blob: 'art/logo.svg' } });
    const task = byName(job, 'i');
    assert.equal(task['status'], 'error');
    assert.match(String(task['message']), /Azure Blob Storage refused the credentials for account devstoreaccount1/);
    assert.equal(JSON.stringify(job).includes(wrong), false);
  });

  it('answers 422 naming each missing field', async () => {
    const bad = await postJson(`${server.baseUrl}/v2/import/openstack`, { container: 'in' }, auth());
    assert.equal(bad.status, 422, JSON.stringify(bad.body));
    const errors = Object.keys((bad.body as Obj)['errors'] as Obj);
    for (const field of ['auth_url', 'username', 'password', 'file']) assert.ok(errors.includes(field), `${field} in ${errors.join(',')}`);
  });
});
