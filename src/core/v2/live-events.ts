// Changes of API v2 jobs and tasks as they happen, for the real-time API (wire spec 12). Whoever
// changes a record (a worker ending a task, the sweeper, any API node) publishes one message on a
// Redis channel; every API node serving sockets subscribes to it and fans out to its own sockets.
// Workers run no socket server, so the event must travel as data, not as a socket.io emit. Each
// message carries the records as written, so no node has to read them back for the event.
import type { Redis } from 'ioredis';
import { decodeFields, encodeFields } from '../json-hash.js';
import type { JobEvent } from './job-events.js';
import type { JobRecord, TaskRecord, TaskStatus } from './model.js';

export const TASK_LIVE_EVENTS = ['task.created', 'task.updated', 'task.finished', 'task.failed'] as const;
export type TaskLiveEvent = (typeof TASK_LIVE_EVENTS)[number];

/** job.updated is not published: API nodes derive it from the task events of the job. */
export const JOB_LIVE_EVENTS = ['job.created', 'job.updated', 'job.finished', 'job.failed'] as const;
export type JobLiveEvent = (typeof JOB_LIVE_EVENTS)[number];

export type LiveEvent =
  | { readonly event: TaskLiveEvent; readonly task: TaskRecord }
  | { readonly event: JobEvent; readonly job: JobRecord; readonly tasks: readonly TaskRecord[] };

/** The channel of the live events of a deployment (one per REDIS_PREFIX). */
export const liveChannel = (prefix: string): string => `${prefix}:v2:live`;

/** The event of a task update that sets `status` (none: the task changed without a new status). */
export function taskEventOf(status: TaskStatus | undefined): TaskLiveEvent {
  if (status === 'finished') return 'task.finished';
  if (status === 'error') return 'task.failed';
  return 'task.updated';
}

/**
 * A task message: `{"event":..., "fields":[field, JSON value, ...]}`, the hash as HGETALL gives
 * it. The update script builds the same shape in Lua (cjson) from the hash it has just written.
 */
export function taskMessage(event: TaskLiveEvent, task: TaskRecord): string {
  return JSON.stringify({ event, fields: encodeFields(task) });
}

const isTaskEvent = (value: unknown): value is TaskLiveEvent => (TASK_LIVE_EVENTS as readonly unknown[]).includes(value);
const isJobEvent = (value: unknown): value is JobEvent => value === 'job.created' || value === 'job.finished' || value === 'job.failed';

function pairs(fields: unknown): Record<string, string> | undefined {
  if (!Array.isArray(fields) || fields.length % 2 !== 0 || !fields.every((f) => typeof f === 'string')) return undefined;
  const out: Record<string, string> = {};
  for (let i = 0; i < fields.length; i += 2) out[fields[i] as string] = fields[i + 1] as string;
  return out;
}

/** The event in a message of the channel; undefined for anything else (never throws). */
export function decodeLiveEvent(message: string): LiveEvent | undefined {
  try {
    const data = JSON.parse(message) as { event?: unknown; fields?: unknown; job?: JobRecord; tasks?: TaskRecord[] };
    if (isTaskEvent(data.event)) {
      const raw = pairs(data.fields);
      const task = raw === undefined ? undefined : decodeFields<TaskRecord>(raw);
      return task === undefined ? undefined : { event: data.event, task };
    }
    if (isJobEvent(data.event) && data.job !== undefined && Array.isArray(data.tasks)) return { event: data.event, job: data.job, tasks: data.tasks };
  } catch {
    // not one of ours: ignored
  }
  return undefined;
}

/**
 * The scheduler's `announce` hook for sockets: publishes the job with its tasks as they are now.
 * `redis` is a command connection (not a subscriber).
 */
export function liveAnnouncer(redis: Pick<Redis, 'publish'>, channel: string, tasks: { getTasks(ids: readonly string[]): Promise<TaskRecord[]> }): (event: JobEvent, job: JobRecord) => Promise<void> {
  return async (event, job) => {
    await redis.publish(channel, JSON.stringify({ event, job, tasks: await tasks.getTasks(job.taskIds) }));
  };
}

/** Calls every hook in turn (webhooks and sockets both hear of a job's events). */
export function announceToAll(...hooks: ReadonlyArray<(event: JobEvent, job: JobRecord) => Promise<void>>): (event: JobEvent, job: JobRecord) => Promise<void> {
  return async (event, job) => {
    for (const hook of hooks) await hook(event, job);
  };
}

/** Where API nodes hear the live events: a subscription of their own. */
export interface LiveFeed {
  /** Calls `onEvent` for each event published from now on; resolves once subscribed. */
  start(onEvent: (event: LiveEvent) => void): Promise<void>;
  close(): Promise<void>;
}

/** The live events on `channel`; `subscriber` must be a connection of its own (it runs no commands once subscribed). */
export function redisLiveFeed(subscriber: Redis, channel: string): LiveFeed {
  return {
    async start(onEvent) {
      subscriber.on('message', (from: string, message: string) => {
        if (from !== channel) return;
        const event = decodeLiveEvent(message);
        if (event !== undefined) onEvent(event);
      });
      await subscriber.subscribe(channel);
    },
    async close() {
      subscriber.disconnect();
    },
  };
}
