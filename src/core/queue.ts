// The conversion queue as the API sees it: enqueue by process id, remove a waiting job.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES, type JobOf } from './jobs.js';

export interface ConversionQueue {
  /** Enqueues the conversion of a process; the job id is the process id, so repeats are no-ops. */
  enqueue(processId: string): Promise<void>;
  /** Removes a job that has not started; a running job is cancelled through the cancel channel. */
  remove(processId: string): Promise<void>;
  close(): Promise<void>;
}

export interface QueueSettings {
  readonly prefix: string;
  readonly attempts: number;
}

export class BullConversionQueue implements ConversionQueue {
  private readonly queue: Queue<JobOf<'conversion'>, void, 'conversion'>;

  constructor(connection: Redis, settings: QueueSettings) {
    this.queue = new Queue(QUEUES.conversion, {
      connection,
      prefix: settings.prefix,
      defaultJobOptions: {
        attempts: settings.attempts,
        backoff: { type: 'fixed', delay: 1000 },
        removeOnComplete: true,
        removeOnFail: { age: 24 * 3600 },
      },
    });
  }

  async enqueue(processId: string): Promise<void> {
    await this.queue.add('conversion', { processId }, { jobId: processId });
  }

  async remove(processId: string): Promise<void> {
    await this.queue.remove(processId).catch(() => 0); // an active (locked) job cannot be removed
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
