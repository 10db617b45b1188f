// The keys that seal stored credentials: SECRETS_KEY, or else a key generated once into
// DATA_DIR/secrets-key, so `npm start` (and API and workers sharing DATA_DIR, as in compose)
// needs no configuration. Separate machines that do not share DATA_DIR need the same SECRETS_KEY:
// a worker that cannot open a process's credentials fails it naming SECRETS_KEY (secrets.ts).
// Read once at start, synchronously, before anything is served.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createFileOnce } from './create-once.js';
import path from 'node:path';
import type { Config } from '../config/index.js';
import { decodeSecretsKey } from '../config/secrets-key.js';
import { SECRET_KEY_BYTES, SecretCipher } from '../core/secret-cipher.js';

export interface SecretsKeyring {
  readonly cipher: SecretCipher;
  /** Where the keys came from: `SECRETS_KEY`, or the key file's path. */
  readonly source: string;
  /** True when this start created the key file. */
  readonly generated: boolean;
}

export const secretsKeyFile = (dataDir: string): string => path.join(dataDir, 'secrets-key');

function readKeyFile(file: string): Buffer | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`The secrets key file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}). Fix its permissions, or set SECRETS_KEY.`, { cause: error });
  }
  const key = decodeSecretsKey(text.trim());
  if (key === undefined) throw new Error(`The secrets key file ${file} does not hold a key of ${SECRET_KEY_BYTES} bytes (hex or base64). Set SECRETS_KEY, or remove the file to generate a new key (credentials stored under the old one can then no longer be read).`);
  return key;
}

/** Writes `key` to `file` unless it exists; the loser of a race reads the winner's key. Returns the key now in the file. */
export function createKeyFile(file: string, key: Buffer): { key: Buffer; created: boolean } {
  const created = createFileOnce(file, `${key.toString('base64')}\n`);
  if (created) return { key, created };
  const winner = readKeyFile(file);
  if (winner === undefined) throw new Error(`The secrets key file ${file} vanished while it was created`);
  return { key: winner, created };
}

export function loadSecretsKeyring(config: Config): SecretsKeyring {
  if (config.secretsKeys !== undefined) return { cipher: new SecretCipher(config.secretsKeys.map((key) => Buffer.from(key, 'base64'))), source: 'SECRETS_KEY', generated: false };
  const file = secretsKeyFile(config.dataDir);
  const existing = readKeyFile(file);
  if (existing !== undefined) return { cipher: new SecretCipher([existing]), source: file, generated: false };
  let made: { key: Buffer; created: boolean };
  try {
    made = createKeyFile(file, randomBytes(SECRET_KEY_BYTES));
  } catch (error) {
    throw new Error(`SECRETS_KEY is not set and the key file ${file} cannot be created (${(error as Error).message}). Set SECRETS_KEY (${SECRET_KEY_BYTES} bytes, e.g. openssl rand -base64 32), or make DATA_DIR writable.`, { cause: error });
  }
  return { cipher: new SecretCipher([made.key]), source: file, generated: made.created };
}

/** What an API-only or worker-only start should say about its key: a reminder when it is a local file. */
export function secretsKeyNotice(keyring: SecretsKeyring): string | undefined {
  if (keyring.source === 'SECRETS_KEY') return undefined;
  return `SECRETS_KEY is not set: stored S3/FTP credentials are sealed with the key in ${keyring.source}${keyring.generated ? ' (generated now)' : ''}. API and workers must share it (the same DATA_DIR) or all get the same SECRETS_KEY.`;
}
