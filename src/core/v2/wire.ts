// Jobs and tasks as API v2 clients read them (wire spec sections 2.3 and 5.5): key order of the
// recordings, never-null numbers, `name` only inside jobs, `payload`, `retries`,
// `depends_on_tasks` and `job` only when included, ISO-8601 times with offset, integer user ids.
// Shared by the API and the webhook deliveries, so both send the same objects.
import { createHash } from 'node:crypto';
import { jobStatus, jobTimes, type JobRecord, type TaskRecord } from './model.js';

export const TASK_INCLUDES = ['retries', 'depends_on_tasks', 'payload', 'job'] as const;
export type TaskInclude = (typeof TASK_INCLUDES)[number];

/** A stable integer user id per API key (PHP and .NET read it as an int). */
export function userIdOf(owner: string): number {
  return (Number.parseInt(createHash('sha256').update(owner).digest('hex').slice(0, 7), 16) % 90_000_000) + 10_000_000;
}

/** `2020-12-17T05:34:03+00:00`. */
export function isoTime(seconds: number | undefined): string | null {
  if (seconds === undefined) return null;
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}+00:00`;
}

/** The download URL of a file of an export/url task. */
export function exportFileUrl(task: Pick<TaskRecord, 'id' | 'token' | 'base'>, filename: string): string {
  return `${task.base}/v2/files/${task.id}/${task.token}/${encodeURIComponent(filename)}`;
}

function resultOf(task: TaskRecord): Record<string, unknown> | null {
  if (task.form !== undefined && task.status === 'waiting') return { form: task.form };
  if (task.operation === 'metadata' && task.status === 'finished') return { metadata: task.metadata ?? {} };
  if (task.files === undefined) return null;
  const exported = task.operation === 'export/url';
  // A command's captured stdout and stderr (capture_output) travel in the process's info.
  const output = task.operation === 'command' && typeof task.metadata?.output === 'string' ? { output: task.metadata.output } : {};
  return {
    ...output, files: task.files.map((f) => (exported ? { filename: f.filename, size: f.size, url: exportFileUrl(task, f.filename) } : { filename: f.filename, size: f.size })) };
}

export interface TaskView {
  /** Related records for the includes (looked up by the caller). */
  readonly include?: readonly TaskInclude[];
  readonly dependsOn?: readonly TaskRecord[];
  readonly retries?: readonly TaskRecord[];
  readonly job?: { readonly job: JobRecord; readonly tasks: readonly TaskRecord[] };
}

export function taskObject(task: TaskRecord, view: TaskView = {}): Record<string, unknown> {
  const include = view.include ?? [];
  return {
    id: task.id,
    ...(task.name === undefined ? {} : { name: task.name }),
    job_id: task.jobId ?? null,
    status: task.status,
    credits: task.status === 'finished' ? (task.engine === undefined || task.engine === 'transfer' ? 0 : 1) : null,
    code: task.code,
    message: task.message,
    percent: task.percent,
    operation: task.operation,
    ...(task.engine === undefined || task.engine === 'transfer' ? {} : { engine: task.engine, engine_version: null }),
    ...(include.includes('payload') ? { payload: { ...(task.jobId === undefined ? {} : { operation: task.operation }), ...task.payload, ...(task.dependsOn.length > 0 && task.jobId !== undefined ? { input: inputNames(task, view) } : {}) } } : {}),
    result: resultOf(task),
    created_at: isoTime(task.createdAt),
    started_at: isoTime(task.startedAt),
    ended_at: isoTime(task.endedAt),
    retry_of_task_id: task.retryOfTaskId ?? null,
    copy_of_task_id: task.retryOfTaskId ?? null,
    user_id: userIdOf(task.owner),
    priority: 0,
    host_name: null,
    storage: null,
    depends_on_task_ids: task.dependsOn,
    ...(include.includes('depends_on_tasks') ? { depends_on_tasks: (view.dependsOn ?? []).map((t) => taskObject(t)) } : {}),
    ...(include.includes('retries') ? { retries: (view.retries ?? []).map((t) => taskObject(t)) } : {}),
    ...(include.includes('job') && view.job !== undefined ? { job: jobObject(view.job.job, view.job.tasks, { withTasks: false }) } : {}),
    links: { self: `${task.base}/v2/tasks/${task.id}` },
  };
}

/** The payload shows `input` as the names it was given (job tasks). */
function inputNames(task: TaskRecord, view: TaskView): string[] {
  const byId = new Map((view.job?.tasks ?? view.dependsOn ?? []).map((t) => [t.id, t.name ?? t.id]));
  return task.dependsOn.map((id) => byId.get(id) ?? id);
}

export function jobObject(job: JobRecord, tasks: readonly TaskRecord[], options: { withTasks: boolean; include?: readonly TaskInclude[] }): Record<string, unknown> {
  const times = jobTimes(tasks);
  return {
    id: job.id,
    tag: job.tag,
    status: jobStatus(tasks),
    created_at: isoTime(job.createdAt),
    started_at: isoTime(times.startedAt),
    ended_at: isoTime(times.endedAt),
    ...(options.withTasks ? { tasks: tasks.map((t) => taskObject(t, { include: options.include ?? [], job: { job, tasks } })) } : {}),
    links: { self: `${job.base}/v2/jobs/${job.id}` },
  };
}
