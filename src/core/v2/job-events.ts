// The events a job of API v2 announces (wire spec 11.1), the only values webhook `events` may
// hold: the Java SDK reads them into an enum and fails on any other. A leaf file, so the job
// payloads (../jobs.ts) can name it without importing the scheduler.

export const JOB_EVENTS = ['job.created', 'job.finished', 'job.failed'] as const;
export type JobEvent = (typeof JOB_EVENTS)[number];

export const isJobEvent = (value: unknown): value is JobEvent => typeof value === 'string' && (JOB_EVENTS as readonly string[]).includes(value);
