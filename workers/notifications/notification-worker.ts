// The BullMQ worker for notifications: callbacks and e-mails of ended processes and API v2
// webhooks, each attempt logged with its result; failures retried by BullMQ (attempts and delay
// from config).
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../../src/config/index.js';
import { AppError } from '../../src/core/errors.js';
import { QUEUES, type JobOf } from '../../src/core/jobs.js';
import type { Logger } from '../../src/core/logger.js';
import type { WebhookStore } from '../../src/core/v2/webhooks.js';
import { continueTrace } from '../../src/core/trace-context.js';
import { CallbackFailed, deliverCallback } from './callback.js';
import { Mailer } from './email.js';
import { WebhookDelivery } from './webhook.js';

/** Whether a failed notification must not be tried again: the error catalogue's `retryable` decides for AppErrors. */
export function isFinalFailure(error: unknown): boolean {
  if (error instanceof UnrecoverableError) return true;
  if (error instanceof CallbackFailed) return !error.retry;
  return error instanceof AppError && !error.retryable;
}

export class NotificationWorker {
  private readonly worker: Worker<JobOf<'notification'>, void, 'notification'>;
  private readonly mailer: Mailer | undefined;
  private readonly webhooks: WebhookDelivery;

  constructor(
    private readonly config: Config,
    connection: Redis,
    private readonly log: Logger,
    /** The account webhooks of API v2 (their secrets sign, their flags are set). */
    webhooks: WebhookStore,
  ) {
    const { smtpUrl, mailFrom } = config.notifications;
    this.mailer = smtpUrl === undefined ? undefined : new Mailer({ smtpUrl, from: mailFrom });
    this.webhooks = new WebhookDelivery(webhooks, { allowPrivate: config.input.allowPrivateUrls, timeoutMs: config.notifications.callbackTimeoutMs });
    // Each notification continues the trace of the conversion that queued it.
    this.worker = new Worker(QUEUES.notification, (job) => continueTrace(job.data.traceparent, () => this.process(job)), { connection, prefix: config.redisPrefix, concurrency: 10 });
    this.worker.on('error', (error) => log.error({ err: error }, 'notification worker error'));
  }

  async waitUntilReady(): Promise<void> {
    await this.worker.waitUntilReady();
  }

  async close(): Promise<void> {
    await this.worker.close();
    this.mailer?.close();
  }

  private async process(job: Job<JobOf<'notification'>>): Promise<void> {
    const data = job.data;
    const attempt = job.attemptsMade + 1;
    const subject = data.kind === 'webhook' ? { jobId: data.jobId, event: data.event, webhookId: data.webhookId } : { processId: data.processId };
    const log = this.log.child({ ...subject, notification: data.kind, attempt });
    try {
      if (data.kind === 'callback') {
        const status = await deliverCallback(data, { allowPrivate: this.config.input.allowPrivateUrls, timeoutMs: this.config.notifications.callbackTimeoutMs });
        log.info({ status }, 'callback delivered');
      } else if (data.kind === 'webhook') {
        const outcome = await this.webhooks.deliver(data);
        log.info(outcome, outcome.kind === 'disabled' ? 'webhook answered 410 Gone: disabled' : `webhook ${outcome.kind}`);
      } else {
        if (this.mailer === undefined) throw new UnrecoverableError('SMTP is not configured (SMTP_URL)');
        await this.mailer.send(data);
        log.info({}, 'e-mail sent');
      }
    } catch (error) {
      const final = isFinalFailure(error) || attempt >= (job.opts.attempts ?? 1);
      log.warn({ reason: (error as Error).message, final }, `${data.kind} attempt failed`);
      // The mark is a courtesy to the owner: failing to write it must not hide the delivery's own error.
      if (final && data.kind === 'webhook') await this.webhooks.failed(data).catch((e: unknown) => log.warn({ err: e }, 'could not mark the webhook failing'));
      throw isFinalFailure(error) && !(error instanceof UnrecoverableError) ? new UnrecoverableError((error as Error).message) : error;
    }
  }
}
