// Event-driven waiting on processes: one feed of changes per API process (a Redis subscription
// in a server) fans out to any number of in-memory waiters, so `?wait` wakes within milliseconds
// of a change, without polling.
import { abortError } from '../errors.js';
import type { Redis } from 'ioredis';
import type { ProcessRecord } from './record.js';
import type { ProcessRepository } from './repository.js';

type Listener = () => void;

/** Where changes of processes come from. */
export interface ChangeFeed {
  /** Calls `onChange(id)` after every change or deletion of a process; resolves once listening. */
  start(onChange: (id: string) => void): Promise<void>;
  close(): Promise<void>;
}

/**
 * The changes RedisProcessRepository publishes on `channel` (`<id> <step>`, `<id> deleted`).
 * `subscriber` must be a connection of its own: a subscribed connection runs no commands.
 */
export function redisChangeFeed(subscriber: Redis, channel: string): ChangeFeed {
  return {
    async start(onChange) {
      subscriber.on('message', (_channel: string, message: string) => onChange(message.slice(0, message.indexOf(' '))));
      await subscriber.subscribe(channel);
    },
    async close() {
      subscriber.disconnect();
    },
  };
}

export class ProcessEvents {
  private readonly listeners = new Map<string, Set<Listener>>();
  private started: Promise<unknown> | undefined;

  constructor(
    private readonly feed: ChangeFeed,
    private readonly repository: ProcessRepository,
  ) {}

  private start(): Promise<unknown> {
    this.started ??= this.feed.start((id) => {
      for (const listener of this.listeners.get(id) ?? []) listener();
    });
    return this.started;
  }

  /**
   * Resolves with the record once `done(record)` holds, or undefined once the process is gone.
   * Rejects with the signal's reason when the signal aborts (e.g. the client disconnected).
   */
  async waitFor(id: string, done: (record: ProcessRecord) => boolean, signal?: AbortSignal): Promise<ProcessRecord | undefined> {
    await this.start();
    return new Promise<ProcessRecord | undefined>((resolve, reject) => {
      let checking = false;
      let again = false;
      const set = this.listeners.get(id) ?? new Set<Listener>();
      this.listeners.set(id, set);
      const finish = (): void => {
        set.delete(check);
        if (set.size === 0) this.listeners.delete(id);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        finish();
        reject(abortError(signal));
      };
      // Re-read on every event; events arriving during a read trigger one more read, so the
      // last state is always seen.
      const check = (): void => {
        if (checking) {
          again = true;
          return;
        }
        checking = true;
        this.repository.get(id).then(
          (record) => {
            checking = false;
            if (record === undefined || done(record)) {
              finish();
              resolve(record);
            } else if (again) {
              again = false;
              check();
            }
          },
          (error: unknown) => {
            finish();
            reject(error instanceof Error ? error : new Error(String(error)));
          },
        );
      };
      set.add(check);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      check(); // subscribed first, then read: a change between the two is not lost
    });
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.feed.close();
  }
}
