// Removes what has expired: files of ended processes at their `expire`, processes never started
// or never uploaded, and conversions that outlived their maxtime (a safety net behind the
// worker's own timeout, so no process stays in a running step forever).
import type { Logger } from '../core/logger.js';
import { endedRecordTtl, failedPatch, nowSeconds } from '../core/process/lifecycle.js';
import { isFinal } from '../core/process/steps.js';
import { storageKeys } from '../core/storage/file-store.js';
import type { ServiceDeps } from './deps.js';

export class Sweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.sweepOnce(), this.deps.config.retention.sweepIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass over what has expired. Safe to run from several processes at once. */
  sweepOnce(now = nowSeconds()): Promise<void> {
    this.running ??= this.sweep(now).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async sweep(now: number): Promise<void> {
    const { repository, store, config, publishCancel } = this.deps;
    try {
      for (const id of await repository.dueForExpiry(now, 500)) {
        const record = await repository.get(id);
        if (record !== undefined && record.step === 'wait' && record.started) {
          // Queued behind its key's running conversions: its maxtime starts when it runs.
          const maxtime = (this.deps.accounts.get(record.owner)?.limits ?? config.account).maxtimeSeconds;
          await repository.update(id, { expire: now + maxtime }, { fromSteps: ['wait'] });
          continue;
        }
        if (record !== undefined && !isFinal(record.step)) {
          const reason = !record.started
            ? 'The process expired before it was started.'
            : record.inputSource === undefined
              ? 'The process expired while waiting for the upload of its input file.'
              : 'The conversion took longer than the maximum time and was cancelled.';
          const patch = failedPatch(config.retention, record.started && record.inputSource !== undefined ? 'TIMEOUT' : 'CANCELLED', reason);
          const result = await repository.updateAndGet(id, { ...patch, expire: undefined, filesDeleted: true }, { ttlSeconds: endedRecordTtl(config.retention, patch) });
          await publishCancel(id);
          if (result.ok) await this.deps.endings.ended(result.record);
        } else if (record !== undefined) {
          await repository.update(id, { filesDeleted: true });
        }
        await store.deleteFolder(storageKeys.folder(id));
        await repository.forgetExpiry(id);
        this.log.info({ processId: id }, 'expired process files removed');
      }
      // API v2: upload forms that expired unused end their tasks, so no job waits forever.
      await this.deps.scheduler.expireUploads(now);
      const lost = await this.deps.scheduler.reconcileRunning(now);
      if (lost > 0) this.log.warn({ tasks: lost }, 'ended v2 tasks whose process had ended without telling them');
      const freed = await this.deps.queue.reconcile(
        async (id) => {
          const record = await repository.get(id);
          return record !== undefined && !isFinal(record.step);
        },
        (owner) => this.deps.endings.owner({ owner }).concurrent,
      );
      if (freed > 0) this.log.warn({ freed }, 'freed queue slots of processes that ended without releasing them');
    } catch (error) {
      this.log.error({ err: error }, 'sweep failed; will retry');
    }
  }
}
