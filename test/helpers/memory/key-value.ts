// KeyValueStore in memory, for the fast API tests: the same observable behaviour as the Redis one
// (absent and expired read the same, counters start at 0, TTLs measured on the wall clock).
import type { KeyValueStore } from '../../../src/core/key-value.js';

interface Entry {
  value: string | Map<string, string>;
  /** Date.now() after which the entry is gone; undefined: kept. */
  expiresAt: number | undefined;
}

export class MemoryKeyValue implements KeyValueStore {
  private readonly entries = new Map<string, Entry>();

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private hash(key: string, create: boolean): Map<string, string> | undefined {
    const entry = this.live(key);
    if (entry !== undefined && typeof entry.value === 'string') throw new Error(`WRONGTYPE: ${key} holds a string`);
    if (entry !== undefined || !create) return entry?.value as Map<string, string> | undefined;
    const fields = new Map<string, string>();
    this.entries.set(key, { value: fields, expiresAt: undefined });
    return fields;
  }

  private string(key: string): string | undefined {
    const value = this.live(key)?.value;
    if (value !== undefined && typeof value !== 'string') throw new Error(`WRONGTYPE: ${key} holds a hash`);
    return value;
  }

  async get(key: string): Promise<string | undefined> {
    return this.string(key);
  }

  async setWithTtl(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: Date.now() + ttlSeconds * 1000 });
  }

  async delete(...keys: string[]): Promise<void> {
    for (const key of keys) this.entries.delete(key);
  }

  async countWithin(key: string, ttlSeconds: number): Promise<number> {
    const count = Number(this.string(key) ?? 0) + 1;
    this.entries.set(key, { value: String(count), expiresAt: Date.now() + ttlSeconds * 1000 });
    return count;
  }

  async add(key: string, by: number): Promise<void> {
    const entry = this.live(key);
    this.entries.set(key, { value: String(Number(this.string(key) ?? 0) + by), expiresAt: entry?.expiresAt });
  }

  async hashSet(key: string, field: string, value: string): Promise<void> {
    this.hash(key, true)?.set(field, value);
  }

  async hashGet(key: string, field: string): Promise<string | undefined> {
    return this.hash(key, false)?.get(field);
  }

  async hashGetAll(key: string): Promise<Record<string, string>> {
    return Object.fromEntries(this.hash(key, false) ?? []);
  }

  async hashDelete(key: string, field: string): Promise<boolean> {
    const fields = this.hash(key, false);
    const had = fields?.delete(field) ?? false;
    if (fields?.size === 0) this.entries.delete(key); // Redis drops an emptied hash
    return had;
  }
}
