// The pipeline's step writes (workers/pipeline/step-writes.ts): a short conversion writes only the
// step the step machine needs on its way to `finished`, a step that runs longer than the delay is
// written while it runs, every written sequence is one the step machine allows, progress waits
// for its step, and a delayed write that finds the process gone stops the running step.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Logger } from '../../src/core/logger.js';
import type { ProcessPatch, ProcessRecord } from '../../src/core/process/record.js';
import { canTransition, type Step } from '../../src/core/process/steps.js';
import type { PipelineContext, PipelineStep } from '../../workers/pipeline/context.js';
import { ProcessGoneError, runPipeline } from '../../workers/pipeline/run-pipeline.js';

const DELAY_MS = 40;
const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => quiet };
const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason as Error)), { once: true });
  });

/** A context for steps that touch nothing but the progress callback. */
function contextAt(step: Step, progress: Array<number> = []): PipelineContext {
  const record = { id: 'p', step } as ProcessRecord;
  return { record, plan: {} as PipelineContext['plan'], services: {} as PipelineContext['services'], workDir: '/nonexistent', signal: new AbortController().signal, log: quiet, maxInputBytes: 0, progress: (percent) => void progress.push(percent), state: {} };
}

/** A step that takes `ms` and reports `percents` at its end. */
const stepOf = (step: PipelineStep['step'], ms: number, percents: number[] = []): PipelineStep => ({
  step,
  message: () => `${step} message`,
  async run(ctx) {
    await sleep(ms, ctx.signal);
    for (const percent of percents) ctx.progress(percent);
  },
});

/** A writer that records the steps written and refuses what the step machine refuses, like the record's guard. */
function recorder(start: Step, answer: (patch: ProcessPatch) => boolean = () => true) {
  const steps: Step[] = [];
  let at = start;
  const write = async (patch: ProcessPatch): Promise<boolean> => {
    if (patch.step === undefined) return true;
    assert.ok(canTransition(at, patch.step), `the step machine refuses ${at} -> ${patch.step}`);
    if (!answer(patch)) return false;
    steps.push(patch.step);
    at = patch.step;
    return true;
  };
  return { steps, write, at: () => at };
}

describe('step writes', () => {
  it('writes only convert for a conversion whose steps are all short, and ends where finished can follow', async () => {
    const writes = recorder('wait');
    await runPipeline(contextAt('wait'), writes.write, { steps: [stepOf('input', 1), stepOf('convert', 1), stepOf('output', 1), stepOf('output', 1)], delayMs: DELAY_MS });
    assert.deepEqual(writes.steps, ['convert']);
    assert.ok(canTransition(writes.at(), 'finished'));
  });

  it('writes a step that runs longer than the delay while it runs', async () => {
    const writes = recorder('input');
    let seenDuring: Step[] = [];
    const slowInput: PipelineStep = { ...stepOf('input', 0), async run() {
      await sleep(DELAY_MS * 3);
      seenDuring = [...writes.steps];
    } };
    await runPipeline(contextAt('input'), writes.write, { steps: [slowInput, stepOf('convert', 1), stepOf('output', DELAY_MS * 3)], delayMs: DELAY_MS });
    assert.deepEqual(seenDuring, ['input'], 'the download step was shown while it ran');
    assert.deepEqual(writes.steps, ['input', 'convert', 'output']);
  });

  it('keeps every write a move the step machine allows when a retried attempt starts from output', async () => {
    const writes = recorder('output');
    await runPipeline(contextAt('output'), writes.write, { steps: [stepOf('input', 1), stepOf('convert', 1), stepOf('output', 1)], delayMs: DELAY_MS });
    assert.deepEqual(writes.steps, ['input', 'convert']);
    assert.ok(canTransition(writes.at(), 'finished'));
  });

  it('writes the progress of a step only once the record shows that step', async () => {
    const progress: number[] = [];
    const writes = recorder('wait');
    await runPipeline(contextAt('wait', progress), writes.write, { steps: [stepOf('input', 1, [50]), stepOf('convert', 1, [60]), stepOf('output', DELAY_MS * 3, [70])], delayMs: DELAY_MS });
    assert.deepEqual(progress, [60, 70], 'input was never shown; convert is written at once; output after the delay');
  });

  it('stops the running step when its delayed write finds the process gone', async () => {
    const writes = recorder('convert', (patch) => patch.step !== 'output');
    let stopped = false;
    const longOutput: PipelineStep = { ...stepOf('output', 0), async run(ctx) {
      await sleep(DELAY_MS * 50, ctx.signal).catch((error: unknown) => {
        stopped = true;
        throw error;
      });
    } };
    const started = Date.now();
    await assert.rejects(runPipeline(contextAt('convert'), writes.write, { steps: [stepOf('convert', 1), longOutput], delayMs: DELAY_MS }), ProcessGoneError);
    assert.ok(stopped, 'the step saw the abort');
    assert.ok(Date.now() - started < DELAY_MS * 25, 'stopped long before the step would have ended');
  });
});
