// Typed job payloads shared by the API (which enqueues) and the worker (which runs them).
// The job id is always the process id, so enqueueing twice is harmless.

export const QUEUES = {
  conversion: 'conversions',
} as const;

export interface JobPayloads {
  readonly conversion: { readonly processId: string };
}
export type JobName = keyof JobPayloads;
export type JobOf<N extends JobName> = JobPayloads[N];

/** Channel on which the API asks workers to abort a running conversion ("<processId>"). */
export const cancelChannel = (prefix: string): string => `${prefix}:cancel`;
