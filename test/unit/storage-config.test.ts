// The storage variables of the config: STORAGE_URL and its S3 settings, the cloud drive
// accounts, and the refusals that name the bad variable.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/index.js';

const load = (env: Record<string, string>) => loadConfig(env, '/srv').storage;

function refuses(env: Record<string, string>, variable: string): void {
  assert.throws(() => load(env), (e: unknown) => e instanceof ConfigError && e.variable === variable);
}

describe('storage config', () => {
  it('keeps files in DATA_DIR without STORAGE_URL', () => {
    assert.deepEqual(load({ DATA_DIR: '/data' }).fileStore, { kind: 'local', dir: '/data' });
  });

  it('reads s3://bucket/prefix with endpoint, path style and credentials', () => {
    const store = load({ STORAGE_URL: 's3://files/deploy/one/', STORAGE_S3_ENDPOINT: 'http://127.0.0.1:9000', STORAGE_S3_ACCESS_KEY_ID: 'id', STORAGE_S3_SECRET_ACCESS_KEY: 'sk' }).fileStore;
    assert.deepEqual(store, {
      kind: 's3',
      bucket: 'files',
      prefix: 'deploy/one',
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9000',
      forcePathStyle: true,
      credentials: { accessKeyId: 'id', secretAccessKey: 'sk' },
      presignedDownloads: false,
      presignSeconds: 300,
    });
  });

  it('uses the AWS default credentials and virtual-hosted style without endpoint and keys', () => {
    const store = load({ STORAGE_URL: 's3://files', STORAGE_PRESIGNED_DOWNLOADS: 'true' }).fileStore;
    assert.equal(store.kind === 's3' && store.credentials, undefined);
    assert.equal(store.kind === 's3' && store.forcePathStyle, false);
    assert.equal(store.kind === 's3' && store.prefix, '');
    assert.equal(store.kind === 's3' && store.presignedDownloads, true);
  });

  it('refuses a bad STORAGE_URL, half a key pair, a bad endpoint', () => {
    refuses({ STORAGE_URL: 'file:///tmp' }, 'STORAGE_URL');
    refuses({ STORAGE_URL: 's3://files/a/../b' }, 'STORAGE_URL');
    refuses({ STORAGE_URL: 's3://files', STORAGE_S3_ACCESS_KEY_ID: 'id' }, 'STORAGE_S3_SECRET_ACCESS_KEY');
    refuses({ STORAGE_URL: 's3://files', STORAGE_S3_ENDPOINT: 'minio:9000' }, 'STORAGE_S3_ENDPOINT');
    refuses({ S3_PART_SIZE_MB: '4' }, 'S3_PART_SIZE_MB');
  });

  it('has no cloud drive unless the operator gives a token', () => {
    assert.deepEqual(load({}).drives, { dropbox: undefined, googledrive: undefined });
  });

  it('reads a Dropbox access token with its folder and base URLs', () => {
    const dropbox = load({ DROPBOX_ACCESS_TOKEN: 'tok', DROPBOX_FOLDER: 'outputs/', DROPBOX_API_URL: 'http://127.0.0.1:1/', DROPBOX_CONTENT_URL: 'http://127.0.0.1:2' }).drives.dropbox;
    assert.deepEqual(dropbox, { auth: { kind: 'token', accessToken: 'tok' }, folder: '/outputs', apiUrl: 'http://127.0.0.1:1', contentUrl: 'http://127.0.0.1:2' });
    assert.equal(load({ DROPBOX_ACCESS_TOKEN: 'tok' }).drives.dropbox?.folder, '/openconvert');
  });

  it('reads a Google Drive refresh token, which needs the client id and secret', () => {
    const drive = load({ GOOGLEDRIVE_REFRESH_TOKEN: 'r', GOOGLEDRIVE_CLIENT_ID: 'c', GOOGLEDRIVE_CLIENT_SECRET: 's', GOOGLEDRIVE_FOLDER_ID: 'f1' }).drives.googledrive;
    assert.deepEqual(drive, { auth: { kind: 'refresh', refreshToken: 'r', clientId: 'c', clientSecret: 's', tokenUrl: 'https://oauth2.googleapis.com/token' }, folderId: 'f1', apiUrl: 'https://www.googleapis.com' });
    refuses({ GOOGLEDRIVE_REFRESH_TOKEN: 'r', GOOGLEDRIVE_CLIENT_ID: 'c' }, 'GOOGLEDRIVE_CLIENT_SECRET');
    refuses({ DROPBOX_REFRESH_TOKEN: 'r' }, 'DROPBOX_APP_KEY');
  });
});
