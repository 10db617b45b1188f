// Authenticated encryption of the credentials kept in Redis (AES-256-GCM), so a Redis dump, its
// AOF or a backup shows no S3 secret or FTP password. Pure: keys come in, nothing is read here.
//
// A sealed value is `v1.<key id>.<iv>.<ciphertext>.<tag>` (base64url parts): a fresh 12-byte IV
// per value, the 16-byte tag, and the id of the key that sealed it, so several keys can be held
// during a rotation (the first seals, every one opens). The version, the key id and a context
// (the Redis key) are authenticated too: a value copied to another process's key does not open.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
export const SECRET_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export const SECRET_CIPHER_FAILURES = ['malformed', 'unknown-key', 'tampered'] as const;
export type SecretCipherFailure = (typeof SECRET_CIPHER_FAILURES)[number];

/** A sealed value that cannot be opened with the keys at hand; `reason` says why. */
export class SecretCipherError extends Error {
  constructor(
    readonly reason: SecretCipherFailure,
    message: string,
  ) {
    super(message);
    this.name = 'SecretCipherError';
  }
}

/** A short, non-secret name of a key (8 characters of a hash of it), written into each sealed value. */
export const secretKeyId = (key: Buffer): string => createHash('sha256').update('openconvert secrets key id\0').update(key).digest('base64url').slice(0, 8);

const authenticated = (keyId: string, context: string): Buffer => Buffer.from(`${VERSION}.${keyId}.${context}`, 'utf8');

export class SecretCipher {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly sealingKey: Buffer;
  /** The id of the key new values are sealed with. */
  readonly keyId: string;

  /** `keys[0]` seals; all of them open. Each key is 32 random bytes. */
  constructor(keys: readonly Buffer[]) {
    const [first] = keys;
    if (first === undefined) throw new Error('SecretCipher needs at least one key');
    for (const key of keys) if (key.length !== SECRET_KEY_BYTES) throw new Error(`a secrets key has ${SECRET_KEY_BYTES} bytes, got ${key.length}`);
    this.keys = new Map(keys.map((key) => [secretKeyId(key), key]));
    this.sealingKey = first;
    this.keyId = secretKeyId(first);
  }

  /** Whether `text` looks like a value this cipher sealed (of any key). */
  static isSealed(text: string): boolean {
    return text.startsWith(`${VERSION}.`);
  }

  /** Encrypts `plaintext`, bound to `context` (which must be given again to open it). */
  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.sealingKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(authenticated(this.keyId, context));
    const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.keyId, iv.toString('base64url'), sealed.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  /** The plaintext of a sealed value; throws SecretCipherError when it cannot be trusted or read. */
  open(text: string, context: string): string {
    const parts = text.split('.');
    const [version, keyId = '', iv = '', sealed = '', tag = ''] = parts;
    if (parts.length !== 5 || version !== VERSION) throw new SecretCipherError('malformed', `not a sealed value of version ${VERSION}`);
    const key = this.keys.get(keyId);
    if (key === undefined) throw new SecretCipherError('unknown-key', `sealed with key ${keyId}, which is not among this process's keys (${[...this.keys.keys()].join(', ')})`);
    const ivBytes = Buffer.from(iv, 'base64url');
    const tagBytes = Buffer.from(tag, 'base64url');
    if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) throw new SecretCipherError('malformed', 'the IV or the tag has the wrong length');
    try {
      const decipher = createDecipheriv(ALGORITHM, key, ivBytes, { authTagLength: TAG_BYTES });
      decipher.setAAD(authenticated(keyId, context));
      decipher.setAuthTag(tagBytes);
      return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretCipherError('tampered', `does not match its authentication tag under key ${keyId}: it was changed, moved from another key, or sealed with another key of the same id`);
    }
  }
}
