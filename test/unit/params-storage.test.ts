// The storage objects of the wire (input/output s3 and ftp, cloud drive names) into typed
// sources, targets and secrets, and every refusal with the field it names.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { outputRequest, storageInput } from '../../src/api/params/storage.js';
import { mergeParams, toStartParams } from '../../src/api/params/normalize.js';
import { parseQueryString } from '../../src/api/params/body.js';

const S3 = { accesskeyid: 'AKID', secretaccesskey: 'shh', bucket: 'my.bucket' };
const FTP = { host: 'ftp.example.com', user: 'me', password: 'pw' };

function throws(fn: () => unknown, code: string, message?: RegExp): void {
  assert.throws(fn, (e: { code?: string; message?: string }) => e.code === code && (message === undefined || message.test(e.message ?? '')));
}

describe('storageInput', () => {
  it('reads {s3: {...}} with file as the key, us-east-1 by default, the secret apart', () => {
    const parsed = storageInput({ input: { s3: S3 }, file: 'in/photo.png' }, 's3');
    assert.deepEqual(parsed.source, { kind: 's3', key: 'in/photo.png', bucket: 'my.bucket', region: 'us-east-1' });
    assert.deepEqual(parsed.secret, { kind: 's3', accessKeyId: 'AKID', secretAccessKey: 'shh' });
  });

  it('reads input=s3 with a top-level s3 object, a session token, a region and an endpoint', () => {
    const parsed = storageInput({ input: 's3', s3: { ...S3, sessiontoken: 'tok', region: 'eu-west-1', endpoint: 'http://minio.local:9000/' }, file: '/a.png' }, 's3');
    assert.deepEqual(parsed.source, { kind: 's3', key: 'a.png', bucket: 'my.bucket', region: 'eu-west-1', endpoint: 'http://minio.local:9000' });
    assert.equal(parsed.secret.kind === 's3' && parsed.secret.sessionToken, 'tok');
  });

  it('matches field names without regard to case (accessKeyId)', () => {
    const parsed = storageInput({ input: { S3: { accessKeyId: 'A', secretAccessKey: 'B', Bucket: 'bkt' } }, file: 'x' }, 's3');
    assert.equal(parsed.source.kind === 's3' && parsed.source.bucket, 'bkt');
  });

  it('reads ftp with port 21 and no TLS by default, secure=true as explicit FTPS', () => {
    assert.deepEqual(storageInput({ input: { ftp: FTP }, file: 'dir/a.doc' }, 'ftp').source, { kind: 'ftp', path: 'dir/a.doc', host: 'ftp.example.com', port: 21, secure: 'none' });
    const tls = storageInput({ input: { ftp: { ...FTP, port: '2121', secure: 'true' } }, file: 'a' }, 'ftp').source;
    assert.equal(tls.kind === 'ftp' && `${tls.port} ${tls.secure}`, '2121 explicit');
    assert.deepEqual(storageInput({ input: { ftp: FTP }, file: 'a' }, 'ftp').secret, { kind: 'ftp', user: 'me', password: 'pw' });
  });

  it('parses the PHP-bracket form of the wire', () => {
    const params = mergeParams(parseQueryString('input[s3][accesskeyid]=A&input[s3][secretaccesskey]=B&input[s3][bucket]=bkt&file=k.png'), {});
    assert.equal(toStartParams(params).storageInput?.source.kind, 's3');
  });

  it('refuses what is missing or malformed, naming the field', () => {
    throws(() => storageInput({ input: 's3', file: 'a' }, 's3'), 'MISSING_PARAMETER', /input\[s3\]/);
    throws(() => storageInput({ input: { s3: S3 } }, 's3'), 'MISSING_PARAMETER', /parameter file/);
    throws(() => storageInput({ input: { s3: { ...S3, bucket: undefined } }, file: 'a' }, 's3'), 'MISSING_PARAMETER', /input\[s3\]\[bucket\]/);
    throws(() => storageInput({ input: { s3: { ...S3, secretaccesskey: '' } }, file: 'a' }, 's3'), 'MISSING_PARAMETER', /secretaccesskey/);
    throws(() => storageInput({ input: { s3: { ...S3, region: 'eu west' } }, file: 'a' }, 's3'), 'INVALID_PARAMETER', /region/);
    throws(() => storageInput({ input: { s3: { ...S3, endpoint: 'ftp://x' } }, file: 'a' }, 's3'), 'INVALID_PARAMETER', /endpoint/);
    throws(() => storageInput({ input: { s3: { ...S3, endpoint: 'http://u:p@x' } }, file: 'a' }, 's3'), 'INVALID_PARAMETER', /endpoint/);
    throws(() => storageInput({ input: { ftp: { ...FTP, port: 70000 } }, file: 'a' }, 'ftp'), 'INVALID_PARAMETER', /port/);
    throws(() => storageInput({ input: { ftp: { ...FTP, host: 'a b' } }, file: 'a' }, 'ftp'), 'INVALID_PARAMETER', /host/);
    throws(() => storageInput({ input: { ftp: { ...FTP, secure: 'maybe' } }, file: 'a' }, 'ftp'), 'INVALID_PARAMETER', /secure/);
    throws(() => toStartParams({ input: { s3: S3, ftp: FTP }, file: 'a' }), 'INVALID_PARAMETER', /exactly one storage/);
  });

  it('refuses path traversal and control characters in file', () => {
    for (const file of ['../etc/passwd', 'a/../../b', 'a/./b', '..\\x', 'a\r\nDELE b', 'a\u0000b']) {
      throws(() => storageInput({ input: { ftp: FTP }, file }, 'ftp'), 'INVALID_PARAMETER', /parameter file/);
    }
  });
});

