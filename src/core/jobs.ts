// Typed job payloads shared by the API (which enqueues) and the worker (which runs them).
// The job id is always the process id, so enqueueing twice is harmless.
import type { EngineClass } from './catalog/engine-classes.js';
import type { JobEvent } from './v2/job-events.js';

export const QUEUES = {
  /** The heavy class's conversions: the name from before engine classes, so jobs queued by an older version still run. */
  conversion: 'conversions',
  notification: 'notifications',
} as const;

/** Each engine class's conversions have their own BullMQ queue (see catalog/engine-classes.ts). */
export const conversionQueueName = (engineClass: EngineClass): string => (engineClass === 'heavy' ? QUEUES.conversion : `${QUEUES.conversion}-light`);

/** What every job may carry besides its payload. */
export interface Traced {
  /**
   * W3C trace context of the span that queued the job, so the span of its run continues the
   * same trace (absent when tracing is off).
   */
  readonly traceparent?: string;
}

/** A conversion: the process record says the rest. */
export interface ConversionJob extends Traced {
  readonly processId: string;
}

/** A callback to the URL the client gave: GET <url>?id=...&url=...&step=... */
export interface CallbackJob extends Traced {
  readonly kind: 'callback';
  readonly processId: string;
  readonly target: string;
  /** The process URL (protocol-relative, as every URL the API gives). */
  readonly processUrl: string;
  readonly step: 'finished' | 'error';
}

/** A notice by e-mail that a process ended. */
export interface EmailJob extends Traced {
  readonly kind: 'email';
  readonly processId: string;
  readonly to: string;
  /** The process URL, absolute (with the scheme the process was created under). */
  readonly processUrl: string;
  readonly step: 'finished' | 'error';
  readonly message: string;
  /** The input file's name, so the notice says which conversion ended; null when none arrived. */
  readonly filename: string | null;
}

/** An API v2 webhook delivery: POST <url> with the event's body, signed (wire spec 11.1, 11.2). */
export interface WebhookJob extends Traced {
  readonly kind: 'webhook';
  readonly event: JobEvent;
  /** The API v2 job the event is about. */
  readonly jobId: string;
  /** Account id of the job (whose secret signs a delivery to the job's own webhook_url). */
  readonly owner: string;
  readonly url: string;
  /** The account webhook delivered to (its secret signs; 410 disables it); absent for the job's own webhook_url. */
  readonly webhookId?: string;
  /**
   * The exact JSON body, built when the event happened: a job.created delivered late still shows
   * the job as created, and every attempt sends (and signs) the same bytes. No secret is in it:
   * the worker looks the signing secret up (sealed in Redis) at delivery.
   */
  readonly body: string;
}

export interface JobPayloads {
  readonly conversion: ConversionJob;
  readonly notification: CallbackJob | EmailJob | WebhookJob;
}
export type JobName = keyof JobPayloads;
export type JobOf<N extends JobName> = JobPayloads[N];

/** Channel on which the API asks workers to abort a running conversion ("<processId>"). */
export const cancelChannel = (prefix: string): string => `${prefix}:cancel`;
