// The task graph of API v2. A task runs once every task in its `input` has finished; a failed
// input fails its dependants (INPUT_TASK_FAILED). Work is done by internal processes of the v1
// model (the same queue, fairness, limits, pipeline and retention); when such a process ends,
// ProcessEndings tells processEnded here, in whichever server ended it (worker, API, sweeper).
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Config } from '../../config/index.js';
import type { Account, AccountRegistry } from '../accounts.js';
import { appError, isAppError } from '../errors.js';
import { newId } from '../process/ids.js';
import { endedRecordTtl, failedPatch, nowSeconds } from '../process/lifecycle.js';
import type { ProcessEndings } from '../process/endings.js';
import type { InputSource, ProcessRecord } from '../process/record.js';
import type { ProcessRepository } from '../process/repository.js';
import type { SecretStore } from '../process/secrets.js';
import { hasSecrets } from '../remote/locations.js';
import { isFinal } from '../process/steps.js';
import type { ConversionQueue } from '../queue.js';
import { recordModeOf } from '../catalog/resolve.js';
import { storageKeys, type FileStore } from '../storage/file-store.js';
import { checkJobTasks, namedInputs, type JobRequest } from './graph.js';
import { isEnded, isImport, jobStatus, type JobRecord, type Operation, type TaskFile, type TaskPatch, type TaskRecord } from './model.js';
import { InvalidDataError, OPERATION_HANDLERS, type Checked, type InputTaskFile, type ProcessSpec } from './operations/index.js';
import type { TaskRepository } from './task-repository.js';

/** Events a job announces (webhooks); the job is read again by whoever delivers them. */
export type JobEventName = 'job.created' | 'job.finished' | 'job.failed';

export interface SchedulerDeps {
  readonly config: Config;
  readonly accounts: AccountRegistry;
  readonly tasks: TaskRepository;
  readonly processes: ProcessRepository;
  readonly endings: ProcessEndings;
  readonly store: FileStore;
  readonly secrets: SecretStore;
  readonly queue: ConversionQueue;
  readonly publishCancel: (processId: string) => Promise<void>;
  /** Told when a job is created and when it ends (once each). */
  readonly announce?: (event: JobEventName, job: JobRecord) => Promise<void>;
}

export const INPUT_TASK_FAILED = { code: 'INPUT_TASK_FAILED', message: 'Input task has failed' } as const;

export class TaskScheduler {
  constructor(private readonly deps: SchedulerDeps) {}

  private limits(owner: string) {
    return this.deps.accounts.get(owner)?.limits ?? this.deps.config.account;
  }

  /** How long records live before their job ends: the upload wait, the run, the retention. */
  private recordTtl(owner: string): number {
    const { retention } = this.deps.config;
    return retention.unstartedSeconds + this.limits(owner).maxtimeSeconds * 2 + retention.savedSeconds + retention.recordSeconds;
  }

  private checkContext(owner: string) {
    return { allowPrivateUrls: this.deps.config.input.allowPrivateUrls, commandEnabled: this.deps.config.v2.commandEnabled, maxBytes: this.limits(owner).maxsizeMb * 1024 * 1024 };
  }

