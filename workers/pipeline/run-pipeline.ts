// The conversion pipeline: a declared list of steps, run in order. The abort check, the
// step/progress writes and each step's span happen here, in one place, not inside the steps.
import { inChildSpan } from '../../src/core/trace-context.js';
import { abortable } from '../tools/abort.js';
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

export interface PipelineOptions {
  readonly steps?: readonly PipelineStep[];
  /** How long a step runs before a step change the step machine does not need yet is written. */
  readonly delayMs?: number;
  /**
   * Gets the work of a step that an abort overtook: it runs on (a tool being killed, a library
   * call that cannot be interrupted) and may still use the job's folder; it is already observed.
   */
  readonly onLate?: (late: Promise<void>) => void;
}

/**
 * Runs the steps in order. A cancel or timeout ends it at once, also while a library call runs
 * on; the overtaken step's late work goes to `onLate`, so the folder outlives it.
 */
export async function runPipeline(ctx: PipelineContext, write: StepWriter, options: PipelineOptions = {}): Promise<void> {
  const stop = new AbortController();
  const writes = new StepWrites(ctx.record.step, write, stop, options.delayMs ?? STEP_WRITE_DELAY_MS);
  // The steps stop on a cancel or timeout, and on a delayed step write that failed; progress is
  // written only once the record shows the step it belongs to.
  const signal = AbortSignal.any([ctx.signal, stop.signal]);
  const progress = (percent: number, message?: string): void => {
    if (writes.showing) ctx.progress(percent, message);
  };
  const stepCtx: PipelineContext = { ...ctx, signal, progress };
  try {
    for (const step of options.steps ?? PIPELINE) {
      if (step.skip?.(stepCtx) === true) continue;
      signal.throwIfAborted();
      await writes.enter(step.step, step.message(stepCtx));
      // A cancel during the write: the step does not start (its work would only race the folder's removal).
      signal.throwIfAborted();
      ctx.log.info({ step: step.step }, 'step changed');
      await inChildSpan(`step ${step.step}`, { attributes: { 'openconvert.step': step.step } }, () => abortable(step.run(stepCtx), signal, options.onLate));
    }
    signal.throwIfAborted();
    await writes.finish();
  } finally {
    await writes.close();
  }
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
