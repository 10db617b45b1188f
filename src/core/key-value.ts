// The few key-value operations the small stores need (usage counters, the key throttle, presets,
// storage secrets), so their rules live once and run over Redis in a server or over memory in the
// fast API tests. The process records and the queue need atomic scripts and have interfaces of
// their own (ProcessRepository, ConversionQueue).
import type { Redis } from 'ioredis';

export interface KeyValueStore {
  /** The string at `key`, or undefined when absent or expired. */
  get(key: string): Promise<string | undefined>;
  /** Sets `key`, removed after `ttlSeconds` (a whole number, at least 1). */
  setWithTtl(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Removes keys; absent ones are ignored. */
  delete(...keys: string[]): Promise<void>;
  /** Adds one to the counter at `key` (absent counts as 0), keeps it `ttlSeconds` more; returns the new count. */
  countWithin(key: string, ttlSeconds: number): Promise<number>;
  /** Adds `by` to the counter at `key`, kept without expiry. */
  add(key: string, by: number): Promise<void>;
  /** Sets one field of the hash at `key`. */
  hashSet(key: string, field: string, value: string): Promise<void>;
  hashGet(key: string, field: string): Promise<string | undefined>;
  /** Every field of the hash (an empty object when absent). */
  hashGetAll(key: string): Promise<Record<string, string>>;
  /** Removes a field; true when it was there. */
  hashDelete(key: string, field: string): Promise<boolean>;
}

export function redisKeyValue(redis: Redis): KeyValueStore {
  return {
    get: async (key) => (await redis.get(key)) ?? undefined,
    async setWithTtl(key, value, ttlSeconds) {
      await redis.set(key, value, 'EX', ttlSeconds);
    },
    async delete(...keys) {
      if (keys.length > 0) await redis.del(...keys);
    },
    async countWithin(key, ttlSeconds) {
      const results = await redis.multi().incr(key).expire(key, ttlSeconds).exec();
      return Number(results?.[0]?.[1] ?? 0);
    },
    async add(key, by) {
      await redis.incrby(key, by);
    },
    async hashSet(key, field, value) {
      await redis.hset(key, field, value);
    },
    hashGet: async (key, field) => (await redis.hget(key, field)) ?? undefined,
    hashGetAll: (key) => redis.hgetall(key),
    hashDelete: async (key, field) => (await redis.hdel(key, field)) > 0,
  };
}