  /** Creates a job and starts what can start; throws InvalidDataError (422) for a bad graph or field. */
  async createJob(account: Account, request: JobRequest, base: string): Promise<{ job: JobRecord; tasks: TaskRecord[] }> {
    const planned = checkJobTasks(request, (operation, payload) => OPERATION_HANDLERS[operation].check(payload, this.checkContext(account.id)));
    const now = nowSeconds();
    const jobId = randomUUID();
    const ids = new Map(planned.map((t) => [t.name, randomUUID()]));
    const tasks: TaskRecord[] = [];
    for (const t of planned) {
      const id = ids.get(t.name) ?? randomUUID();
      tasks.push(await this.newTask(account, { id, jobId, name: t.name, operation: t.operation, checked: t.checked, dependsOn: t.inputs.map((n) => ids.get(n) ?? ''), ignoreError: t.ignoreError, now, base }));
    }
    const job: JobRecord = { id: jobId, owner: account.id, tag: request.tag ?? null, ...(request.webhookUrl === undefined ? {} : { webhookUrl: request.webhookUrl }), createdAt: now, taskIds: tasks.map((t) => t.id), base };
    await this.deps.tasks.createJob(job, tasks, this.recordTtl(account.id));
    await this.deps.announce?.('job.created', job);
    let open = false;
    for (const task of tasks) open = (await this.evaluate(task)) || open;
    // A job whose tasks all ended at once (base64 in, URLs out) has ended already.
    if (!open) await this.checkJobEnd(job.id);
    return { job, tasks: await this.deps.tasks.getTasks(job.taskIds) };
  }

  /** A stand-alone task (`POST /v2/{operation}`); its `input` names task ids of the same key. */
  async createTask(account: Account, operation: Operation, payload: Readonly<Record<string, unknown>>, base: string): Promise<TaskRecord> {
    const handler = OPERATION_HANDLERS[operation];
    const listed = inputList(payload.input);
    if (listed === undefined) throw invalid('input', 'The input field must be a task id or an array of task ids.');
    const inputs = [...listed, ...namedInputs(handler.inputFields, payload).map(([, id]) => id)];
    if (handler.takesInput && inputs.length === 0) throw invalid('input', `The input field is required: the id of the task whose files ${operation} works on.`);
    const found = await this.deps.tasks.getTasks(inputs);
    if (found.length !== inputs.length || found.some((t) => t.owner !== account.id)) throw invalid('input', 'The input names a task that does not exist (or belongs to another API key).');
    const checked = handler.check(payload, this.checkContext(account.id));
    const task = await this.newTask(account, { id: randomUUID(), operation, checked, dependsOn: handler.takesInput ? inputs : [], ignoreError: false, now: nowSeconds(), base });
    await this.deps.tasks.createTask(task, this.recordTtl(account.id));
    await this.evaluate(task);
    return (await this.deps.tasks.getTask(task.id)) ?? task;
  }

  /** Builds a task record; import/base64 and import/raw store their file now and are finished at once. */
  private async newTask(account: Account, t: { id: string; jobId?: string; name?: string; operation: Operation; checked: Checked; dependsOn: readonly string[]; ignoreError: boolean; now: number; base: string; retryOf?: string }): Promise<TaskRecord> {
    const token = randomBytes(24).toString('base64url');
    const sealed = t.checked.secrets !== undefined;
    if (sealed) await this.deps.secrets.put(t.id, t.checked.secrets ?? {}, this.recordTtl(account.id));
    const base: TaskRecord = {
      id: t.id,
      owner: account.id,
      ...(t.jobId === undefined ? {} : { jobId: t.jobId }),
      ...(t.name === undefined ? {} : { name: t.name }),
      operation: t.operation,
      status: 'waiting',
      message: null,
      code: null,
      percent: 0,
      payload: t.checked.payload,
      dependsOn: t.dependsOn,
      ignoreError: t.ignoreError,
      createdAt: t.now,
      ...(t.retryOf === undefined ? {} : { retryOfTaskId: t.retryOf }),
      ...(sealed ? { sealed } : {}),
      token,
      base: t.base,
    };
    if (t.operation === 'import/upload') {
      const expires = String(t.now + this.deps.config.retention.unstartedSeconds);
      return { ...base, message: 'Waiting for file upload', form: { url: `${t.base}/v2/upload/${t.id}`, parameters: { expires, signature: token } } };
    }
    if (t.checked.content !== undefined) {
      const file = await this.storeFile(t.id, t.checked.content.filename, Readable.from([t.checked.content.bytes]), Number.MAX_SAFE_INTEGER);
      return { ...base, status: 'finished', percent: 100, startedAt: t.now, endedAt: t.now, files: [file] };
    }
    return base;
  }

