// The credentials a process needs for the user's S3 or FTP storage, kept in their own key
// beside the process record, never inside it: nothing built from a record (status, listings,
// logs, callbacks) can carry them. They go when the process ends, is deleted, or at the latest
// when their TTL runs out.
import type { KeyValueStore } from '../key-value.js';
import type { ProcessSecrets } from '../remote/locations.js';

export class SecretStore {
  constructor(
    private readonly store: KeyValueStore,
    private readonly prefix: string,
  ) {}

  private key(processId: string): string {
    return `${this.prefix}:secret:${processId}`;
  }

  /** Keeps `secrets` for `ttlSeconds`; a process without any stores nothing. */
  async put(processId: string, secrets: ProcessSecrets, ttlSeconds: number): Promise<void> {
    if (secrets.input === undefined && secrets.output === undefined) return;
    await this.store.setWithTtl(this.key(processId), JSON.stringify(secrets), Math.max(1, Math.ceil(ttlSeconds)));
  }

  /** The secrets of a process; empty when it has none or they expired. */
  async get(processId: string): Promise<ProcessSecrets> {
    const raw = await this.store.get(this.key(processId));
    return raw === undefined ? {} : (JSON.parse(raw) as ProcessSecrets);
  }

  async delete(processId: string): Promise<void> {
    await this.store.delete(this.key(processId));
  }
}
