// Contract tests of the Dropbox and Google Drive uploads against local HTTP servers that check
// the documented request shapes (test/helpers/cloud-drive-fakes.ts), directly and through the API.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DropboxConfig, GoogleDriveConfig } from '../../src/config/storage.js';
import { createLogger } from '../../src/runtime/index.js';
import { dropboxOutput } from '../../workers/outputs/dropbox.js';
import { googleDriveOutput } from '../../workers/outputs/google-drive.js';
import type { DeliveryContext, OutputFileRef } from '../../workers/outputs/types.js';
import { startDropboxFake, startGoogleDriveFake, type DriveFake } from '../helpers/cloud-drive-fakes.js';
import { SVG } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { convertRemote } from '../helpers/storage-process.js';

let dir: string;
const context = (): DeliveryContext => ({ signal: AbortSignal.timeout(10_000), progress: () => undefined, log: createLogger('silent', 'test') });

async function file(name: string, bytes: Buffer): Promise<OutputFileRef> {
  const local = path.join(dir, name);
  await writeFile(local, bytes);
  return { name, path: local, size: bytes.length };
}

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'oc-drives-'));
});
after(async () => rm(dir, { recursive: true, force: true }));

describe('Dropbox', () => {
  let fake: DriveFake;
  let config: DropboxConfig;
  before(async () => {
    fake = await startDropboxFake();
    config = { auth: { kind: 'token', accessToken: fake.token }, folder: '/openconvert', apiUrl: fake.baseUrl, contentUrl: fake.baseUrl };
  });
  after(async () => fake.stop());

  it('contract test: files/upload with a Bearer token, an ASCII Dropbox-API-Arg and the bytes as the body', async () => {
    const bytes = Buffer.from('png bytes');
    const delivered = await dropboxOutput(config, { timeoutMs: 5000 }).deliver({ kind: 'dropbox', path: 'reports/' }, [await file('résumé.png', bytes)], context());
    assert.deepEqual(fake.violations, []);
    const upload = fake.requests.at(-1);
    assert.equal(upload?.url, '/2/files/upload');
    assert.equal(upload?.headers['authorization'], `Bearer ${fake.token}`);
    assert.equal(upload?.headers['dropbox-api-arg'], '{"path":"/openconvert/reports/r\\u00e9sum\\u00e9.png","mode":"add","autorename":true,"mute":false,"strict_conflict":false}');
    assert.ok(upload?.body.equals(bytes));
    assert.deepEqual(delivered, { type: 'dropbox', place: { folder: '/openconvert' }, files: ['/openconvert/reports/résumé.png'] });
  });

  it('contract test: an upload session (start, append_v2, finish) with matching offsets for a large file', async () => {
    const bytes = randomBytes(2500);
    const deliverer = dropboxOutput(config, { timeoutMs: 5000, singleUploadLimit: 1000, chunkBytes: 1000 });
    const before = fake.requests.length;
    const delivered = await deliverer.deliver({ kind: 'dropbox' }, [await file('big.bin', bytes)], context());
    assert.deepEqual(fake.violations, []);
    assert.deepEqual(fake.requests.slice(before).map((r) => r.url), ['/2/files/upload_session/start', '/2/files/upload_session/append_v2', '/2/files/upload_session/finish']);
    assert.deepEqual(fake.requests.slice(before).map((r) => r.body.length), [1000, 1000, 500]);
    assert.ok(fake.files.get('/openconvert/big.bin')?.equals(bytes));
    assert.deepEqual(delivered.files, ['/openconvert/big.bin']);
  });

  it('contract test: an existing name is not overwritten; the status shows the name Dropbox chose', async () => {
    const deliverer = dropboxOutput(config, { timeoutMs: 5000 });
    await deliverer.deliver({ kind: 'dropbox' }, [await file('same.png', Buffer.from('1'))], context());
    const second = await deliverer.deliver({ kind: 'dropbox' }, [await file('same.png', Buffer.from('2'))], context());
    assert.deepEqual(second.files, ['/openconvert/same (1).png']);
  });

  it('contract test: when the second file is refused (409 insufficient_space), the first is deleted with files/delete_v2', async () => {
    fake.failUpload = { match: /two\.png$/, status: 409, body: { error_summary: 'path/insufficient_space/..' } };
    try {
      const files = [await file('one.png', Buffer.from('1')), await file('two.png', Buffer.from('2'))];
      await assert.rejects(dropboxOutput(config, { timeoutMs: 5000 }).deliver({ kind: 'dropbox', path: 'batch/' }, files, context()), (e: { code?: string; message?: string }) => e.code === 'OUTPUT_FAILED' && /Dropbox account is full/.test(e.message ?? ''));
      const deletion = fake.requests.find((r) => r.url === '/2/files/delete_v2');
      assert.deepEqual(JSON.parse(deletion?.body.toString() ?? '{}'), { path: '/openconvert/batch/one.png' });
      assert.equal(fake.files.has('/openconvert/batch/one.png'), false);
    } finally {
      fake.failUpload = undefined;
    }
  });

  it('contract test: a refresh token is exchanged once (oauth2/token, grant_type=refresh_token) and the access token reused', async () => {
    const refreshing: DropboxConfig = { ...config, auth: { kind: 'refresh', refreshToken: 'operator-refresh', clientId: 'app-key', clientSecret: 'app-secret', tokenUrl: `${fake.baseUrl}/oauth2/token` } };
    const deliverer = dropboxOutput(refreshing, { timeoutMs: 5000 });
    const before = fake.requests.length;
    await deliverer.deliver({ kind: 'dropbox' }, [await file('r1.png', Buffer.from('1'))], context());
    await deliverer.deliver({ kind: 'dropbox' }, [await file('r2.png', Buffer.from('2'))], context());
    assert.deepEqual(fake.requests.slice(before).map((r) => r.url), ['/oauth2/token', '/2/files/upload', '/2/files/upload']);
    assert.deepEqual(fake.violations, []);
  });

  it('contract test: a refused token is a clear error without the token in it', async () => {
    const wrong: DropboxConfig = { ...config, auth: { kind: 'token', accessToken: 'expired-token-123' } };
    await assert.rejects(dropboxOutput(wrong, { timeoutMs: 5000 }).deliver({ kind: 'dropbox' }, [await file('x.png', Buffer.from('x'))], context()), (e: Error) => /Dropbox token was refused/.test(e.message) && !e.message.includes('expired-token-123'));
  });
});