  private async storeFile(taskId: string, filename: string, stream: Readable, maxBytes: number): Promise<TaskFile> {
    const key = storageKeys.output(taskId, filename);
    const stored = await this.deps.store.put(key, stream, { maxBytes });
    await this.deps.tasks.expireFilesAt(taskId, nowSeconds() + this.deps.config.retention.savedSeconds);
    return { filename, size: stored.size, key };
  }

  /**
   * The upload of an import/upload task's form; authorised by the form's signature, not a key.
   * Throws TASK_NOT_FOUND-like 404s and WRONG_STATE for a second upload.
   */
  async upload(taskId: string, signature: string | undefined, stream: Readable, filename: string): Promise<TaskRecord> {
    const task = await this.deps.tasks.getTask(taskId);
    if (task === undefined || task.operation !== 'import/upload' || task.form === undefined) throw appError('FILE_NOT_FOUND', 'No upload form at this URL: the task does not exist, or it is not an import/upload task.');
    // The form's signature is the only thing that authorises an upload: the task id is no secret.
    if (signature === undefined || !sameSecret(signature, task.token)) {
      stream.resume();
      throw appError('API_KEY_INVALID', 'The signature of this upload form is missing or wrong. Post every parameter of the task\'s result.form unchanged, before the file.');
    }
    if (Number(task.form.parameters.expires) < nowSeconds()) throw appError('WRONG_STATE', 'This upload form has expired. Create a new import/upload task.');
    const now = nowSeconds();
    // The guarded move out of `waiting` is the one claim: of racing uploads, one gets it.
    const receiving: TaskPatch = { status: 'processing', startedAt: now, message: 'Receiving file' };
    if (task.status !== 'waiting' || !(await this.deps.tasks.updateTask(task, receiving, ['waiting'])).ok) {
      stream.resume();
      throw appError('WRONG_STATE', 'A file was uploaded to this task already. Create a new import/upload task (or retry this one) for another file.');
    }
    let ended: TaskPatch;
    try {
      const file = await this.storeFile(task.id, filename, stream, this.limits(task.owner).maxsizeMb * 1024 * 1024);
      ended = { status: 'finished', percent: 100, message: null, endedAt: nowSeconds(), files: [file] };
      await this.end(task, { ...ended, status: 'finished' });
    } catch (error) {
      await this.end(task, { status: 'error', code: isAppError(error) ? error.code : 'UPLOAD_FAILED', message: isAppError(error) ? error.message : 'The upload did not complete.', endedAt: nowSeconds() });
      throw error;
    }
    return { ...task, ...receiving, ...ended };
  }

  /** Fails the upload tasks whose form expired without a file (their dependants fail too). */
  async expireUploads(now = nowSeconds()): Promise<number> {
    const ids = await this.deps.tasks.takeExpiredUploads(now, 500);
    for (const task of await this.deps.tasks.getTasks(ids)) {
      await this.end(task, { status: 'error', code: 'UPLOAD_EXPIRED', message: 'The upload form expired before a file arrived. Create a new import/upload task (or retry this one).', endedAt: now }, ['waiting']);
    }
    return ids.length;
  }

  /**
   * Safety net behind processEnded: a task still processing although its process has ended (the
   * server that ended it failed before telling the task) or is gone ends now. Tasks younger than
   * `graceSeconds` are left alone: their end is usually being written.
   */
  async reconcileRunning(now = nowSeconds(), graceSeconds = 60): Promise<number> {
    let fixed = 0;
    for (const task of await this.deps.tasks.getTasks(await this.deps.tasks.runningSince(now - graceSeconds, 200))) {
      const record = task.processId === undefined ? undefined : await this.deps.processes.get(task.processId);
      if (record !== undefined && !isFinal(record.step)) continue;
      fixed++;
      if (record !== undefined) await this.processEnded(record);
      else await this.end(task, { status: 'error', code: 'INTERNAL', message: 'The process running this task was lost. Retry the task.', endedAt: now });
      await this.deps.tasks.markStopped(task.id);
    }
    return fixed;
  }

