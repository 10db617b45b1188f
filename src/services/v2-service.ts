// API v2 as the routes use it: jobs and tasks of the caller's key (another key's are 404),
// their wire objects with the includes resolved, lists with filters, and blocking waits driven by
// the events channel (never polling). Knows nothing of HTTP.
import type { Readable } from 'node:stream';
import type { Account } from '../core/accounts.js';
import { appError } from '../core/errors.js';
import { isEnded, isOperation, jobStatus, type JobRecord, type Operation, type TaskRecord } from '../core/v2/model.js';
import { FieldReader } from '../core/v2/operations/fields.js';
import type { JobRequest } from '../core/v2/graph.js';
import { jobObject, taskObject, TASK_INCLUDES, type TaskInclude } from '../core/v2/wire.js';
import { requireRoomFor } from './capacity.js';
import type { ServiceDeps } from './deps.js';

/** Records scanned for one list request: lists are newest first, filtered in memory. */
const LIST_SCAN_LIMIT = 2000;

export interface ListFilter {
  readonly status?: string;
  readonly tag?: string;
  readonly jobId?: string;
  readonly operation?: string;
}

export interface JobView {
  readonly job: JobRecord;
  readonly tasks: readonly TaskRecord[];
}

/** `include=a,b` as known names (unknown ones are ignored, empty means none). */
export function includesOf(value: unknown): TaskInclude[] {
  if (typeof value !== 'string' || value === '') return [];
  return value.split(',').map((s) => s.trim()).filter((s): s is TaskInclude => (TASK_INCLUDES as readonly string[]).includes(s));
}

export class V2Service {
  constructor(private readonly deps: ServiceDeps) {}

  async createJob(account: Account, request: JobRequest, base: string): Promise<JobView> {
    if (request.webhookUrl !== undefined) {
      const fields = new FieldReader({ webhook_url: request.webhookUrl });
      fields.url('webhook_url', this.deps.config.input.allowPrivateUrls);
      fields.done();
    }
    await requireRoomFor(this.deps, account);
    return this.deps.scheduler.createJob(account, request, base);
  }

  async createTask(account: Account, operation: string, payload: Readonly<Record<string, unknown>>, base: string): Promise<TaskRecord> {
    if (!isOperation(operation)) throw appError('ROUTE_NOT_FOUND', `The operation ${operation.slice(0, 60)} does not exist here. GET /v2/operations lists the operations.`);
    await requireRoomFor(this.deps, account);
    return this.deps.scheduler.createTask(account, operation as Operation, payload, base);
  }

  /** The key's job, or 404. */
  async job(account: Account, id: string): Promise<JobView> {
    const job = await this.deps.tasks.getJob(id);
    if (job === undefined || job.owner !== account.id) throw appError('FILE_NOT_FOUND', `No job ${id.slice(0, 40)} for this API key.`);
    return { job, tasks: await this.deps.tasks.getTasks(job.taskIds) };
  }

  async task(account: Account, id: string): Promise<TaskRecord> {
    const task = await this.deps.tasks.getTask(id);
    if (task === undefined || task.owner !== account.id) throw appError('FILE_NOT_FOUND', `No task ${id.slice(0, 40)} for this API key.`);
    return task;
  }

  /** The task's wire object with the asked includes looked up. */
  async taskObject(task: TaskRecord, include: readonly TaskInclude[]): Promise<Record<string, unknown>> {
    const dependsOn = include.includes('depends_on_tasks') ? await this.deps.tasks.getTasks(task.dependsOn) : [];
    const job = include.includes('job') || (include.includes('payload') && task.jobId !== undefined) ? await this.deps.tasks.getJob(task.jobId ?? '') : undefined;
    const jobTasks = job === undefined ? [] : await this.deps.tasks.getTasks(job.taskIds);
    const retries = include.includes('retries') ? await this.deps.tasks.getTasks(await this.deps.tasks.retries(task.id)) : [];
    return taskObject(task, { include, dependsOn, retries, ...(job === undefined ? {} : { job: { job, tasks: jobTasks } }) });
  }

  jobObject(view: JobView, include: readonly TaskInclude[] = []): Record<string, unknown> {
    return jobObject(view.job, view.tasks, { withTasks: true, include });
  }

