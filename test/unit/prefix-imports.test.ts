// Imports of a prefix or folder, without a storage: the operations' checks and starts (the
// listing source as the fields say), and expandListing's naming, bounds and messages, with a
// fake lister (an in-memory list, named as such) standing in for the storages; the storages'
// own listings are in test/contract/cloud-storages.test.ts and test/integration/v2-prefix-imports.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../src/core/errors.js';
import type { ListingSource } from '../../src/core/remote/listings.js';
import { TRANSFER_FIELDS } from '../../src/core/v2/discovery-fields.js';
import { OPERATION_HANDLERS } from '../../src/core/v2/operations/index.js';
import { invalidFields } from '../helpers/v2-invalid-fields.js';
import { expandListing } from '../../workers/inputs/listing.js';
import type { InputListers, ListedObject } from '../../workers/inputs/types.js';

const STRICT = { allowPrivateUrls: false, commandEnabled: false, maxBytes: 1 << 20 };
const S3 = { bucket: 'b', access_key_id: 'AKIA', secret_access_key: 'S3cr3t' };
const AZURE = { storage_account: 'myaccount', container: 'box', storage_access_key: 'S3cr3tKey==' };
const SFTP = { host: 'sftp.example.com', username: 'u', password: 'Pw-Secret-1' };

const fieldsOf = invalidFields;
const sourceOf = (operation: keyof typeof OPERATION_HANDLERS, payload: Record<string, unknown>) => {
  const run = OPERATION_HANDLERS[operation].start(payload, []);
  assert.equal(run.kind, 'process');
  return run.kind === 'process' ? run.spec.source : undefined;
};

describe('prefix imports: operations', () => {
  it('accept the prefix or folder field instead of the object, and still name a missing both', () => {
    assert.deepEqual(fieldsOf(() => OPERATION_HANDLERS['import/s3'].check({ ...S3, key_prefix: 'in/' }, STRICT)), []);
    assert.deepEqual(fieldsOf(() => OPERATION_HANDLERS['import/azure/blob'].check({ ...AZURE, blob_prefix: 'in/' }, STRICT)), []);
    assert.deepEqual(fieldsOf(() => OPERATION_HANDLERS['import/sftp'].check({ ...SFTP, path: 'in/' }, STRICT)), []);
    assert.deepEqual(fieldsOf(() => OPERATION_HANDLERS['import/s3'].check(S3, STRICT)), ['key']);
    assert.deepEqual(fieldsOf(() => OPERATION_HANDLERS['import/google-cloud-storage'].check({ project_id: 'p', bucket: 'b', client_email: 'e@x', private_key: '-----BEGIN PRIVATE KEY-----\nx', file_prefix: '../up' }, STRICT)), ['file_prefix']);
    assert.deepEqual(fieldsOf(() => OPERATION_HANDLERS['import/sftp'].check({ ...SFTP, path: 'a/../../etc' }, STRICT)), ['path']);
  });

  it('are described in /v2/operations as supported', () => {
    const fields: Array<[keyof typeof TRANSFER_FIELDS, string]> = [['import/s3', 'key_prefix'], ['import/azure/blob', 'blob_prefix'], ['import/google-cloud-storage', 'file_prefix'], ['import/openstack', 'file_prefix'], ['import/sftp', 'path']];
    for (const [operation, name] of fields) {
      const field = TRANSFER_FIELDS[operation].find((f) => f.name === name);
      assert.ok(field !== undefined, `${operation} lists ${name}`);
      assert.doesNotMatch(String(field.description), /not supported/);
      assert.match(String(field.description), /at most 100/);
    }
  });

  it('start a listing of the place and prefix; the object field wins when both are given', () => {
    assert.deepEqual(sourceOf('import/s3', { bucket: 'b', key_prefix: 'in/' }), { kind: 'listing', place: { kind: 's3', bucket: 'b', region: 'us-east-1' }, prefix: 'in/' });
    assert.deepEqual(sourceOf('import/azure/blob', { storage_account: 'myaccount', container: 'box', blob_prefix: '/in/' }), { kind: 'listing', place: { kind: 'azure-blob', account: 'myaccount', container: 'box' }, prefix: 'in/' });
    assert.deepEqual(sourceOf('import/sftp', { host: 'h', port: '2222', path: 'drop' }), { kind: 'listing', place: { kind: 'sftp', host: 'h', port: 2222 }, prefix: 'drop' });
    assert.equal(sourceOf('import/s3', { bucket: 'b', key: 'one.txt', key_prefix: 'in/' })?.kind, 's3');
  });
});

/** A fake lister (in memory): every storage answers with `objects`, bounded by `limit` as the real ones are. */
function fakeListers(objects: readonly ListedObject[]): InputListers {
  const lister = { list: async (_place: unknown, prefix: string, limit: number) => objects.filter((o) => o.name.startsWith(prefix)).slice(0, limit) };
  return { s3: lister, sftp: lister, 'azure-blob': lister, gcs: lister, swift: lister };
}
const S3_LISTING: ListingSource = { kind: 'listing', place: { kind: 's3', bucket: 'bkt', region: 'us-east-1' }, prefix: 'p/' };
const context = (maxBytes = 1 << 20) => ({ signal: AbortSignal.timeout(10_000), maxBytes });
const failure = async (promise: Promise<unknown>): Promise<AppError> => {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
  return error;
};

describe('prefix imports: expandListing (fake lister)', () => {
  it('names each object after its last segment, safely and uniquely, and fetches it by its full name', async () => {
    const objects = ['p/a.txt', 'p/x/a.txt', 'p/../../etc/passwd', 'p/a/../../b', 'p/..', 'p/', 'p/A.TXT'].map((name) => ({ name, size: 1 }));
    const named = await expandListing(fakeListers(objects), S3_LISTING, context());
    assert.deepEqual(named.map((n) => n.filename), ['a.txt', 'a-2.txt', 'passwd', 'b', 'file-5', 'A-3.txt']);
    assert.deepEqual(named[2]?.source, { kind: 's3', bucket: 'bkt', region: 'us-east-1', key: 'p/../../etc/passwd' });
    for (const n of named) assert.equal(/[/\\]|^\.\.?$/.test(n.filename), false, n.filename);
  });

  it('fails naming the limit when there are too many objects or too many bytes, and the place when there are none', async () => {
    const many = Array.from({ length: 6 }, (_, i) => ({ name: `p/${i}.txt`, size: 10 }));
    const tooMany = await failure(expandListing(fakeListers(many), S3_LISTING, context(), 5));
    assert.equal(tooMany.code, 'TOO_LARGE');
    assert.match(tooMany.message, /more than 5 objects under prefix "p\/" in S3 bucket bkt/);
    assert.equal((await expandListing(fakeListers(many), S3_LISTING, context(), 6)).length, 6);
    const tooBig = await failure(expandListing(fakeListers(many), S3_LISTING, context(59)));
    assert.equal(tooBig.code, 'TOO_LARGE');
    assert.match(tooBig.message, /60 bytes together, more than the limit of 59 bytes/);
    const none = await failure(expandListing(fakeListers([{ name: 'p/', size: 0 }]), S3_LISTING, context()));
    assert.equal(none.code, 'INPUT_UNAVAILABLE');
    assert.match(none.message, /There is no object under prefix "p\/" in S3 bucket bkt/);
  });
});