  /**
   * Starts `task` when its inputs allow, or fails it when one of them failed. Resolves whether
   * the task is still open afterwards (waiting or running): then its job cannot have ended.
   */
  private async evaluate(task: TaskRecord): Promise<boolean> {
    if (task.status !== 'waiting' || task.operation === 'import/upload') return !isEnded(task.status);
    const inputs = await this.deps.tasks.getTasks(task.dependsOn);
    if (inputs.length < task.dependsOn.length || inputs.some((t) => t.status === 'error')) {
      await this.end(task, { status: 'error', code: INPUT_TASK_FAILED.code, message: INPUT_TASK_FAILED.message, endedAt: nowSeconds() }, ['waiting']);
      return false;
    }
    if (!inputs.every((t) => t.status === 'finished')) return true;
    // Another server is starting it (both saw its last input end): that one decides.
    if (!(await this.deps.tasks.claim(`start:${task.id}`, this.recordTtl(task.owner)))) return true;
    try {
      return await this.start(task, inputs.flatMap((t) => (t.files ?? []).map((file) => ({ ...file, task: t.name ?? t.id }))));
    } catch (error) {
      const known = isAppError(error);
      await this.end(task, { status: 'error', code: known ? error.code : 'INTERNAL', message: known ? error.message : 'The task could not be started. Retry it; if it fails again, tell the operator.', endedAt: nowSeconds() }, ['waiting']);
      return false;
    }
  }

  /** Runs the task's operation; resolves whether it still runs (a process) rather than ended at once. */
  private async start(task: TaskRecord, files: readonly InputTaskFile[]): Promise<boolean> {
    const run = OPERATION_HANDLERS[task.operation].start(task.payload, files);
    const now = nowSeconds();
    if (run.kind === 'files') {
      await this.end(task, { status: 'finished', percent: 100, startedAt: now, endedAt: now, files: run.files }, ['waiting']);
      return false;
    }
    const record = this.processRecord(task, run.spec, now);
    const maxtime = this.limits(task.owner).maxtimeSeconds;
    // The credentials move to the process, which the worker reads them by.
    if (task.sealed === true) await this.deps.secrets.put(record.id, await this.deps.secrets.get(task.id), maxtime * 2 + 600);
    await Promise.all([
      this.deps.processes.create(record, maxtime * 2 + this.deps.config.retention.savedSeconds + this.deps.config.retention.recordSeconds),
      this.deps.tasks.updateTask(task, { status: 'processing', startedAt: now, processId: record.id, engine: run.spec.plan.engine, message: null }, ['waiting']),
      this.deps.tasks.markRunning(task.id, now),
    ]);
    await this.deps.endings.admit(record);
    return true;
  }

  private processRecord(task: TaskRecord, spec: ProcessSpec, now: number): ProcessRecord {
    const url = new URL(task.base);
    const maxtime = this.limits(task.owner).maxtimeSeconds;
    const filename = spec.filename ?? 'file';
    const dot = filename.lastIndexOf('.');
    return {
      id: newId(),
      owner: task.owner,
      host: url.host,
      scheme: url.protocol === 'https:' ? 'https' : 'http',
      createdAt: now,
      mode: recordModeOf(spec.plan),
      step: inStore(spec.source) ? 'wait' : 'input',
      percent: 0,
      message: 'Waiting in queue',
      started: true,
      startTime: now,
      expire: now + maxtime,
      plan: spec.plan,
      input: { type: spec.source.kind === 'download' ? 'download' : 'upload', filename, name: dot > 0 ? filename.slice(0, dot) : filename, ext: dot > 0 ? filename.slice(dot + 1) : '' },
      inputSource: spec.source,
      ...(spec.outputName === undefined ? {} : { outputName: spec.outputName }),
      ...(spec.outputTarget === undefined ? {} : { outputTarget: spec.outputTarget }),
      save: true,
      timeoutSeconds: Math.min(spec.timeoutSeconds ?? maxtime, maxtime),
      uploadToken: newId(),
      downloadToken: newId(),
      task: task.id,
    };
  }