  /** Blocks until the job has ended (or is gone: 404). */
  async waitJob(account: Account, id: string, signal?: AbortSignal): Promise<JobView> {
    await this.job(account, id);
    const read = async (jobId: string): Promise<JobView | undefined> => {
      const job = await this.deps.tasks.getJob(jobId);
      return job === undefined ? undefined : { job, tasks: await this.deps.tasks.getTasks(job.taskIds) };
    };
    const view = await this.deps.events.watch(id, read, (v) => isEnded(jobStatus(v.tasks)), signal);
    if (view === undefined) throw appError('FILE_NOT_FOUND', 'The job was deleted while waiting.');
    return view;
  }

  async waitTask(account: Account, id: string, signal?: AbortSignal): Promise<TaskRecord> {
    await this.task(account, id);
    const task = await this.deps.events.watch(id, (taskId) => this.deps.tasks.getTask(taskId), (t) => isEnded(t.status), signal);
    if (task === undefined) throw appError('FILE_NOT_FOUND', 'The task was deleted while waiting.');
    return task;
  }

  /** One page of the key's jobs, newest first; `more` says whether another page exists. */
  async listJobs(account: Account, filter: ListFilter, page: number, perPage: number): Promise<{ items: JobView[]; more: boolean }> {
    const views: JobView[] = [];
    for (const id of await this.deps.tasks.listJobIds(account.id, LIST_SCAN_LIMIT)) {
      const job = await this.deps.tasks.getJob(id);
      if (job === undefined) continue;
      if (filter.tag !== undefined && job.tag !== filter.tag) continue;
      const tasks = await this.deps.tasks.getTasks(job.taskIds);
      if (filter.status !== undefined && jobStatus(tasks) !== filter.status) continue;
      views.push({ job, tasks });
      if (views.length > page * perPage) break;
    }
    return { items: views.slice((page - 1) * perPage, page * perPage), more: views.length > page * perPage };
  }

  async listTasks(account: Account, filter: ListFilter, page: number, perPage: number): Promise<{ items: TaskRecord[]; more: boolean }> {
    const ids = filter.jobId !== undefined ? [...((await this.deps.tasks.getJob(filter.jobId))?.taskIds ?? [])].reverse() : await this.deps.tasks.listTaskIds(account.id, LIST_SCAN_LIMIT);
    const tasks = (await this.deps.tasks.getTasks(ids)).filter((t) => t.owner === account.id && (filter.status === undefined || t.status === filter.status) && (filter.operation === undefined || t.operation === filter.operation));
    return { items: tasks.slice((page - 1) * perPage, page * perPage), more: tasks.length > page * perPage };
  }

  async cancelTask(account: Account, id: string): Promise<TaskRecord> {
    const task = await this.task(account, id);
    await this.deps.scheduler.cancel(task);
    return this.task(account, id);
  }

  async retryTask(account: Account, id: string): Promise<TaskRecord> {
    return this.deps.scheduler.retry(account, await this.task(account, id));
  }

  async deleteTask(account: Account, id: string): Promise<void> {
    await this.deps.scheduler.deleteTask(await this.task(account, id));
  }

  async deleteJob(account: Account, id: string): Promise<void> {
    await this.deps.scheduler.deleteJob((await this.job(account, id)).job);
  }

  /** The upload of an import/upload task's form (no API key: the form's signature). */
  upload(taskId: string, signature: string | undefined, file: Readable, filename: string): Promise<TaskRecord> {
    return this.deps.scheduler.upload(taskId, signature, file, filename);
  }

  async fileStream(key: string): Promise<Readable> {
    return (await this.deps.store.get(key)).stream;
  }

  /** An export/url file by its URL's task id and token (no API key: the URL is the capability). */
  async exportedFile(taskId: string, token: string, filename: string): Promise<{ key: string; size: number; filename: string; inline: boolean }> {
    const task = await this.deps.tasks.getTask(taskId);
    const file = task?.operation === 'export/url' && task.token === token ? task.files?.find((f) => f.filename === filename) : undefined;
    if (task === undefined || file === undefined) throw appError('FILE_NOT_FOUND', 'No such file: the export has expired or was deleted, or the URL is incomplete.');
    return { ...file, inline: task.payload.inline === true || task.payload.inline === 'true' };
  }
}
