// The BullMQ worker: one job per process (job id = process id). Bad input ends the process in
// `error` at once; infrastructure failures are retried by BullMQ, and a process whose attempts
// are used up (also through stalled-job recovery after a crash) ends in `error` too.
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import { QueueEvents, WaitingError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../src/config/index.js';
import type { AccountRegistry } from '../src/core/accounts.js';
import { AppError, appError, StopError } from '../src/core/errors.js';
import { ENGINE_CLASS, ENGINE_CLASSES, type EngineClass } from '../src/core/catalog/engine-classes.js';
import { cancelChannel, conversionQueueName, type JobOf } from '../src/core/jobs.js';
import type { Logger } from '../src/core/logger.js';
import type { ConversionResult, Metrics } from '../src/core/metrics.js';
import { endedRecordTtl, failedPatch, failedPatchFor, finishedPatch } from '../src/core/process/lifecycle.js';
import type { ProcessPatch, ProcessRecord } from '../src/core/process/record.js';
import type { ConversionPlan } from '../src/core/catalog/resolve.js';
import type { ProcessEndings } from '../src/core/process/endings.js';
import type { ProcessRepository } from '../src/core/process/repository.js';
import { WorkerHeartbeat } from '../src/core/workers-registry.js';
import { FINAL_STEPS, isFinal } from '../src/core/process/steps.js';
import { storageKeys } from '../src/core/storage/file-store.js';
import { contextFrom, failSpan, inSpan, SpanKind, type Span } from '../src/core/trace-context.js';
import { withTimeout } from '../src/core/time-limit.js';
import type { PipelineContext, PipelineServices } from './pipeline/context.js';
import { ProcessGoneError, runPipeline, throttledProgress } from './pipeline/run-pipeline.js';

export interface WorkerDeps {
  readonly config: Config;
  readonly accounts: AccountRegistry;
  readonly repository: ProcessRepository;
  readonly endings: ProcessEndings;
  readonly services: PipelineServices;
  /** Connection for the worker (BullMQ duplicates it for blocking commands). */
  readonly connection: Redis;
  /** Connection for the queue events streams (each engine class's QueueEvents duplicates it). */
  readonly eventsConnection: Redis;
  /** A dedicated connection for the cancel subscription. */
  readonly subscriber: Redis;
  readonly log: Logger;
  /** Conversion counts, durations and queue wait of this process. */
  readonly metrics?: Metrics;
}

/** How long an aborted step's late work may keep the job's folder (see removeFolder). */
const LATE_WORK_GRACE_MS = 10_000;

/** One attempt at one process, while it runs. */
interface Run {
  readonly id: string;
  readonly ctx: PipelineContext;
  readonly controller: AbortController;
  readonly timer: NodeJS.Timeout;
  readonly log: Logger;
  readonly engine: string;
  /** performance.now() at the start. */
  readonly began: number;
  /** Counts the attempt's result and duration in the metrics and its span; `failure`: the error code it ended the process with. */
  readonly ended: (result: ConversionResult, failure?: string) => void;
}

/** How a failed attempt ended, and the error code when it ended the process. */
interface FailureOutcome {
  readonly result: ConversionResult;
  readonly code?: string;
}


/** What takes one engine class's jobs: a BullMQ worker with the class's concurrency, and its failures. */
interface ClassConsumer {
  readonly worker: Worker<JobOf<'conversion'>, void, 'conversion'>;
  readonly events: QueueEvents;
}

export class ConversionWorker {
  private readonly running = new Map<string, AbortController>();
  private readonly consumers: ClassConsumer[];
  private readonly heartbeat: WorkerHeartbeat;

  constructor(private readonly deps: WorkerDeps) {
    const { config } = deps;
    const taken = takenClasses(config);
    this.consumers = taken.map((engineClass) => this.consume(engineClass));
    deps.subscriber.on('message', (_channel: string, id: string) => this.running.get(id)?.abort(new StopError('cancel')));
    void deps.subscriber.subscribe(cancelChannel(config.redisPrefix));
    // Only the engines of the classes it takes: the API's per-engine worker count stays true for a light-only worker.
    const engines = deps.services.engines.ids.filter((engine) => taken.includes(ENGINE_CLASS[engine]));
    this.heartbeat = new WorkerHeartbeat(deps.connection, config.redisPrefix, `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`, engines, deps.services.sandbox.report().kind);
  }

  /** A BullMQ worker on the class's queue. Each one duplicates the connection for its blocking commands. */
  private consume(engineClass: EngineClass): ClassConsumer {
    const { config, log } = this.deps;
    const name = conversionQueueName(engineClass);
    const worker = new Worker<JobOf<'conversion'>, void, 'conversion'>(name, (job, token, signal) => this.process(job, token, signal), {
      connection: this.deps.connection,
      prefix: config.redisPrefix,
      concurrency: concurrencyOf(config, engineClass),
      lockDuration: config.worker.lockDurationMs,
      stalledInterval: config.worker.stalledIntervalMs,
      maxStalledCount: Math.max(0, config.worker.attempts - 1),
    });
    worker.on('error', (error) => log.error({ err: error, queue: name }, 'worker error'));
    const events = new QueueEvents(name, { connection: this.deps.eventsConnection, prefix: config.redisPrefix });
    // Jobs that failed for good without our handler running (stalled too often) end here.
    events.on('failed', ({ jobId, failedReason }) => void this.failForGood(jobId, failedReason));
    return { worker, events };
  }

  async waitUntilReady(): Promise<void> {
    await Promise.all(this.consumers.flatMap((c) => [c.worker.waitUntilReady(), c.events.waitUntilReady()]));
    await this.heartbeat.start();
  }

  /**
   * Stops taking jobs and lets the running ones finish for `graceMs`; then it stops them and
   * hands them back to the queue, where another worker takes them at once.
   */
  async close(graceMs = this.deps.config.worker.shutdownGraceMs): Promise<void> {
    await this.heartbeat.stop();
    const closing = Promise.all(this.consumers.map((c) => c.worker.close()));
    const timer = setTimeout(() => {
      if (this.running.size > 0) this.deps.log.warn({ running: [...this.running.keys()] }, 'shutdown grace period over: handing running conversions back to the queue');
      // shutdown: the grace period of a SIGTERM ran out; the jobs go back to the queue.
      for (const controller of this.running.values()) controller.abort(new StopError('shutdown'));
    }, graceMs);
    try {
      await closing;
    } finally {
      clearTimeout(timer);
    }
    await Promise.all(this.consumers.map((c) => c.events.close()));
    this.deps.subscriber.disconnect();
  }

  private async write(id: string, patch: ProcessPatch): Promise<boolean> {
    const result = await this.deps.repository.update(id, patch, patch.step === undefined ? { fromSteps: ['input', 'wait', 'convert', 'output'] } : {});
    return result.ok;
  }

  private async end(id: string, patch: ProcessPatch): Promise<void> {
    const ttlSeconds = endedRecordTtl(this.deps.config.retention, patch);
    // The update answers the record it wrote: the endings need it, and a read back is a round trip.
    const result = await this.deps.repository.updateAndGet(id, patch, { ttlSeconds });
    // Deleted while running: whatever this job stored must go too.
    if (!result.ok && result.reason === 'missing') await this.deps.services.store.deleteFolder(storageKeys.folder(id));
    if (result.ok) await this.deps.endings.ended(result.record);
  }

  private async process(job: Job<JobOf<'conversion'>, void, 'conversion'>, token: string | undefined, bullSignal?: AbortSignal): Promise<void> {
    const record = await this.deps.repository.get(job.data.processId);
    if (record === undefined || isFinal(record.step) || record.plan === undefined) return; // deleted or cancelled meanwhile
    const plan = record.plan;
    // The job's context links to the span that queued it; a job promoted from its key's pending
    // list carries none and continues the trace of the request that started the process.
    const parent = contextFrom(job.data.traceparent ?? record.trace?.traceparent);
    const attributes = { 'messaging.system': 'bullmq', 'messaging.operation.type': 'process', 'messaging.destination.name': job.queueName, 'openconvert.process_id': record.id, 'openconvert.engine': plan.engine, 'openconvert.mode': plan.mode, 'openconvert.attempt': job.attemptsMade + 1 };
    await inSpan(`process ${job.queueName}`, { kind: SpanKind.CONSUMER, attributes }, parent, (span) => this.run(job, token, record, plan, span, bullSignal));
  }

  private async run(job: Job<JobOf<'conversion'>>, token: string | undefined, record: ProcessRecord, plan: ConversionPlan, span: Span, bullSignal: AbortSignal | undefined): Promise<void> {
    const run = await this.begin(job, record, plan, span, bullSignal);
    let late: Promise<void> | undefined;
    try {
      run.log.info({ engine: run.engine, mode: plan.mode }, 'conversion started');
      await runPipeline(run.ctx, (patch) => this.write(run.id, patch), { onLate: (work) => (late = work) });
      const runSeconds = Math.round((performance.now() - run.began) / 100) / 10;
      const { stored, info, message } = run.ctx.state;
      await this.end(run.id, finishedPatch(this.deps.config.retention, record.save, { output: stored, info, message, runSeconds }));
      run.ended('finished');
      run.log.info({}, 'conversion finished');
    } catch (error) {
      await this.afterError(run, job, token, error);
    } finally {
      clearTimeout(run.timer);
      this.running.delete(run.id);
      await this.removeFolder(run, late);
    }
  }

  /**
   * Removes the attempt's folder once the late work of an aborted step has ended: its tools are
   * killed at the abort, but they and their wrappers still use the folder for a moment (a removal
   * under them fails or leaves what they write behind). A library call that cannot be interrupted
   * gets LATE_WORK_GRACE_MS; the attempt's slot stays taken meanwhile, as its CPU is.
   */
  private async removeFolder(run: Run, late: Promise<void> | undefined): Promise<void> {
    if (late !== undefined) {
      const ended = await withTimeout(late.then(() => true, () => true), LATE_WORK_GRACE_MS).catch(() => false);
      if (!ended) run.log.warn({ graceMs: LATE_WORK_GRACE_MS }, 'an aborted step still runs; removing its folder anyway');
    }
    await rm(run.ctx.workDir, { recursive: true, force: true });
  }

  /** Everything one attempt needs: its folder, its abort controller with the timeout, its log and metrics. */
  private async begin(job: Job<JobOf<'conversion'>>, record: ProcessRecord, plan: ConversionPlan, span: Span, bullSignal: AbortSignal | undefined): Promise<Run> {
    const id = record.id;
    // requestId: the request that queued the process, so its log lines and the worker's match up.
    const log = this.deps.log.child(record.trace === undefined ? { processId: id, attempt: job.attemptsMade + 1 } : { processId: id, attempt: job.attemptsMade + 1, requestId: record.trace.requestId });
    const controller = new AbortController();
    this.running.set(id, controller);
    const timer = setTimeout(() => controller.abort(new StopError('timeout', record.timeoutSeconds)), record.timeoutSeconds * 1000);
    const signal = bullSignal === undefined ? controller.signal : AbortSignal.any([controller.signal, bullSignal]);
    await mkdir(this.deps.config.worker.tempDir, { recursive: true });
    const workDir = await mkdtemp(path.join(this.deps.config.worker.tempDir, 'job-'));
    const limits = this.deps.accounts.get(record.owner)?.limits ?? this.deps.config.account;
    const progress = throttledProgress((percent, message) => void this.write(id, message === undefined ? { percent } : { percent, message }));
    const ctx: PipelineContext = { record, plan, services: this.deps.services, workDir, signal, log, maxInputBytes: limits.maxsizeMb * 1024 * 1024, progress, state: {} };
    const began = performance.now();
    this.deps.metrics?.conversionStarted(plan.engine, ((job.processedOn ?? Date.now()) - job.timestamp) / 1000);
    const ended = (result: ConversionResult, failure?: string): void => {
      span.setAttribute('openconvert.result', result);
      // The worker ends a failed process without throwing, so the span is marked failed here.
      if (failure !== undefined) failSpan(span.setAttribute('openconvert.error_code', failure), new Error(`the conversion ended in error ${failure}`));
      this.deps.metrics?.conversionEnded(plan.engine, result, (performance.now() - began) / 1000, failure);
    };
    return { id, ctx, controller, timer, log, engine: plan.engine, began, ended };
  }

  /** A failed attempt: handed back at shutdown, or ended / retried by handleFailure. */
  private async afterError(run: Run, job: Job<JobOf<'conversion'>>, token: string | undefined, error: unknown): Promise<void> {
    const reason: unknown = run.controller.signal.reason;
    const stop = reason instanceof StopError ? reason : undefined;
    if (stop?.reason === 'shutdown') {
      run.ended('retried');
      run.log.info({}, 'conversion handed back to the queue at shutdown');
      await job.moveToWait(token);
      throw new WaitingError();
    }
    let outcome: FailureOutcome = { result: 'retried' }; // when handleFailure rethrows for BullMQ's retry
    try {
      outcome = await this.handleFailure(job, error, stop, run.log);
    } finally {
      run.ended(outcome.result, outcome.code);
    }
  }

  /** Ends the process (or rethrows for BullMQ's retry) and says how the attempt ended. */
  private async handleFailure(job: Job<JobOf<'conversion'>>, error: unknown, stop: StopError | undefined, log: Logger): Promise<FailureOutcome> {
    const id = job.data.processId;
    const { retention } = this.deps.config;
    if (error instanceof ProcessGoneError || stop?.reason === 'cancel') {
      log.info({}, 'conversion stopped: process cancelled or deleted');
      return { result: 'cancelled' };
    }
    if (stop?.reason === 'timeout') {
      log.warn({ seconds: stop.seconds }, 'conversion timed out');
      await this.end(id, failedPatch(retention, 'TIMEOUT', `The conversion took longer than its timeout of ${stop.seconds ?? '?'} seconds and was cancelled. Raise the timeout parameter (up to maxtime) or send a smaller file.`));
      return { result: 'timeout', code: 'TIMEOUT' };
    }
    if (error instanceof AppError && !error.retryable) {
      log.info({ code: error.code, reason: error.message }, 'conversion failed');
      await this.end(id, failedPatchFor(retention, error));
      return { result: 'error', code: error.code };
    }
    // The job's own attempts (set when it was queued), not today's config: BullMQ retries it.
    if (job.attemptsMade + 1 < (job.opts.attempts ?? 1)) {
      log.warn({ err: error }, 'conversion attempt failed; BullMQ will retry');
      throw error instanceof Error ? error : appError('INTERNAL');
    }
    log.error({ err: error }, 'conversion failed on its last attempt');
    const patch = failedPatchFor(retention, error);
    await this.end(id, patch);
    return { result: 'error', code: patch.errorCode ?? 'INTERNAL' };
  }

  private async failForGood(jobId: string, reason: string): Promise<void> {
    try {
      const record = await this.deps.repository.get(jobId);
      if (record === undefined || (FINAL_STEPS as readonly string[]).includes(record.step)) return;
      this.deps.log.error({ processId: jobId, reason }, 'conversion job failed for good');
      await this.end(jobId, failedPatch(this.deps.config.retention, 'INTERNAL', 'The conversion failed repeatedly because a worker stopped while running it. Please start a new process.'));
    } catch (error) {
      this.deps.log.error({ err: error }, 'could not record a failed job');
    }
  }
}

/** The engine classes whose queues this worker takes jobs from (a concurrency of 0 leaves a class out). */
export const takenClasses = (config: Config): EngineClass[] => ENGINE_CLASSES.filter((engineClass) => concurrencyOf(config, engineClass) > 0);

/** A worker's conversions of one class at once (WORKER_LIGHT_CONCURRENCY, WORKER_CONCURRENCY). */
const concurrencyOf = (config: Config, engineClass: EngineClass): number => (engineClass === 'light' ? config.worker.lightConcurrency : config.worker.concurrency);
