// Jobs and tasks in Redis: one hash per record (each field JSON), a sorted set per owner for the
// lists, and the process events channel for changes, so v2 waits share v1's one subscription.
// Status changes are one Lua script that checks the current status, writes, and publishes the
// task's id and its job's id.
import type { Redis } from 'ioredis';
import { stateGuard } from '../guarded-update.js';
import { decodeFields as decode, encodeFields as encode } from '../json-hash.js';
import { taskEventOf, taskMessage } from './live-events.js';
import { isEnded, type JobRecord, type TaskPatch, type TaskRecord, type TaskStatus } from './model.js';

// KEYS: 1 task hash. ARGV: 1 allowed statuses (JSON strings joined by "|", "" = any), 2 channel,
// 3 task id, 4 job id ("" = none), 5 TTL seconds ("" = unchanged), 6 live channel ("" = none),
// 7 live event, 8.. field/value pairs. The live message holds the hash as written (./live-events.ts).
const UPDATE_SCRIPT = `${stateGuard('status')}
for i = 8, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
if ARGV[5] ~= '' then redis.call('EXPIRE', KEYS[1], ARGV[5]) end
redis.call('PUBLISH', ARGV[2], ARGV[3] .. ' task')
if ARGV[4] ~= '' then redis.call('PUBLISH', ARGV[2], ARGV[4] .. ' job') end
if ARGV[6] ~= '' then redis.call('PUBLISH', ARGV[6], cjson.encode({event = ARGV[7], fields = redis.call('HGETALL', KEYS[1])})) end
return 'ok'
`;

export type TaskUpdate = { readonly ok: true } | { readonly ok: false; readonly status?: TaskStatus };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const isUuid = (value: string): boolean => UUID.test(value);


