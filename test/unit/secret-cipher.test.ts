// The cipher of stored credentials (AES-256-GCM) and the store that uses it: a round trip, a
// fresh IV each time, every kind of tampering refused, another key refused with a clear error,
// rotation, and what the secret store keeps (sealed, never the plaintext) and says when it
// cannot open a value.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { AppError } from '../../src/core/errors.js';
import { SecretStore } from '../../src/core/process/secrets.js';
import { SecretCipher, SecretCipherError, secretKeyId, type SecretCipherFailure } from '../../src/core/secret-cipher.js';
import { MemoryKeyValue } from '../helpers/memory/key-value.js';

const PLAINTEXT = JSON.stringify({ input: { kind: 's3', accessKeyId: 'AKID', secretAccessKey: 'wJalr-very-secret' } });
const CONTEXT = 'cc:secret:process-1';

function refuses(open: () => unknown, reason: SecretCipherFailure): void {
  assert.throws(open, (e: unknown) => e instanceof SecretCipherError && e.reason === reason, reason);
}

/** `sealed` with one character of part `index` changed. */
function flip(sealed: string, index: number): string {
  const parts = sealed.split('.');
  const part = parts[index] ?? '';
  parts[index] = `${part[0] === 'A' ? 'B' : 'A'}${part.slice(1)}`;
  return parts.join('.');
}

describe('SecretCipher', () => {
  const key = randomBytes(32);
  const cipher = new SecretCipher([key]);

  it('opens what it sealed, and the sealed text does not contain the plaintext', () => {
    const sealed = cipher.seal(PLAINTEXT, CONTEXT);
    assert.equal(cipher.open(sealed, CONTEXT), PLAINTEXT);
    assert.ok(!sealed.includes('wJalr'), sealed);
    assert.match(sealed, /^v1\.[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/, 'version, key id, 12-byte IV, ciphertext, 16-byte tag');
    assert.equal(sealed.split('.')[1], secretKeyId(key));
    assert.ok(SecretCipher.isSealed(sealed) && !SecretCipher.isSealed(PLAINTEXT));
  });

  it('uses a fresh IV for each value', () => {
    const ivs = new Set(Array.from({ length: 50 }, () => cipher.seal(PLAINTEXT, CONTEXT).split('.')[2]));
    assert.equal(ivs.size, 50);
  });

  it('refuses a changed IV, ciphertext or tag, and a value moved to another key of Redis', () => {
    const sealed = cipher.seal(PLAINTEXT, CONTEXT);
    for (const part of [2, 3, 4]) refuses(() => cipher.open(flip(sealed, part), CONTEXT), 'tampered');
    refuses(() => cipher.open(sealed, 'cc:secret:process-2'), 'tampered');
  });

  it('refuses malformed values: another version, missing parts, a short tag', () => {
    const sealed = cipher.seal(PLAINTEXT, CONTEXT);
    refuses(() => cipher.open(sealed.replace(/^v1\./, 'v2.'), CONTEXT), 'malformed');
    refuses(() => cipher.open(sealed.split('.').slice(0, 4).join('.'), CONTEXT), 'malformed');
    refuses(() => cipher.open(sealed.slice(0, -4), CONTEXT), 'malformed');
  });

  it('refuses a value sealed with another key, naming the key ids', () => {
    const other = new SecretCipher([randomBytes(32)]);
    const sealed = other.seal(PLAINTEXT, CONTEXT);
    assert.throws(
      () => cipher.open(sealed, CONTEXT),
      (e: unknown) => e instanceof SecretCipherError && e.reason === 'unknown-key' && e.message.includes(other.keyId) && e.message.includes(cipher.keyId),
    );
  });

  it('refuses a value whose key id was rewritten to this key', () => {
    const other = new SecretCipher([randomBytes(32)]);
    const sealed = other.seal(PLAINTEXT, CONTEXT).split('.');
    sealed[1] = cipher.keyId;
    refuses(() => cipher.open(sealed.join('.'), CONTEXT), 'tampered');
  });

  it('rotates: the first key seals, every key opens', () => {
    const old = new SecretCipher([key]);
    const rotated = new SecretCipher([randomBytes(32), key]);
    const before = old.seal(PLAINTEXT, CONTEXT);
    assert.equal(rotated.open(before, CONTEXT), PLAINTEXT, 'values of the old key still open');
    const after = rotated.seal(PLAINTEXT, CONTEXT);
    assert.equal(after.split('.')[1], rotated.keyId);
    assert.notEqual(rotated.keyId, old.keyId);
    refuses(() => old.open(after, CONTEXT), 'unknown-key');
  });

  it('takes only keys of 32 bytes, at least one', () => {
    assert.throws(() => new SecretCipher([]));
    assert.throws(() => new SecretCipher([randomBytes(16)]));
  });
});

describe('SecretStore', () => {
  const secrets = { input: { kind: 'ftp', user: 'me', password: 'ftp-password-4242' }, output: { kind: 's3', accessKeyId: 'AKID', secretAccessKey: 's3-secret-4242' } } as const;

  it('keeps the secrets sealed, and gives them back', async () => {
    const kv = new MemoryKeyValue();
    const store = new SecretStore(kv, 'cc', new SecretCipher([randomBytes(32)]));
    await store.put('p1', secrets, 60);
    const kept = await kv.get('cc:secret:p1');
    assert.ok(kept !== undefined && SecretCipher.isSealed(kept), String(kept));
    assert.ok(!kept.includes('ftp-password-4242') && !kept.includes('s3-secret-4242') && !kept.includes('AKID'));
    assert.deepEqual(await store.get('p1'), secrets);
    assert.deepEqual(await store.get('p2'), {}, 'none stored');
  });

  it('reads plain JSON stored before encryption at rest (an upgrade with processes in flight)', async () => {
    const kv = new MemoryKeyValue();
    await kv.setWithTtl('cc:secret:old', JSON.stringify(secrets), 60);
    assert.deepEqual(await new SecretStore(kv, 'cc', new SecretCipher([randomBytes(32)])).get('old'), secrets);
  });

  it('fails with SECRETS_UNREADABLE, not retried, naming SECRETS_KEY, when its keys cannot open them', async () => {
    const kv = new MemoryKeyValue();
    await new SecretStore(kv, 'cc', new SecretCipher([randomBytes(32)])).put('p1', secrets, 60);
    const worker = new SecretStore(kv, 'cc', new SecretCipher([randomBytes(32)]));
    await assert.rejects(worker.get('p1'), (e: unknown) => e instanceof AppError && e.code === 'SECRETS_UNREADABLE' && !e.retryable && /SECRETS_KEY/.test(e.message) && /unknown-key/.test(e.message));
  });
});
