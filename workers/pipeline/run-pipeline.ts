// The conversion pipeline: a declared list of steps, run in order. The abort check, the
// step/progress writes and each step's span happen here, in one place, not inside the steps.
import { abortError } from '../../src/core/errors.js';
import { inChildSpan } from '../../src/core/trace-context.js';
import type { ProcessPatch } from '../../src/core/process/record.js';
import type { PipelineContext, PipelineStep } from './context.js';
import { convert } from './steps/convert.js';
import { deliverOutput } from './steps/deliver-output.js';
import { fetchInput } from './steps/fetch-input.js';
import { storeOutput } from './steps/store-output.js';

export type { PipelineStep } from './context.js';

export const PIPELINE: readonly PipelineStep[] = [fetchInput, convert, storeOutput, deliverOutput];

/** Writes a step change; resolves false when the process is gone or already ended. */
export type StepWriter = (patch: ProcessPatch) => Promise<boolean>;

export class ProcessGoneError extends Error {
  constructor() {
    super('The process was deleted or ended while it ran.');
    this.name = 'ProcessGoneError';
  }
}

export async function runPipeline(ctx: PipelineContext, write: StepWriter, steps: readonly PipelineStep[] = PIPELINE): Promise<void> {
  for (const step of steps) {
    if (step.skip?.(ctx) === true) continue;
    ctx.signal.throwIfAborted();
    if (!(await write({ step: step.step, message: step.message(ctx), percent: 0 }))) throw new ProcessGoneError();
    ctx.log.info({ step: step.step }, 'step changed');
    await inChildSpan(`step ${step.step}`, { attributes: { 'openconvert.step': step.step } }, () => untilAborted(step.run(ctx), ctx.signal));
  }
  ctx.signal.throwIfAborted();
}

/**
 * Settles with `work`, or rejects as soon as `signal` aborts, so a cancel or timeout ends the
 * process at once even while a library call (which cannot be interrupted) runs on; its late
 * result is discarded with the job's folder.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Throttles progress writes to one per interval, always keeping the latest value. */
export function throttledProgress(write: (percent: number, message?: string) => void, intervalMs = 250): (percent: number, message?: string) => void {
  let last = 0;
  return (percent, message) => {
    const now = Date.now();
    if (now - last < intervalMs && percent < 100) return;
    last = now;
    write(Math.max(0, Math.min(100, Math.round(percent * 100) / 100)), message);
  };
}
