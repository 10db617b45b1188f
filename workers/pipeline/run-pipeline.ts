// The conversion pipeline: a declared list of steps, run in order. The abort check, the
// step/progress writes and each step's span happen here, in one place, not inside the steps.
import { abortError } from '../../src/core/errors.js';
import { inChildSpan } from '../../src/core/trace-context.js';
import type { PipelineContext, PipelineStep } from './context.js';
import { convert } from './steps/convert.js';
import { deliverOutput } from './steps/deliver-output.js';
import { fetchInput } from './steps/fetch-input.js';
import { storeOutput } from './steps/store-output.js';
import { StepWrites, type StepWriter } from './step-writes.js';

export type { PipelineStep } from './context.js';
export { ProcessGoneError, type StepWriter } from './step-writes.js';

export const PIPELINE: readonly PipelineStep[] = [fetchInput, convert, storeOutput, deliverOutput];

/**
 * How long a step runs before its step change is written when the step machine does not need it
 * sooner (see step-writes.ts): the interval of the progress writes, so a poller sees the step
 * about as late as it sees progress.
 */
export const STEP_WRITE_DELAY_MS = 250;

export async function runPipeline(ctx: PipelineContext, write: StepWriter, steps: readonly PipelineStep[] = PIPELINE, delayMs = STEP_WRITE_DELAY_MS): Promise<void> {
  const stop = new AbortController();
  const writes = new StepWrites(ctx.record.step, write, stop, delayMs);
  // The steps stop on a cancel or timeout, and on a delayed step write that failed; progress is
  // written only once the record shows the step it belongs to.
  const signal = AbortSignal.any([ctx.signal, stop.signal]);
  const progress = (percent: number, message?: string): void => {
    if (writes.showing) ctx.progress(percent, message);
  };
  const stepCtx: PipelineContext = { ...ctx, signal, progress };
  try {
    for (const step of steps) {
      if (step.skip?.(stepCtx) === true) continue;
      signal.throwIfAborted();
      await writes.enter(step.step, step.message(stepCtx));
      ctx.log.info({ step: step.step }, 'step changed');
      await inChildSpan(`step ${step.step}`, { attributes: { 'openconvert.step': step.step } }, () => untilAborted(step.run(stepCtx), signal));
    }
    signal.throwIfAborted();
    await writes.finish();
  } finally {
    await writes.close();
  }
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