describe('Google Drive', () => {
  let fake: DriveFake;
  let config: GoogleDriveConfig;
  before(async () => {
    fake = await startGoogleDriveFake();
    config = { auth: { kind: 'refresh', refreshToken: 'operator-refresh', clientId: 'client-id', clientSecret: 'client-secret', tokenUrl: `${fake.baseUrl}/token` }, folderId: 'folder-77', apiUrl: fake.baseUrl };
  });
  after(async () => fake.stop());

  it('contract test: a resumable upload (metadata POST, then one PUT of the bytes to the session URL)', async () => {
    const bytes = randomBytes(3000);
    const delivered = await googleDriveOutput(config, { timeoutMs: 5000 }).deliver({ kind: 'googledrive' }, [await file('photo.png', bytes)], context());
    assert.deepEqual(fake.violations, []);
    const [token, open, put] = fake.requests;
    assert.equal(token?.url, '/token');
    assert.equal(open?.method, 'POST');
    assert.equal(open?.url, '/upload/drive/v3/files?uploadType=resumable&supportsAllDrives=true');
    assert.equal(open?.headers['x-upload-content-type'], 'image/png');
    assert.equal(open?.headers['x-upload-content-length'], '3000');
    assert.deepEqual(JSON.parse(open?.body.toString() ?? '{}'), { name: 'photo.png', parents: ['folder-77'] });
    assert.equal(put?.method, 'PUT');
    assert.ok(put?.body.equals(bytes));
    assert.deepEqual(delivered, { type: 'googledrive', place: { folder: 'folder-77' }, files: ['photo.png'], ids: ['file1'] });
  });

  it('contract test: when the second file is refused, the first is deleted (DELETE drive/v3/files/<id>)', async () => {
    fake.failUpload = { match: /^b\.png$/, status: 403, body: { error: { code: 403, message: 'The user has exceeded their Drive storage quota' } } };
    try {
      const files = [await file('a.png', Buffer.from('a')), await file('b.png', Buffer.from('b'))];
      await assert.rejects(googleDriveOutput(config, { timeoutMs: 5000 }).deliver({ kind: 'googledrive' }, files, context()), (e: Error) => /Google Drive is full or over its quota/.test(e.message));
      const deletion = fake.requests.find((r) => r.method === 'DELETE');
      assert.match(deletion?.url ?? '', /^\/drive\/v3\/files\/file\d+\?supportsAllDrives=true$/);
      assert.equal(fake.files.size, 1, 'only the file of the first test is left');
    } finally {
      fake.failUpload = undefined;
    }
  });
});

describe('cloud drives through the API', () => {
  let dropbox: DriveFake;
  let drive: DriveFake;
  let server: TestServer;
  before(async () => {
    dropbox = await startDropboxFake();
    drive = await startGoogleDriveFake();
    server = await startTestServer({
      env: {
        DROPBOX_ACCESS_TOKEN: dropbox.token,
        DROPBOX_API_URL: dropbox.baseUrl,
        DROPBOX_CONTENT_URL: dropbox.baseUrl,
        DROPBOX_FOLDER: '/converted',
        GOOGLEDRIVE_ACCESS_TOKEN: drive.token,
        GOOGLEDRIVE_API_URL: drive.baseUrl,
      },
    });
  });
  after(async () => {
    await server?.stop();
    await dropbox?.stop();
    await drive?.stop();
  });

  it('contract test: output=dropbox puts the file into the operator\'s folder and the status says where', async () => {
    const final = await convertRemote(server, { inputformat: 'svg', outputformat: 'png' }, { input: 'base64', file: SVG.toString('base64'), filename: 'logo.svg', output: 'dropbox' });
    assert.equal(final.body['step'], 'finished', JSON.stringify(final.body));
    assert.deepEqual((final.body['output'] as { storage: unknown }).storage, { type: 'dropbox', folder: '/converted', files: ['/converted/logo.png'] });
    assert.equal(dropbox.files.get('/converted/logo.png')?.subarray(1, 4).toString(), 'PNG');
    assert.deepEqual(dropbox.violations, []);
  });

  it('contract test: output=googledrive uploads to the operator\'s Drive and the status lists the file id', async () => {
    const final = await convertRemote(server, { inputformat: 'svg', outputformat: 'png' }, { input: 'base64', file: SVG.toString('base64'), filename: 'logo.svg', output: 'googledrive' });
    assert.equal(final.body['step'], 'finished', JSON.stringify(final.body));
    assert.deepEqual((final.body['output'] as { storage: unknown }).storage, { type: 'googledrive', files: ['logo.png'], ids: ['file1'] });
    assert.deepEqual(drive.violations, []);
  });

  it('lists the configured drives in GET /user', async () => {
    const user = await fetch(`${server.baseUrl}/user`, { headers: { authorization: `Bearer ${server.config.apiKeys?.[0] ?? ''}` } });
    assert.deepEqual(((await user.json()) as { output: string[] }).output, ['dropbox', 'googledrive']);
  });
});