  /** Called by ProcessEndings when a task's process ended: the task ends with it. */
  async processEnded(record: ProcessRecord): Promise<void> {
    if (record.task === undefined || !isFinal(record.step)) return;
    const task = await this.deps.tasks.getTask(record.task);
    if (task === undefined) return;
    if (record.step === 'error') {
      await this.end(task, { status: 'error', code: record.errorCode ?? 'INTERNAL', message: record.message, endedAt: record.endTime ?? nowSeconds() }, ['waiting', 'processing']);
      return;
    }
    const files = await this.outputFiles(record);
    await this.end(task, { status: 'finished', percent: 100, message: record.message, endedAt: record.endTime ?? nowSeconds(), files, ...(record.info === undefined ? {} : { metadata: record.info }) }, ['waiting', 'processing']);
  }

  private async outputFiles(record: ProcessRecord): Promise<TaskFile[]> {
    const output = record.output;
    if (output === undefined) return [];
    if (output.files === undefined) return [{ filename: output.filename, size: output.size, key: storageKeys.output(record.id, output.filename) }];
    return Promise.all(output.files.map(async (name) => {
      const key = storageKeys.output(record.id, name);
      return { filename: name, size: (await this.deps.store.stat(key))?.size ?? 0, key };
    }));
  }

  /** Writes a task's end (when its status allows), then moves its dependants and its job on. */
  private async end(task: TaskRecord, patch: TaskPatch & { status: 'finished' | 'error' }, from: TaskRecord['status'][] = ['waiting', 'processing']): Promise<void> {
    const result = await this.deps.tasks.updateTask(task, patch, from);
    if (!result.ok) return;
    const [, , dependants] = await Promise.all([this.deps.tasks.markStopped(task.id), task.sealed === true ? this.deps.secrets.delete(task.id) : undefined, this.deps.tasks.dependants(task.id)]);
    let open = false;
    for (const dependant of await this.deps.tasks.getTasks(dependants)) open = (await this.evaluate(dependant)) || open;
    // A dependant that still runs will end the job; only when none does can it have ended now.
    if (task.jobId !== undefined && !open) await this.checkJobEnd(task.jobId);
  }

  /** Announces a job's end once, and keeps its records for the retention from then on. */
  private async checkJobEnd(jobId: string): Promise<void> {
    const job = await this.deps.tasks.getJob(jobId);
    if (job === undefined) return;
    const status = jobStatus(await this.deps.tasks.getTasks(job.taskIds));
    if (status !== 'finished' && status !== 'error') return;
    const { retention } = this.deps.config;
    if (!(await this.deps.tasks.claim(`ended:${job.id}:${job.taskIds.length}`, retention.savedSeconds + retention.recordSeconds))) return;
    await this.deps.tasks.expireJob(job, retention.savedSeconds + retention.recordSeconds);
    await this.deps.announce?.(status === 'finished' ? 'job.finished' : 'job.failed', job);
  }

  /** Stops a waiting or processing task: it ends in error CANCELLED (its dependants fail). */
  async cancel(task: TaskRecord): Promise<void> {
    if (isEnded(task.status)) throw invalid('status', 'Cannot change status: task already completed.');
    await this.end(task, { status: 'error', code: 'CANCELLED', message: 'The task was cancelled.', endedAt: nowSeconds() });
    await this.stopProcess(task.processId);
  }

