// One conformance suite run against every v2 object storage (workers/cloud): Azure Blob against
// Azurite (a real emulator that checks Shared Key signatures), Google Cloud Storage and OpenStack
// Swift against local fakes (test/helpers/gcs-fake.ts, swift-fake.ts) driving the real client code.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../src/core/errors.js';
import type { CloudInputSource, CloudOutputTarget, CloudSecret } from '../../src/core/remote/cloud-locations.js';
import { createLogger } from '../../src/runtime/index.js';
import { createInputAdapters, createInputListers, expandListing, fetchInputFile } from '../../workers/inputs/index.js';
import type { ListedPlace } from '../../src/core/remote/listings.js';
import { deliverOutputs, type OutputDeliverers } from '../../workers/outputs/index.js';
import { createOutputDeliverers } from '../../workers/outputs/index.js';
import type { RemoteSettings } from '../../workers/remote/settings.js';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite } from '../helpers/azurite.js';
import { GCS_CLIENT_EMAIL, GCS_PROJECT, startGcsFake } from '../helpers/gcs-fake.js';
import { startSwiftFake, SWIFT_PASSWORD, SWIFT_PROJECT, SWIFT_REGION, SWIFT_USER } from '../helpers/swift-fake.js';
import type { FileStore } from '../../src/core/storage/file-store.js';
import type { StorageConfig } from '../../src/config/storage.js';

type Place = Omit<CloudOutputTarget, 'name' | 'prefix'>;
interface Backend {
  readonly place: Place;
  readonly secret: CloudSecret;
  /** A secret that is wrong, whose secret values must never show. */
  readonly wrong: CloudSecret;
  readonly wrongValue: string;
  get(name: string): Promise<Buffer | undefined>;
  put(name: string, body: Buffer): Promise<void>;
  stop(): Promise<void>;
}

const BACKENDS: Record<string, () => Promise<Backend>> = {
  'Azure Blob Storage (Azurite)': async () => {
    const azurite = await startAzurite(['box']);
    const wrongValue = randomBytes(64).toString('base64');
    return {
      place: { kind: 'azure-blob', account: AZURITE_ACCOUNT, container: 'box', endpoint: azurite.endpoint },
      secret: { kind: 'azure-blob', accessKey: AZURITE_KEY },
      wrong: { kind: 'azure-blob', accessKey: wrongValue },
      wrongValue,
      get: (name) => azurite.getBlob('box', name),
      put: (name, body) => azurite.putBlob('box', name, body),
      stop: () => azurite.stop(),
    };
  },
  'Google Cloud Storage (local fake)': async () => {
    const fake = await startGcsFake(['box']);
    const { generateKeyPairSync } = await import('node:crypto');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
    return {
      place: { kind: 'gcs', projectId: GCS_PROJECT, bucket: 'box', endpoint: fake.endpoint, tokenUri: fake.tokenUri },
      secret: { kind: 'gcs', clientEmail: GCS_CLIENT_EMAIL, privateKey: fake.privateKey },
      wrong: { kind: 'gcs', clientEmail: GCS_CLIENT_EMAIL, privateKey: other },
      wrongValue: other.split('\n')[5] ?? other,
      get: async (name) => fake.get('box', name),
      put: async (name, body) => fake.put('box', name, body),
      stop: () => fake.stop(),
    };
  },
  'OpenStack Swift (local fake)': async () => {
    const fake = await startSwiftFake(['box']);
    return {
      place: { kind: 'swift', authUrl: fake.authUrl, region: SWIFT_REGION, container: 'box', tenantName: SWIFT_PROJECT },
      secret: { kind: 'swift', username: SWIFT_USER, password: SWIFT_PASSWORD },
      wrong: { kind: 'swift', username: SWIFT_USER, password: 'not-the-Password-77' },
      wrongValue: 'not-the-Password-77',
      get: async (name) => fake.get('box', name),
      put: async (name, body) => fake.put('box', name, body),
      stop: () => fake.stop(),
    };
  },
};

const SETTINGS: RemoteSettings = { allowPrivate: true, timeoutMs: 20_000, partSizeBytes: 8 * 1024 * 1024 };
const STORAGE = { drives: {}, remote: { timeoutMs: 20_000 } } as unknown as StorageConfig;
const log = createLogger('silent', 'test');
const failure = async (promise: Promise<unknown>): Promise<AppError> => {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
  return error;
};