describe('outputRequest', () => {
  it('is undefined without output', () => {
    assert.equal(outputRequest({}), undefined);
  });

  it('reads {s3: {...}} with path and acl; without acl none is sent (private)', () => {
    const parsed = outputRequest({ output: { s3: { ...S3, path: 'out/', acl: 'Public-Read' } } });
    assert.deepEqual(parsed?.target, { kind: 's3', bucket: 'my.bucket', region: 'us-east-1', acl: 'public-read', path: 'out/' });
    assert.equal(outputRequest({ output: { s3: S3 } })?.target.kind === 's3' && 'acl' in (outputRequest({ output: { s3: S3 } })?.target ?? {}), false);
  });

  it('reads output=ftp with a top-level ftp object (the same one input=ftp uses)', () => {
    const parsed = outputRequest({ output: 'ftp', ftp: { ...FTP, path: '/up/result.png' } });
    assert.deepEqual(parsed?.target, { kind: 'ftp', host: 'ftp.example.com', port: 21, secure: 'none', path: '/up/result.png' });
  });

  it('accepts the six canned ACLs and nothing else', () => {
    for (const acl of ['private', 'public-read', 'public-read-write', 'authenticated-read', 'bucket-owner-read', 'bucket-owner-full-control']) {
      assert.equal(outputRequest({ output: { s3: { ...S3, acl } } })?.target.kind, 's3');
    }
    throws(() => outputRequest({ output: { s3: { ...S3, acl: 'public' } } }), 'INVALID_PARAMETER', /Valid values: private, public-read/);
  });

  it('refuses traversal in path', () => {
    throws(() => outputRequest({ output: { s3: { ...S3, path: 'a/../../b/' } } }), 'INVALID_PARAMETER', /output\[s3\]\[path\]/);
    throws(() => outputRequest({ output: { ftp: { ...FTP, path: '../x.png' } } }), 'INVALID_PARAMETER', /output\[ftp\]\[path\]/);
  });

  it('names dropbox and googledrive as targets (the config decides later), refuses onedrive and box', () => {
    assert.deepEqual(outputRequest({ output: 'dropbox' }), { target: { kind: 'dropbox' } });
    assert.deepEqual(outputRequest({ output: { dropbox: { path: 'reports/' } } }), { target: { kind: 'dropbox', path: 'reports/' } });
    assert.deepEqual(outputRequest({ output: 'GoogleDrive' }), { target: { kind: 'googledrive' } });
    throws(() => outputRequest({ output: 'onedrive' }), 'INVALID_PARAMETER', /does not link users' cloud drives/);
    throws(() => outputRequest({ output: 'box' }), 'INVALID_PARAMETER', /does not link users' cloud drives/);
    throws(() => outputRequest({ output: 'azure' }), 'NOT_SUPPORTED_YET');
    throws(() => outputRequest({ output: 'tape' }), 'INVALID_PARAMETER', /Valid values: s3, ftp/);
    throws(() => outputRequest({ output: 's3' }), 'MISSING_PARAMETER', /output\[s3\]/);
  });
});

describe('sftp storage objects', () => {
  const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n';
  const PIN = 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU';

  it('reads port 22 by default, user or username, a password or a private key, and the host key pin under its three names', () => {
    const parsed = storageInput({ input: { sftp: { host: 'sftp.example.com', user: 'me', password: 'pw' } }, file: 'in/a.png' }, 'sftp');
    assert.deepEqual(parsed.source, { kind: 'sftp', path: 'in/a.png', host: 'sftp.example.com', port: 22 });
    assert.deepEqual(parsed.secret, { kind: 'sftp', user: 'me', password: 'pw' });
    for (const name of ['host_key', 'hostKey', 'fingerprint']) {
      const pinned = storageInput({ input: 'sftp', sftp: { host: 'h', port: '2222', username: 'me', private_key: KEY, [name]: PIN }, file: 'a' }, 'sftp');
      assert.deepEqual(pinned.source, { kind: 'sftp', path: 'a', host: 'h', port: 2222, hostKey: PIN });
      assert.deepEqual(pinned.secret, { kind: 'sftp', user: 'me', privateKey: KEY });
    }
    const out = outputRequest({ output: { sftp: { host: 'h', user: 'me', privatekey: KEY, passphrase: 'pp', path: 'out/' } } });
    assert.deepEqual(out?.target, { kind: 'sftp', host: 'h', port: 22, path: 'out/' });
    assert.deepEqual(out?.secret, { kind: 'sftp', user: 'me', privateKey: KEY, passphrase: 'pp' });
  });

  it('refuses a login without password or key, a malformed key or pin, and traversal, naming the field', () => {
    throws(() => storageInput({ input: { sftp: { host: 'h', user: 'me' } }, file: 'a' }, 'sftp'), 'MISSING_PARAMETER', /input\[sftp\]\[password\] or input\[sftp\]\[private_key\]/);
    throws(() => storageInput({ input: { sftp: { host: 'h', user: 'me', private_key: 'ssh-ed25519 AAAA' } }, file: 'a' }, 'sftp'), 'INVALID_PARAMETER', /input\[sftp\]\[private_key\]/);
    throws(() => storageInput({ input: { sftp: { host: 'h', user: 'me', password: 'p', fingerprint: 'aa' } }, file: 'a' }, 'sftp'), 'INVALID_PARAMETER', /input\[sftp\]\[fingerprint\]/);
    throws(() => outputRequest({ output: { sftp: { host: 'h', user: 'me', password: 'p', path: '../x' } } }), 'INVALID_PARAMETER', /output\[sftp\]\[path\]/);
    throws(() => storageInput({ input: { sftp: { host: 'h', password: 'p' } }, file: 'a' }, 'sftp'), 'MISSING_PARAMETER', /input\[sftp\]\[username\]/);
  });
});
