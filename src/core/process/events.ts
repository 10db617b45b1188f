// Event-driven waiting on processes: one feed of changes per API process (a Redis subscription
// in a server) fans out to any number of in-memory waiters, so `?wait` wakes within milliseconds
// of a change, without polling.
import { abortError } from '../errors.js';
import { isRedisOutage } from '../redis-outage.js';
import type { Redis } from 'ioredis';
import type { ProcessRecord } from './record.js';
import type { ProcessRepository } from './repository.js';
import { isFinal, STEPS, type Step } from './steps.js';

/** One open wait: re-reads its process on a change (`state` as published, when known); `end` stops it with an error. */
interface Waiter {
  check(state?: string): void;
  end(error: Error): void;
}

/**
 * Whether a published state may mean the process is final or gone: anything but a JSON step
 * that is not final. Final steps have no way out, so a change published as "convert" says the
 * record is not final yet, and a later change into a final step is published in its turn.
 */
function mayBeFinal(state: string | undefined): boolean {
  if (state === undefined || !state.startsWith('"')) return true;
  const step = state.slice(1, -1) as Step;
  return !(STEPS as readonly string[]).includes(step) || isFinal(step);
}

/** Where changes of processes come from. */
export interface ChangeFeed {
  /**
   * Calls `onChange(id, state)` after every change or deletion of a process (`state`: what the
   * change published after the id, the new step as JSON or "deleted"), and `onGap()` when
   * changes may have been missed (the subscription was re-established after a lost connection);
   * resolves once listening.
   */
  start(onChange: (id: string, state: string) => void, onGap?: () => void): Promise<void>;
  close(): Promise<void>;
}

/**
 * The changes RedisProcessRepository publishes on `channel` (`<id> <step>`, `<id> deleted`).
 * `subscriber` must be a connection of its own: a subscribed connection runs no commands.
 */
export function redisChangeFeed(subscriber: Redis, channel: string): ChangeFeed {
  return {
    async start(onChange, onGap) {
      subscriber.on('message', (_channel: string, message: string) => {
        const space = message.indexOf(' ');
        onChange(message.slice(0, space), message.slice(space + 1));
      });
      await subscriber.subscribe(channel);
      // ioredis subscribes again by itself after a reconnect; what was published meanwhile is lost.
      subscriber.on('ready', () => onGap?.());
    },
    async close() {
      subscriber.disconnect();
    },
  };
}

/** How often a wait re-reads its process while Redis is unreachable. */
const OUTAGE_RETRY_MS = 1000;

export class ProcessEvents {
  private readonly listeners = new Map<string, Set<Waiter>>();
  private started: Promise<unknown> | undefined;

  constructor(
    private readonly feed: ChangeFeed,
    private readonly repository: Pick<ProcessRepository, 'get'>,
  ) {}

  private start(): Promise<unknown> {
    this.started ??= this.feed.start(
      (id, state) => {
        for (const waiter of this.listeners.get(id) ?? []) waiter.check(state);
      },
      () => {
        for (const waiters of this.listeners.values()) for (const waiter of waiters) waiter.check();
      },
    );
    return this.started;
  }

  /** Ends every open wait with `error` (at shutdown: the client is told to ask again). */
  endAll(error: Error): void {
    for (const waiters of [...this.listeners.values()]) for (const waiter of [...waiters]) waiter.end(error);
  }

  /**
   * Resolves with the record once `done(record)` holds, or undefined once the process is gone.
   * Rejects with the signal's reason when the signal aborts (e.g. the client disconnected).
   */
  waitFor(id: string, done: (record: ProcessRecord) => boolean, signal?: AbortSignal): Promise<ProcessRecord | undefined> {
    return this.watch(id, (key) => this.repository.get(key), done, signal);
  }

  /**
   * Resolves with the record once it is in a final step, or undefined once the process is gone.
   * Reads the record at the start and then only on a change published into a final step (or a
   * deletion, or a gap in the feed): a conversion's steps and progress wake nobody.
   */
  waitForFinal(id: string, signal?: AbortSignal): Promise<ProcessRecord | undefined> {
    return this.watch(id, (key) => this.repository.get(key), (record) => isFinal(record.step), signal, mayBeFinal);
  }

  /**
   * Like waitFor, for any record published on the same channel under `id` (v2 jobs and tasks):
   * `read` loads it after each change whose published state passes `wakesOn` (default: every change).
   */
  async watch<R>(id: string, read: (id: string) => Promise<R | undefined>, done: (record: R) => boolean, signal?: AbortSignal, wakesOn: (state: string | undefined) => boolean = () => true): Promise<R | undefined> {
    await this.start();
    return new Promise<R | undefined>((resolve, reject) => {
      let checking = false;
      let again = false;
      let waiting = false;
      let retry: NodeJS.Timeout | undefined;
      const set = this.listeners.get(id) ?? new Set<Waiter>();
      this.listeners.set(id, set);
      const finish = (): void => {
        clearTimeout(retry);
        set.delete(waiter);
        if (set.size === 0) this.listeners.delete(id);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        finish();
        reject(abortError(signal));
      };
      // Re-read on every event that may matter; events arriving during a read trigger one more
      // read, so the last state is always seen.
      const check = (state?: string): void => {
        if (!wakesOn(state)) return;
        if (checking) {
          again = true;
          return;
        }
        checking = true;
        read(id).then(
          (record) => {
            checking = false;
            waiting = true;
            if (record === undefined || done(record)) {
              finish();
              resolve(record);
            } else if (again) {
              again = false;
              check();
            }
          },
          (error: unknown) => {
            checking = false;
            // A wait already under way outlives a Redis outage: it reads again until Redis is
            // back (the feed's gap signal also wakes it). A new wait fails at once instead.
            if (waiting && isRedisOutage(error)) {
              retry = setTimeout(check, OUTAGE_RETRY_MS);
              return;
            }
            finish();
            reject(error instanceof Error ? error : new Error(String(error)));
          },
        );
      };
      const waiter: Waiter = {
        check,
        end(error) {
          finish();
          reject(error);
        },
      };
      set.add(waiter);
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
