// The credentials a process needs for the user's S3 or FTP storage, kept in their own key
// beside the process record, never inside it: nothing built from a record (status, listings,
// logs, callbacks) can carry them. They go when the process ends, is deleted, or at the latest
// when their TTL runs out. In Redis they are sealed (AES-256-GCM, see ../secret-cipher.ts), so
// a dump, the AOF or a backup of Redis does not show them.
import { appError } from '../errors.js';
import type { KeyValueStore } from '../key-value.js';
import { hasSecrets, type ProcessSecrets } from '../remote/locations.js';
import { SecretCipher, SecretCipherError } from '../secret-cipher.js';

export class SecretStore {
  constructor(
    private readonly store: KeyValueStore,
    private readonly prefix: string,
    private readonly cipher: SecretCipher,
  ) {}

  private key(processId: string): string {
    return `${this.prefix}:secret:${processId}`;
  }

  /** Keeps `secrets` for `ttlSeconds`, sealed; a process without any stores nothing. */
  async put(processId: string, secrets: ProcessSecrets, ttlSeconds: number): Promise<void> {
    if (!hasSecrets(secrets)) return;
    const key = this.key(processId);
    await this.store.setWithTtl(key, this.cipher.seal(JSON.stringify(secrets), key), Math.max(1, Math.ceil(ttlSeconds)));
  }

  /**
   * The secrets of a process; empty when it has none or they expired. Throws SECRETS_UNREADABLE
   * (not retried: another attempt has the same keys) when this process's keys cannot open them.
   */
  async get(processId: string): Promise<ProcessSecrets> {
    const key = this.key(processId);
    const raw = await this.store.get(key);
    if (raw === undefined) return {};
    // Stored in plain JSON by a server before encryption at rest: read once during an upgrade.
    if (!SecretCipher.isSealed(raw)) return JSON.parse(raw) as ProcessSecrets;
    try {
      return JSON.parse(this.cipher.open(raw, key)) as ProcessSecrets;
    } catch (error) {
      if (!(error instanceof SecretCipherError)) throw error;
      throw appError(
        'SECRETS_UNREADABLE',
        `The storage credentials of this process cannot be decrypted by the worker (${error.reason}: ${error.message}). The API that stored them uses another SECRETS_KEY: the operator must give the API and every worker the same SECRETS_KEY (or let them share DATA_DIR/secrets-key). Start the process again afterwards.`,
        error,
      );
    }
  }

  async delete(processId: string): Promise<void> {
    await this.store.delete(this.key(processId));
  }
}
