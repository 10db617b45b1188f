// The pure rules of user storage: where each output goes for a `path`, which paths are refused,
// secrets cut out of messages, and S3 failures as messages naming the field to fix.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkRemotePath, redact, s3Key, secretValues, targetPaths } from '../../src/core/remote/index.js';
import { explainS3Error } from '../../src/core/remote/s3-errors.js';

describe('targetPaths', () => {
  it('keeps each file name without a path', () => {
    assert.deepEqual(targetPaths(undefined, ['a.png']), ['a.png']);
    assert.deepEqual(targetPaths('', ['a-1.png', 'a-2.png']), ['a-1.png', 'a-2.png']);
  });
  it('puts files into a folder for a path ending in "/"', () => {
    assert.deepEqual(targetPaths('out/2024/', ['a-1.png', 'a-2.png']), ['out/2024/a-1.png', 'out/2024/a-2.png']);
    assert.deepEqual(targetPaths('/abs/', ['a.png']), ['/abs/a.png']);
  });
  it('uses the path itself for one file', () => {
    assert.deepEqual(targetPaths('out/final.png', ['a.png']), ['out/final.png']);
  });
  it('numbers several files next to a file path, each with its own extension', () => {
    assert.deepEqual(targetPaths('out/page.png', ['a-1.png', 'a-2.png', 'a-3.png']), ['out/page-1.png', 'out/page-2.png', 'out/page-3.png']);
    assert.deepEqual(targetPaths('thumbs', ['v-1.jpg', 'v-2.jpg']), ['thumbs-1.jpg', 'thumbs-2.jpg']);
  });

  it('numbers files printf style where the path has %d, even a single one', () => {
    assert.deepEqual(targetPaths('out/page-%d.png', ['a-1.png', 'a-2.png']), ['out/page-1.png', 'out/page-2.png']);
    assert.deepEqual(targetPaths('%d/p%d.png', ['a.png']), ['1/p1.png']);
  });
});

describe('checkRemotePath and s3Key', () => {
  it('accepts ordinary keys and paths', () => {
    for (const path of ['a.png', 'folder/a b.png', '/abs/x/', 'été/ü.png', 'a..b.png', '...png']) assert.equal(checkRemotePath(path, 'file'), path);
  });
  it('refuses . and .. segments, control characters, empty and over-long paths', () => {
    for (const path of ['..', '../a', 'a/..', 'a/../b', './a', 'a\\..\\b', 'a\nb', 'a\u007fb', '', 'x'.repeat(1025), 'a\ud800b']) {
      assert.throws(() => checkRemotePath(path, 'output[s3][path]'), (e: { code?: string; message?: string }) => e.code === 'INVALID_PARAMETER' && (e.message ?? '').includes('output[s3][path]'), JSON.stringify(path));
    }
  });
  it('drops leading slashes from S3 keys', () => {
    assert.equal(s3Key('/a/b.png'), 'a/b.png');
    assert.equal(s3Key('a/b.png'), 'a/b.png');
  });
});

describe('redact', () => {
  it('cuts every secret, also URL-encoded, and keeps the rest', () => {
    assert.equal(redact('login with p@ss/w0rd failed (p%40ss%2Fw0rd)', ['p@ss/w0rd']), 'login with [redacted] failed ([redacted])');
  });
  it('names what is secret: the S3 secret key and session token, the FTP password', () => {
    assert.deepEqual(secretValues({ kind: 's3', accessKeyId: 'id', secretAccessKey: 'sk', sessionToken: 'st' }), ['sk', 'st']);
    assert.deepEqual(secretValues({ kind: 'ftp', user: 'u', password: 'pw' }), ['pw']);
    assert.deepEqual(secretValues(undefined), []);
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n';
    const values = secretValues({ kind: 'sftp', user: 'u', password: 'pw', privateKey: key, passphrase: 'pp' });
    for (const v of ['pw', 'pp', key, 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ']) assert.ok(values.includes(v), v);
    assert.equal(redact('server said b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ', values), 'server said [redacted]');
  });
});

describe('explainS3Error', () => {
  const context = { direction: 'output', bucket: 'bkt', key: 'out/a.png', endpoint: '127.0.0.1:9000', secrets: ['TOPSECRET'] } as const;
  const s3 = (name: string, status: number, message = 'S3 says no') => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

  it('says which parameter to fix', () => {
    assert.match(explainS3Error(s3('NoSuchBucket', 404), context).message, /bucket "bkt" does not exist.*output\[s3\]\[bucket\]/);
    assert.match(explainS3Error(s3('InvalidAccessKeyId', 403), context).message, /output\[s3\]\[accesskeyid\]/);
    assert.match(explainS3Error(s3('SignatureDoesNotMatch', 403), context).message, /output\[s3\]\[secretaccesskey\]/);
    assert.match(explainS3Error(s3('AccessDenied', 403), context).message, /s3:PutObject/);
    assert.match(explainS3Error(s3('NoSuchKey', 404), { ...context, direction: 'input' }).message, /"out\/a.png" does not exist.*parameter file/);
    assert.match(explainS3Error(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), context).message, /could not reach 127.0.0.1:9000: the connection was refused/);
  });
  it('uses the codes of the direction: INPUT_UNAVAILABLE or OUTPUT_FAILED', () => {
    assert.equal(explainS3Error(s3('AccessDenied', 403), context).code, 'OUTPUT_FAILED');
    assert.equal(explainS3Error(s3('AccessDenied', 403), { ...context, direction: 'input' }).code, 'INPUT_UNAVAILABLE');
  });
  it('never repeats a secret that S3 echoed', () => {
    const message = explainS3Error(s3('WeirdError', 400, 'bad signature for key TOPSECRET'), context).message;
    assert.ok(!message.includes('TOPSECRET'), message);
    assert.match(message, /WeirdError/);
  });
});