for (const [title, start] of Object.entries(BACKENDS)) {
  describe(`v2 object storage conformance: ${title}`, { timeout: 240_000 }, () => {
    let backend: Backend;
    let dir: string;
    let deliverers: OutputDeliverers;
    const inputs = (settings = SETTINGS) => createInputAdapters({} as FileStore, { allowPrivate: settings.allowPrivate, timeoutMs: 20_000 } as never, settings);
    const local = async (name: string, bytes: Buffer) => {
      const file = path.join(dir, name);
      await writeFile(file, bytes);
      return { name, path: file, size: bytes.length };
    };
    const deliver = (target: CloudOutputTarget, files: Awaited<ReturnType<typeof local>>[], secret = backend.secret, via = deliverers) =>
      deliverOutputs(via, target, files, { signal: AbortSignal.timeout(60_000), secret, progress: () => undefined, log });
    const fetchTo = (name: string, destination: string, maxBytes = 1 << 30, secret = backend.secret) =>
      fetchInputFile(inputs(), { ...backend.place, name } as CloudInputSource, destination, { signal: AbortSignal.timeout(60_000), maxBytes, secret });

    before(async () => {
      backend = await start();
      dir = await mkdtemp(path.join(os.tmpdir(), 'oc-cloud-'));
      deliverers = createOutputDeliverers(STORAGE, SETTINGS);
    });
    after(async () => {
      await backend?.stop();
      await rm(dir, { recursive: true, force: true });
    });

    it('delivers several files as prefix + name and fetches one back byte for byte', async () => {
      const a = randomBytes(300_000);
      const b = Buffer.from('second file');
      const delivered = await deliver({ ...backend.place, prefix: 'out/run-' } as CloudOutputTarget, [await local('a.bin', a), await local('b.txt', b)]);
      assert.deepEqual(delivered.files, ['out/run-a.bin', 'out/run-b.txt']);
      assert.equal(JSON.stringify(delivered).includes(JSON.stringify(backend.secret).slice(20, 40)), false);
      assert.deepEqual(await backend.get('out/run-b.txt'), b);
      const back = path.join(dir, 'back.bin');
      assert.equal(await fetchTo('out/run-a.bin', back), a.length);
      const { readFile } = await import('node:fs/promises');
      assert.deepEqual(await readFile(back), a);
    });

    it('stores a single file under the exact name given', async () => {
      const delivered = await deliver({ ...backend.place, name: 'exact/name.png', prefix: 'ignored/' } as CloudOutputTarget, [await local('x.png', Buffer.from('png'))]);
      assert.deepEqual(delivered.files, ['exact/name.png']);
      assert.deepEqual(await backend.get('exact/name.png'), Buffer.from('png'));
    });

    it('refuses wrong credentials naming the storage, without echoing the secret', async () => {
      const error = await failure(deliver({ ...backend.place, name: 'no.txt' } as CloudOutputTarget, [await local('no.txt', Buffer.from('x'))], backend.wrong));
      assert.equal(error.code, 'OUTPUT_FAILED');
      assert.match(error.message, /refused the credentials for/);
      assert.match(error.message, /Azure Blob Storage|Google Cloud Storage|OpenStack Swift/);
      assert.equal(error.message.includes(backend.wrongValue), false, error.message);
      assert.equal(await backend.get('no.txt'), undefined);
    });

    it('says which object is missing', async () => {
      const error = await failure(fetchTo('missing/none.txt', path.join(dir, 'none')));
      assert.equal(error.code, 'INPUT_UNAVAILABLE');
      assert.match(error.message, /no object "missing\/none.txt"/);
      assert.equal(existsSync(path.join(dir, 'none')), false);
    });

    it('refuses an input over the size limit and leaves no partial file', async () => {
      await backend.put('big.bin', randomBytes(5000));
      const error = await failure(fetchTo('big.bin', path.join(dir, 'big'), 1000));
      assert.equal(error.code, 'TOO_LARGE');
      assert.equal(existsSync(path.join(dir, 'big')), false);
    });

    it('removes what it wrote when a later file fails (all or nothing)', async () => {
      const good = await local('good.txt', Buffer.from('good'));
      const gone = { name: 'gone.txt', path: path.join(dir, 'does-not-exist'), size: 10 };
      await failure(deliver({ ...backend.place, prefix: 'partial/' } as CloudOutputTarget, [good, gone]));
      assert.equal(await backend.get('partial/good.txt'), undefined);
    });

    const list = (prefix: string, limit = 100, secret = backend.secret, settings = SETTINGS) => {
      const place = backend.place as unknown as ListedPlace;
      const context = { signal: AbortSignal.timeout(60_000), maxBytes: 1 << 30, secret };
      return { listed: createInputListers(settings)[place.kind].list(place as never, prefix, limit, context), expanded: () => expandListing(createInputListers(settings), { kind: 'listing', place, prefix }, context) };
    };

    it('lists every object under a prefix across pages, without folder markers or objects outside it', async () => {
      for (const name of ['lst/a.txt', 'lst/b.txt', 'lst/c.txt', 'lst/sub/a.txt', 'lstx/out.txt', 'other/lst/d.txt']) await backend.put(name, Buffer.from(`body of ${name}`));
      await backend.put('lst/', Buffer.alloc(0));
      const listed = await list('lst/').listed;
      assert.deepEqual(listed.map((o) => o.name).sort(), ['lst/a.txt', 'lst/b.txt', 'lst/c.txt', 'lst/sub/a.txt']);
      assert.equal(listed.find((o) => o.name === 'lst/b.txt')?.size, 'body of lst/b.txt'.length);
      // Each becomes one input named after its last segment, the second a.txt kept apart.
      const named = await list('lst/').expanded();
      assert.deepEqual(named.map((n) => n.filename).sort(), ['a-2.txt', 'a.txt', 'b.txt', 'c.txt']);
      assert.equal((await list('lst/', 2).listed).length, 2, 'the limit bounds the listing');
    });

    it('an empty listing is a clear error naming the prefix and the place', async () => {
      assert.deepEqual(await list('nothing-here/').listed, []);
      const error = await failure(list('nothing-here/').expanded());
      assert.equal(error.code, 'INPUT_UNAVAILABLE');
      assert.match(error.message, /no object under prefix "nothing-here\/" in (Azure Blob Storage|Google Cloud Storage|OpenStack Swift)/);
    });

    it('refuses wrong credentials for a listing without echoing the secret, and a loopback endpoint when private addresses are not allowed', async () => {
      const error = await failure(list('lst/', 100, backend.wrong).listed);
      assert.equal(error.code, 'INPUT_UNAVAILABLE');
      assert.match(error.message, /refused the credentials for/);
      assert.equal(error.message.includes(backend.wrongValue), false, error.message);
      const guarded = await failure(list('lst/', 100, backend.secret, { ...SETTINGS, allowPrivate: false }).listed);
      assert.match(guarded.message, /private or loopback address/);
    });

    it('refuses a loopback endpoint unless the operator allows private addresses', async () => {
      const strict = createOutputDeliverers(STORAGE, { ...SETTINGS, allowPrivate: false });
      const error = await failure(deliver({ ...backend.place, name: 'p.txt' } as CloudOutputTarget, [await local('p.txt', Buffer.from('p'))], backend.secret, strict));
      assert.match(error.message, /private or loopback address/);
      assert.equal(await backend.get('p.txt'), undefined);
    });
  });
}

