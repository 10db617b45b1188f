// Turns a job's events into webhook deliveries (wire spec 11.1): one per account webhook of the
// job's key that listens to the event, and, for job.finished and job.failed, one to the job's own
// webhook_url. The body is built here, once, from the records as they are when the event
// happens; the notification worker signs and posts it (and retries it) later.
import type { NotificationQueue } from '../notifications.js';
import type { JobEvent } from './job-events.js';
import type { JobRecord } from './model.js';
import type { TaskRepository } from './task-repository.js';
import type { WebhookStore } from './webhooks.js';
import { jobObject } from './wire.js';

export interface AnnouncerDeps {
  readonly webhooks: Pick<WebhookStore, 'records'>;
  readonly tasks: Pick<TaskRepository, 'getTasks'>;
  readonly notifications: NotificationQueue;
}

/** The exact body of a delivery: `{"event":...,"job":<job with its tasks>}`. */
export function webhookBody(event: JobEvent, job: JobRecord, tasks: Parameters<typeof jobObject>[1]): string {
  return JSON.stringify({ event, job: jobObject(job, tasks, { withTasks: true }) });
}

/** The scheduler's `announce` hook. */
export function webhookAnnouncer(deps: AnnouncerDeps): (event: JobEvent, job: JobRecord) => Promise<void> {
  return async (event, job) => {
    const listening = (await deps.webhooks.records(job.owner)).filter((w) => !w.disabled && w.events.includes(event));
    const targets: Array<{ url: string; webhookId?: string }> = listening.map((w) => ({ url: w.url, webhookId: w.id }));
    // A job's own webhook_url hears only of its end (CloudConvert's jobs docs).
    if (job.webhookUrl !== undefined && event !== 'job.created') targets.push({ url: job.webhookUrl });
    if (targets.length === 0) return;
    const body = webhookBody(event, job, await deps.tasks.getTasks(job.taskIds));
    for (const target of targets) {
      await deps.notifications.send({ kind: 'webhook', event, jobId: job.id, owner: job.owner, url: target.url, ...(target.webhookId === undefined ? {} : { webhookId: target.webhookId }), body });
    }
  };
}
