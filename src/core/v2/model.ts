// The records of CloudConvert API v2: jobs made of tasks. A task that converts runs as an
// internal process of the v1 model (one way to run a conversion); these records hold what v2
// adds on top: names, the graph through `input`, statuses and results.

export const TASK_STATUSES = ['waiting', 'processing', 'finished', 'error'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const isEnded = (status: TaskStatus): boolean => status === 'finished' || status === 'error';

/** The operations this server runs, with their wire names (the `POST /v2/{operation}` paths). */
export const OPERATIONS = [
  'import/url',
  'import/upload',
  'import/base64',
  'import/raw',
  'import/s3',
  'import/sftp',
  'import/azure/blob',
  'import/google-cloud-storage',
  'import/openstack',
  'convert',
  'optimize',
  'merge',
  'archive',
  'thumbnail',
  'capture-website',
  'metadata',
  'archive/extract',
  'pdf/a',
  'pdf/x',
  'pdf/ocr',
  'pdf/encrypt',
  'pdf/decrypt',
  'pdf/split-pages',
  'pdf/extract-pages',
  'pdf/rotate-pages',
  'metadata/write',
  'watermark',
  'command',
  'export/url',
  'export/s3',
  'export/sftp',
  'export/azure/blob',
  'export/google-cloud-storage',
  'export/openstack',
] as const;
export type Operation = (typeof OPERATIONS)[number];

export const isOperation = (value: string): value is Operation => (OPERATIONS as readonly string[]).includes(value);
export const isImport = (operation: Operation): boolean => operation.startsWith('import/');

/** Most tasks one job may hold: a graph this size is far beyond any real use. */
export const MAX_TASKS_PER_JOB = 50;

/** Task names (the keys of a job's `tasks`): CloudConvert allows these characters only. */
export const TASK_NAME = /^[A-Za-z0-9_-]{1,100}$/;

/** One file a task made (or imported), where it lies in the file store. */
export interface TaskFile {
  readonly filename: string;
  readonly size: number;
  /** Its key in the file store. */
  readonly key: string;
}

/** The form a client posts an `import/upload` file to; every parameter is a string (the .NET SDK reads them as strings). */
export interface UploadForm {
  readonly url: string;
  readonly parameters: Readonly<Record<string, string>>;
}

export interface TaskRecord {
  /** Lowercase UUID v4. */
  readonly id: string;
  /** Account id (a hash of the API key): only this key sees the task. */
  readonly owner: string;
  readonly jobId?: string;
  /** The task's name inside its job; absent for stand-alone tasks. */
  readonly name?: string;
  readonly operation: Operation;
  readonly status: TaskStatus;
  readonly message: string | null;
  /** An UPPER_SNAKE error code once the task failed. */
  readonly code: string | null;
  readonly percent: number;
  /** The fields as submitted, credentials removed (shown with include=payload; used by retry). */
  readonly payload: Readonly<Record<string, unknown>>;
  /** Ids of the tasks named in `input`, in input order. */
  readonly dependsOn: readonly string[];
  /** A failure of this task does not fail its job. */
  readonly ignoreError: boolean;
  /** Unix seconds. */
  readonly createdAt: number;
  readonly startedAt?: number;
  readonly endedAt?: number;
  readonly retryOfTaskId?: string;
  /** The internal process running this task, while and after it runs. */
  readonly processId?: string;
  readonly engine?: string;
  readonly files?: readonly TaskFile[];
  readonly form?: UploadForm;
  /** `metadata` tasks: what was read. */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** Storage credentials are kept sealed beside the task (SecretStore) until it ends. */
  readonly sealed?: boolean;
  /** Secret of the upload form (import/upload) and of export URLs. */
  readonly token: string;
  /** Public base URL (`http://host:port`) the task's URLs use. */
  readonly base: string;
}

export type TaskPatch = Partial<Omit<TaskRecord, 'id' | 'owner' | 'createdAt' | 'token' | 'base'>>;

export interface JobRecord {
  readonly id: string;
  readonly owner: string;
  readonly tag: string | null;
  readonly webhookUrl?: string;
  readonly createdAt: number;
  /** The job's tasks in the order they were given. */
  readonly taskIds: readonly string[];
  readonly base: string;
}

export type JobStatus = TaskStatus;

/**
 * A job's status follows its tasks: waiting until one leaves waiting, processing until all have
 * ended, then error when a task failed without ignore_error, else finished.
 */
export function jobStatus(tasks: readonly Pick<TaskRecord, 'status' | 'ignoreError' | 'code'>[]): JobStatus {
  if (tasks.length === 0) return 'waiting';
  if (tasks.every((t) => isEnded(t.status))) return tasks.some((t) => t.status === 'error' && !t.ignoreError) ? 'error' : 'finished';
  return tasks.some((t) => t.status !== 'waiting') ? 'processing' : 'waiting';
}

/** When a job started and ended, from its tasks. */
export function jobTimes(tasks: readonly Pick<TaskRecord, 'status' | 'startedAt' | 'endedAt' | 'createdAt'>[]): { startedAt?: number; endedAt?: number } {
  const started = tasks.map((t) => t.startedAt).filter((v): v is number => v !== undefined);
  const ended = tasks.every((t) => isEnded(t.status)) ? tasks.map((t) => t.endedAt ?? t.createdAt) : [];
  return {
    ...(started.length === 0 ? {} : { startedAt: Math.min(...started) }),
    ...(ended.length === 0 ? {} : { endedAt: Math.max(...ended) }),
  };
}