describe('storage-specific credentials and endpoints', { timeout: 240_000 }, () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-cloud-'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('Azure Blob (Azurite) takes a SAS token instead of the account key, and names a SAS that lacks the write permission', async () => {
    const { ContainerSASPermissions, generateBlobSASQueryParameters, StorageSharedKeyCredential } = await import('@azure/storage-blob');
    const azurite = await startAzurite(['sas']);
    try {
      const sas = (permissions: string) => generateBlobSASQueryParameters({ containerName: 'sas', permissions: ContainerSASPermissions.parse(permissions), expiresOn: new Date(Date.now() + 3_600_000) }, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY)).toString();
      const file = path.join(dir, 'sas.txt');
      await writeFile(file, 'via sas');
      const target = { kind: 'azure-blob', account: AZURITE_ACCOUNT, container: 'sas', endpoint: azurite.endpoint, name: 'in/sas.txt' } as CloudOutputTarget;
      const context = (token: string) => ({ signal: AbortSignal.timeout(60_000), secret: { kind: 'azure-blob', sasToken: token } as CloudSecret, progress: () => undefined, log });
      await deliverOutputs(createOutputDeliverers(STORAGE, SETTINGS), target, [{ name: 'sas.txt', path: file, size: 7 }], context(`?${sas('rcw')}`));
      assert.deepEqual(await azurite.getBlob('sas', 'in/sas.txt'), Buffer.from('via sas'));
      const readOnly = sas('r');
      const error = await failure(deliverOutputs(createOutputDeliverers(STORAGE, SETTINGS), { ...target, name: 'in/no.txt' } as CloudOutputTarget, [{ name: 'sas.txt', path: file, size: 7 }], context(readOnly)));
      assert.match(error.message, /Azure Blob Storage refused the credentials for account devstoreaccount1: HTTP 403/);
      assert.equal(error.message.includes(readOnly.split('sig=')[1] ?? readOnly), false);
    } finally {
      await azurite.stop();
    }
  });

  it('OpenStack Swift (local fake): a region the catalog lacks is named with the ones it has', async () => {
    const fake = await startSwiftFake(['box']);
    try {
      const source = { kind: 'swift', authUrl: `${fake.authUrl}/v3`, region: 'Mars', container: 'box', name: 'a.txt' } as CloudInputSource;
      const error = await failure(fetchInputFile(createInputAdapters({} as FileStore, {} as never, SETTINGS), source, path.join(dir, 'a'), { signal: AbortSignal.timeout(60_000), maxBytes: 1000, secret: { kind: 'swift', username: SWIFT_USER, password: SWIFT_PASSWORD } }));
      assert.match(error.message, /no public object-store endpoint in region Mars \(regions: RegionOne\)/);
    } finally {
      await fake.stop();
    }
  });
});
