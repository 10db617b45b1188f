// The SFTP rules shared by both dialects: host key pins and private keys as accepted, and the
// match of a server's host key against a pin in SHA256 and MD5 form.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { hostKeyMatches, hostKeyProblem, privateKeyProblem } from '../../src/core/remote/index.js';

const KEY = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIOm1xq2e0pH1fW0a7t0q6x4oFdGQ1zLkY3P3b2b2b2b2', 'base64');
const sha = `SHA256:${createHash('sha256').update(KEY).digest('base64').replace(/=+$/, '')}`;
const md5 = createHash('md5').update(KEY).digest('hex');

describe('SFTP host keys', () => {
  it('accepts OpenSSH SHA256 and MD5 fingerprints, refuses anything else with how to get one', () => {
    assert.equal(hostKeyProblem(sha), undefined);
    assert.equal(hostKeyProblem(`${sha}=`), undefined);
    assert.equal(hostKeyProblem(md5.match(/../g)?.join(':') ?? ''), undefined);
    assert.equal(hostKeyProblem(`MD5:${md5}`), undefined);
    assert.match(hostKeyProblem('abc') ?? '', /ssh-keygen -l -E sha256/);
    assert.notEqual(hostKeyProblem('SHA256:short'), undefined);
  });

  it('matches the server key against the pin', () => {
    assert.ok(hostKeyMatches(KEY, sha));
    assert.ok(hostKeyMatches(KEY, md5.toUpperCase().match(/../g)?.join(':') ?? ''));
    assert.ok(!hostKeyMatches(Buffer.concat([KEY, Buffer.from([1])]), sha));
    assert.ok(!hostKeyMatches(KEY, `MD5:${'0'.repeat(32)}`));
  });

  it('takes private keys in OpenSSH or PEM form only', () => {
    assert.equal(privateKeyProblem('-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n'), undefined);
    assert.equal(privateKeyProblem('-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----'), undefined);
    assert.match(privateKeyProblem('ssh-ed25519 AAAA... user@host') ?? '', /OpenSSH or PEM/);
  });
});
