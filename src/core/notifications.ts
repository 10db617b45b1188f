// Notifications of ended processes (callbacks, e-mail) as jobs of their own queue, retried by
// BullMQ, never delivered inside the conversion job.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES, type JobOf } from './jobs.js';
import { traceparentOf } from './trace-context.js';

export interface NotificationSettings {
  readonly prefix: string;
  /** Attempts of one callback in all (the first and the retries). */
  readonly callbackAttempts: number;
  readonly callbackDelayMs: number;
}

/** Sends the notifications of ended processes (a BullMQ queue in a server). */
export interface NotificationQueue {
  /** Queues one notification; a process's notification of each kind is sent once, however often it is queued. */
  send(job: JobOf<'notification'>): Promise<void>;
  close(): Promise<void>;
}

export class BullNotificationQueue implements NotificationQueue {
  private readonly queue: Queue<JobOf<'notification'>, void, 'notification'>;

  constructor(
    connection: Redis,
    private readonly settings: NotificationSettings,
  ) {
    this.queue = new Queue(QUEUES.notification, { connection, prefix: settings.prefix, defaultJobOptions: { removeOnComplete: { age: 3600 }, removeOnFail: { age: 7 * 24 * 3600 } } });
  }

  /** Job ids derive from the process, so a process ending twice notifies once. The job carries the active trace (the conversion's). */
  async send(job: JobOf<'notification'>): Promise<void> {
    const attempts = job.kind === 'callback' ? this.settings.callbackAttempts : 3;
    const traceparent = job.traceparent ?? traceparentOf();
    await this.queue.add('notification', traceparent === undefined ? job : { ...job, traceparent }, { jobId: `${job.processId}-${job.kind}`, attempts, backoff: { type: 'fixed', delay: this.settings.callbackDelayMs } });
  }

  /** The BullMQ queue, for the operator's dashboard. */
  get bullQueue(): Queue {
    return this.queue;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
