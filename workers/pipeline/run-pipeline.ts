// The conversion pipeline: a declared list of steps, run in order. The abort check, the
// step/progress writes and each step's span happen here, in one place, not inside the steps.
import { inChildSpan } from '../../src/core/trace-context.js';
import type { ProcessPatch } from '../../src/core/process/record.js';
import { abortable } from '../tools/abort.js';
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

export interface PipelineOptions {
  readonly steps?: readonly PipelineStep[];
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
  for (const step of options.steps ?? PIPELINE) {
    if (step.skip?.(ctx) === true) continue;
    ctx.signal.throwIfAborted();
    if (!(await write({ step: step.step, message: step.message(ctx), percent: 0 }))) throw new ProcessGoneError();
    // A cancel during the write: the step does not start (its work would only race the folder's removal).
    ctx.signal.throwIfAborted();
    ctx.log.info({ step: step.step }, 'step changed');
    await inChildSpan(`step ${step.step}`, { attributes: { 'openconvert.step': step.step } }, () => abortable(step.run(ctx), ctx.signal, options.onLate));
  }
  ctx.signal.throwIfAborted();
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