  private async stopProcess(processId: string | undefined): Promise<void> {
    if (processId === undefined) return;
    const record = await this.deps.processes.get(processId);
    if (record === undefined || isFinal(record.step)) return;
    const patch = failedPatch(this.deps.config.retention, 'CANCELLED', 'The task was cancelled.');
    const result = await this.deps.processes.updateAndGet(processId, patch, { ttlSeconds: endedRecordTtl(this.deps.config.retention, patch) });
    await this.deps.queue.remove(processId);
    await this.deps.publishCancel(processId);
    if (result.ok) await this.deps.endings.ended(result.record);
  }

  /** A new task with the payload of `task` (a new upload form for uploads); it joins the same job. */
  async retry(account: Account, task: TaskRecord): Promise<TaskRecord> {
    if (!isEnded(task.status)) throw invalid('status', 'Only a finished or failed task can be retried; cancel it first.');
    const secrets = task.sealed === true ? await this.deps.secrets.get(task.id) : {};
    // Credentials go when their task ends: a retry of a storage task needs them sent again.
    if (task.sealed === true && !hasSecrets(secrets)) {
      throw invalid('task', `The credentials or passwords of this ${task.operation} task were discarded when it ended. Create a new ${task.operation} task with them instead of retrying.`);
    }
    const checked: Checked = { payload: task.payload, ...(hasSecrets(secrets) ? { secrets } : {}) };
    const retry = await this.newTask(account, { id: randomUUID(), ...(task.jobId === undefined ? {} : { jobId: task.jobId }), ...(task.name === undefined ? {} : { name: task.name }), operation: task.operation, checked, dependsOn: task.dependsOn, ignoreError: task.ignoreError, now: nowSeconds(), base: task.base, retryOf: task.id });
    if (isImport(task.operation) && task.operation !== 'import/upload' && task.operation !== 'import/url' && task.operation !== 'import/s3' && task.operation !== 'import/sftp') {
      // base64/raw: the content was stored, not kept in the payload: the retry reuses the file.
      await this.deps.tasks.createTask({ ...retry, status: 'finished', percent: 100, startedAt: retry.createdAt, endedAt: retry.createdAt, ...(task.files === undefined ? {} : { files: task.files }) }, this.recordTtl(account.id));
    } else {
      await this.deps.tasks.createTask(retry, this.recordTtl(account.id));
    }
    const stored = (await this.deps.tasks.getTask(retry.id)) ?? retry;
    await this.evaluate(stored);
    return (await this.deps.tasks.getTask(retry.id)) ?? stored;
  }

  /** Removes a task and its files (cancelling it first when it runs). */
  async deleteTask(task: TaskRecord): Promise<void> {
    if (!isEnded(task.status)) await this.cancel(task).catch(() => undefined);
    await this.deps.tasks.deleteTask(task);
    await this.removeFiles(task);
  }

  /** Removes a job, its tasks and their files (cancelling what runs). */
  async deleteJob(job: JobRecord): Promise<void> {
    const tasks = await this.deps.tasks.getTasks(job.taskIds);
    for (const task of tasks) if (!isEnded(task.status)) await this.cancel(task).catch(() => undefined);
    await this.deps.tasks.deleteJob(job);
    for (const task of tasks) await this.removeFiles(task);
  }

  private async removeFiles(task: TaskRecord): Promise<void> {
    await this.deps.secrets.delete(task.id);
    await this.deps.store.deleteFolder(storageKeys.folder(task.id));
    if (task.processId !== undefined) await this.deps.store.deleteFolder(storageKeys.folder(task.processId));
  }
}

/** `input` as a list of names or ids; undefined when it is neither a string nor strings. */
export function inputList(value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === '') return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

function invalid(field: string, message: string): Error {
  return new InvalidDataError({ [field]: [message] });
}

/** Compares in constant time, so the answer's timing does not reveal a secret's prefix. */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function inStore(source: InputSource): boolean {
  return source.kind === 'many' ? source.files.every((f) => f.source.kind === 'stored') : source.kind === 'stored';
}