export class TaskRepository {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** The channel ProcessEvents listens on. */
    private readonly channel: string,
    /** Where task events go for the real-time API (./live-events.ts); none: not published. */
    private readonly liveChannel?: string,
  ) {}

  private taskKey(id: string): string {
    return `${this.prefix}:v2:t:${id}`;
  }
  private jobKey(id: string): string {
    return `${this.prefix}:v2:j:${id}`;
  }
  private ownerTasks(owner: string): string {
    return `${this.prefix}:v2:ot:${owner}`;
  }
  private ownerJobs(owner: string): string {
    return `${this.prefix}:v2:oj:${owner}`;
  }

  /** Stores a job with its tasks in one transaction; everything goes after `ttlSeconds` unless renewed. */
  async createJob(job: JobRecord, tasks: readonly TaskRecord[], ttlSeconds: number): Promise<void> {
    const multi = this.redis.multi().hset(this.jobKey(job.id), ...encode(job)).expire(this.jobKey(job.id), ttlSeconds).zadd(this.ownerJobs(job.owner), job.createdAt, job.id);
    for (const task of tasks) this.addTask(multi, task, ttlSeconds);
    await multi.publish(this.channel, `${job.id} job`).exec();
  }

  /** Stores a stand-alone task (or a retry). */
  async createTask(task: TaskRecord, ttlSeconds: number): Promise<void> {
    const multi = this.redis.multi();
    this.addTask(multi, task, ttlSeconds);
    if (task.jobId !== undefined) multi.rpush(`${this.jobKey(task.jobId)}:extra`, task.id).expire(`${this.jobKey(task.jobId)}:extra`, ttlSeconds);
    // The reverse edge of retry_of_task_id: stand-alone tasks have no job to search for their retries.
    if (task.retryOfTaskId !== undefined) multi.rpush(this.retriesKey(task.retryOfTaskId), task.id).expire(this.retriesKey(task.retryOfTaskId), ttlSeconds);
    await multi.exec();
  }

  private retriesKey(id: string): string {
    return `${this.prefix}:v2:retries:${id}`;
  }

  /** Ids of the retries of task `id`, oldest first (some may have been deleted since). */
  async retries(id: string): Promise<string[]> {
    return this.redis.lrange(this.retriesKey(id), 0, -1);
  }

  private addTask(multi: ReturnType<Redis['multi']>, task: TaskRecord, ttlSeconds: number): void {
    if (this.liveChannel !== undefined) multi.publish(this.liveChannel, taskMessage('task.created', task));
    multi.hset(this.taskKey(task.id), ...encode(task)).expire(this.taskKey(task.id), ttlSeconds).zadd(this.ownerTasks(task.owner), task.createdAt, task.id);
    // Upload forms that expire unused fail their task (the sweeper asks for them).
    if (task.form !== undefined && task.status === 'waiting') multi.zadd(this.uploadsKey, Number(task.form.parameters.expires), task.id);
    // The reverse edges: when a task ends, the tasks waiting for it are looked at.
    for (const input of task.dependsOn) multi.sadd(this.dependantsKey(input), task.id).expire(this.dependantsKey(input), ttlSeconds);
  }

  private get uploadsKey(): string {
    return `${this.prefix}:v2:uploads`;
  }

  /** Ids of upload tasks whose form expired by `now` (unix seconds); they leave the index. */
  async takeExpiredUploads(now: number, limit: number): Promise<string[]> {
    const ids = await this.redis.zrangebyscore(this.uploadsKey, 0, now, 'LIMIT', 0, limit);
    if (ids.length > 0) await this.redis.zrem(this.uploadsKey, ...ids);
    return ids;
  }

  private get runningKey(): string {
    return `${this.prefix}:v2:running`;
  }

  /** Remembers a task whose process runs (score: when it started), for the sweeper's safety net. */
  async markRunning(id: string, since: number): Promise<void> {
    await this.redis.zadd(this.runningKey, since, id);
  }

  async markStopped(id: string): Promise<void> {
    await this.redis.zrem(this.runningKey, id);
  }

  /** Tasks marked running since before `before` (unix seconds), oldest first. */
  async runningSince(before: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.runningKey, 0, before, 'LIMIT', 0, limit);
  }

  private dependantsKey(id: string): string {
    return `${this.prefix}:v2:dep:${id}`;
  }

  /** Ids of the tasks that named `id` in their input. */
  async dependants(id: string): Promise<string[]> {
    return this.redis.smembers(this.dependantsKey(id));
  }

  /**
   * Files stored for a task itself (uploads, base64, raw) go at `at` (unix seconds): the
   * sweeper removes the folder of every id in the process expiry index.
   */
  async expireFilesAt(id: string, at: number): Promise<void> {
    await this.redis.zadd(`${this.prefix}:expiry`, at, id);
  }

  async getTask(id: string): Promise<TaskRecord | undefined> {
    if (!isUuid(id)) return undefined;
    return decode<TaskRecord>(await this.redis.hgetall(this.taskKey(id)));
  }

  async getTasks(ids: readonly string[]): Promise<TaskRecord[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.taskKey(id));
    const results = (await pipeline.exec()) ?? [];
    return results.map(([, raw]) => decode<TaskRecord>(raw as Record<string, string>)).filter((t): t is TaskRecord => t !== undefined);
  }

  async getJob(id: string): Promise<JobRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const job = decode<JobRecord>(await this.redis.hgetall(this.jobKey(id)));
    if (job === undefined) return undefined;
    // Retries join their job after it was created.
    const extra = await this.redis.lrange(`${this.jobKey(id)}:extra`, 0, -1);
    return extra.length === 0 ? job : { ...job, taskIds: [...job.taskIds, ...extra] };
  }

  /** Applies `patch` when the task's status is one of `from` (any when absent), and tells the task's and the job's waiters. */
  async updateTask(task: Pick<TaskRecord, 'id' | 'jobId'>, patch: TaskPatch, from?: readonly TaskStatus[], ttlSeconds?: number): Promise<TaskUpdate> {
    const result = (await this.redis.eval(
      UPDATE_SCRIPT,
      1,
      this.taskKey(task.id),
      (from ?? []).map((s) => JSON.stringify(s)).join('|'),
      this.channel,
      task.id,
      // A job's waiters wait for its end: they hear only of tasks that end.
      patch.status !== undefined && isEnded(patch.status) ? (task.jobId ?? '') : '',
      ttlSeconds === undefined ? '' : String(ttlSeconds),
      this.liveChannel ?? '',
      taskEventOf(patch.status),
      ...encode(patch),
    )) as string;
    if (result === 'ok') return { ok: true };
    if (result === 'missing') return { ok: false };
    return { ok: false, status: JSON.parse(result) as TaskStatus };
  }

  /** Keeps a job and its tasks `ttlSeconds` more (set when the job ends). */
  async expireJob(job: JobRecord, ttlSeconds: number): Promise<void> {
    const multi = this.redis.multi().expire(this.jobKey(job.id), ttlSeconds).expire(`${this.jobKey(job.id)}:extra`, ttlSeconds);
    for (const id of job.taskIds) multi.expire(this.taskKey(id), ttlSeconds);
    await multi.exec();
  }

  /** Takes a one-time claim (e.g. "the job's end was announced"); false when taken already. */
  async claim(what: string, ttlSeconds: number): Promise<boolean> {
    return (await this.redis.set(`${this.prefix}:v2:claim:${what}`, '1', 'EX', ttlSeconds, 'NX')) === 'OK';
  }

  /** The job a signed URL ran for this cache entry, if it is remembered. */
  async cachedJob(entry: string): Promise<string | undefined> {
    return (await this.redis.get(`${this.prefix}:v2:signed:${entry}`)) ?? undefined;
  }

  /** Remembers `jobId` for the entry unless another job is there already; resolves the job kept. */
  async cacheJob(entry: string, jobId: string, ttlSeconds: number): Promise<string> {
    const key = `${this.prefix}:v2:signed:${entry}`;
    if ((await this.redis.set(key, jobId, 'EX', ttlSeconds, 'NX')) === 'OK') return jobId;
    return (await this.redis.get(key)) ?? jobId;
  }

  async forgetCachedJob(entry: string): Promise<void> {
    await this.redis.del(`${this.prefix}:v2:signed:${entry}`);
  }

  async deleteTask(task: TaskRecord): Promise<void> {
    await this.redis.multi().del(this.taskKey(task.id)).zrem(this.ownerTasks(task.owner), task.id).publish(this.channel, `${task.id} deleted`).exec();
  }

  async deleteJob(job: JobRecord): Promise<void> {
    const multi = this.redis.multi().del(this.jobKey(job.id), `${this.jobKey(job.id)}:extra`).zrem(this.ownerJobs(job.owner), job.id);
    for (const id of job.taskIds) multi.del(this.taskKey(id)).zrem(this.ownerTasks(job.owner), id);
    await multi.publish(this.channel, `${job.id} deleted`).exec();
  }

  /** The owner's job ids, newest first; ids of records that expired are pruned on the way. */
  async listJobIds(owner: string, limit: number): Promise<string[]> {
    return this.listIds(this.ownerJobs(owner), (id) => this.jobKey(id), limit);
  }

  async listTaskIds(owner: string, limit: number): Promise<string[]> {
    return this.listIds(this.ownerTasks(owner), (id) => this.taskKey(id), limit);
  }

  private async listIds(index: string, keyOf: (id: string) => string, limit: number): Promise<string[]> {
    const ids = await this.redis.zrevrange(index, 0, limit - 1);
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.exists(keyOf(id));
    const exists = ((await pipeline.exec()) ?? []).map(([, n]) => Number(n) === 1);
    const gone = ids.filter((_, i) => !exists[i]);
    if (gone.length > 0) await this.redis.zrem(index, ...gone);
    return ids.filter((_, i) => exists[i]);
  }
}
