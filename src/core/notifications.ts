// Notifications of ended processes (callbacks, e-mail) and of API v2 job events (webhooks) as
// jobs of their own queue, retried by BullMQ, never delivered inside the conversion job.
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES, type JobOf } from './jobs.js';
import { traceparentOf } from './trace-context.js';

/** Attempts of one webhook delivery in all: the first and 3 more. */
export const WEBHOOK_ATTEMPTS = 4;

/** BullMQ job ids may not hold ':'; event names and UUIDs do not. */
export function notificationId(job: JobOf<'notification'>): string {
  if (job.kind === 'webhook') return `webhook-${job.jobId}-${job.event}-${job.webhookId ?? 'job-url'}`;
  return `${job.processId}-${job.kind}`;
}

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

  /**
   * Job ids derive from the process (or, for webhooks, the job, event and target), so an end
   * reported twice notifies once. The job carries the active trace (the conversion's).
   */
  async send(job: JobOf<'notification'>): Promise<void> {
    const traceparent = job.traceparent ?? traceparentOf();
    await this.queue.add('notification', traceparent === undefined ? job : { ...job, traceparent }, { jobId: notificationId(job), ...this.retries(job) });
  }

  private retries(job: JobOf<'notification'>): Pick<JobsOptions, 'attempts' | 'backoff'> {
    const delay = this.settings.callbackDelayMs;
    if (job.kind === 'callback') return { attempts: this.settings.callbackAttempts, backoff: { type: 'fixed', delay } };
    // CloudConvert's webhooks: "3 more attempts, waiting some time in between" (wire spec 11.1).
    if (job.kind === 'webhook') return { attempts: WEBHOOK_ATTEMPTS, backoff: { type: 'exponential', delay } };
    return { attempts: 3, backoff: { type: 'fixed', delay } };
  }

  /** The BullMQ queue, for the operator's dashboard. */
  get bullQueue(): Queue {
    return this.queue;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
