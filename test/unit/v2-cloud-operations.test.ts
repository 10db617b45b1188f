// The creation-time checks and the start of the Azure Blob, GCS and OpenStack operations: each
// bad field named, credentials moved out of the stored payload, private endpoints refused unless
// allowed, and the process's source/target as the fields say.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OPERATION_HANDLERS } from '../../src/core/v2/operations/index.js';
import { invalidFields } from '../helpers/v2-invalid-fields.js';
import type { InputTaskFile } from '../../src/core/v2/operations/index.js';
import { cloudObjectNames } from '../../src/core/remote/cloud-locations.js';

const STRICT = { allowPrivateUrls: false, commandEnabled: false, maxBytes: 1 << 20 };
const LOOSE = { allowPrivateUrls: true, commandEnabled: false, maxBytes: 1 << 20 };
const AZURE = { storage_account: 'myaccount', container: 'box', storage_access_key: 'S3cr3tKey==' };
const fieldsOf = invalidFields;
const FILES: InputTaskFile[] = [{ filename: 'a.png', size: 1, key: 'k/a.png', task: 'in' } as InputTaskFile, { filename: 'b.png', size: 1, key: 'k/b.png', task: 'in' } as InputTaskFile];

describe('v2 cloud storage operations', () => {
  it('names every missing or bad field', () => {
    assert.deepEqual(fieldsOf(() => OPERATION_HANDLERS['import/azure/blob'].check({ storage_account: 'Bad_Name', container: 'x' }, STRICT)), ['blob', 'container', 'storage_access_key', 'storage_account']);
    assert.deepEqual(fieldsOf(() => OPERATION_HANDLERS['export/azure/blob'].check({ ...AZURE, sas_token: 'sv=1' }, STRICT)), ['sas_token']);
    assert.deepEqual(fieldsOf(() => OPERATION_HANDLERS['import/google-cloud-storage'].check({ private_key: 'nope' }, STRICT)), ['bucket', 'client_email', 'file', 'private_key', 'project_id']);
    assert.deepEqual(fieldsOf(() => OPERATION_HANDLERS['export/openstack'].check({ container: 'a/b', file: '../x' }, STRICT)), ['auth_url', 'container', 'file', 'password', 'username']);
  });

  it('refuses a private or loopback endpoint unless the operator allows it', () => {
    const payload = { auth_url: 'http://127.0.0.1:5000', username: 'u', password: 'p', container: 'c', file: 'f.txt' };
    assert.deepEqual(fieldsOf(() => OPERATION_HANDLERS['import/openstack'].check(payload, STRICT)), ['auth_url']);
    assert.deepEqual(fieldsOf(() => OPERATION_HANDLERS['import/openstack'].check(payload, LOOSE)), []);
    assert.deepEqual(fieldsOf(() => OPERATION_HANDLERS['export/azure/blob'].check({ ...AZURE, endpoint: 'http://10.0.0.5/acc' }, STRICT)), ['endpoint']);
  });

  it('takes a custom GCS endpoint only where the operator allows private addresses (its client library follows redirects past the guard)', () => {
    const gcs = { project_id: 'p', bucket: 'b', client_email: 'e@x.iam.gserviceaccount.com', private_key: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n', file: 'a.png' };
    assert.deepEqual(fieldsOf(() => OPERATION_HANDLERS['import/google-cloud-storage'].check({ ...gcs, endpoint: 'https://storage.example.com' }, STRICT)), ['endpoint']);
    assert.deepEqual(fieldsOf(() => OPERATION_HANDLERS['import/google-cloud-storage'].check({ ...gcs, endpoint: 'https://storage.example.com' }, LOOSE)), []);
    assert.deepEqual(fieldsOf(() => OPERATION_HANDLERS['import/google-cloud-storage'].check(gcs, STRICT)), []);
  });

  it('moves the credentials out of the stored payload', () => {
    const checked = OPERATION_HANDLERS['import/azure/blob'].check({ ...AZURE, blob: 'in/a.svg' }, STRICT);
    assert.equal(JSON.stringify(checked.payload).includes('S3cr3tKey'), false);
    assert.deepEqual(checked.secrets, { input: { kind: 'azure-blob', accessKey: 'S3cr3tKey==' } });
    const gcs = OPERATION_HANDLERS['export/google-cloud-storage'].check({ project_id: 'p', bucket: 'b', client_email: 'e@x', private_key: '-----BEGIN PRIVATE KEY-----\nx' }, STRICT);
    assert.equal('private_key' in gcs.payload, false);
    assert.equal(gcs.secrets?.output?.kind, 'gcs');
  });

  it('starts an import from the named object and an export by name or prefix', () => {
    const run = OPERATION_HANDLERS['import/azure/blob'].start({ storage_account: 'myaccount', container: 'box', blob: 'in/a.svg' }, []);
    assert.equal(run.kind, 'process');
    if (run.kind !== 'process') return;
    assert.deepEqual(run.spec.source, { kind: 'azure-blob', name: 'in/a.svg', account: 'myaccount', container: 'box' });
    assert.equal(run.spec.filename, 'a.svg');
    const out = OPERATION_HANDLERS['export/openstack'].start({ auth_url: 'https://keystone.example.com', container: 'c', file_prefix: 'run-' }, FILES);
    assert.ok(out.kind === 'process' && out.spec.outputTarget?.kind === 'swift');
    assert.deepEqual(cloudObjectNames({ prefix: 'run-' }, ['a.png', 'b.png']), ['run-a.png', 'run-b.png']);
    assert.deepEqual(cloudObjectNames({ name: 'x.png', prefix: 'p/' }, ['a.png']), ['x.png']);
    assert.deepEqual(cloudObjectNames({ name: 'x.png' }, ['a.png', 'b.png']), ['a.png', 'b.png']);
  });
});
