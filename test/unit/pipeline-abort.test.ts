// A cancel racing the pipeline: the process ends at once, the step it overtook is handed over as
// late work (the worker keeps the job's folder until it is over), and no promise is left to
// reject unobserved, which would end a Node 20 worker.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StopError } from '../../src/core/errors.js';
import type { PipelineContext, PipelineStep } from '../../workers/pipeline/context.js';
import { runPipeline } from '../../workers/pipeline/run-pipeline.js';
import { abortable } from '../../workers/tools/abort.js';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => silent };
const tick = (ms = 20): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A step that fails `ms` after it starts, as a killed tool's step does after a cancel. */
function failingLater(ms: number): PipelineStep & { started: number } {
  return {
    started: 0,
    step: 'convert',
    message: () => 'converting',
    run() {
      this.started += 1;
      return tick(ms).then(() => Promise.reject(new Error('ENOENT: the job folder is gone')));
    },
  };
}

const contextWith = (signal: AbortSignal): PipelineContext => ({ signal, log: silent, state: {}, record: { step: 'wait' }, progress: () => undefined }) as unknown as PipelineContext;

describe('a cancel racing the pipeline', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  before(() => process.on('unhandledRejection', onUnhandled));
  after(() => process.off('unhandledRejection', onUnhandled));

  it('abortable observes a promise that rejects after an abort that came first, and hands it to onLate', async () => {
    const controller = new AbortController();
    controller.abort(new StopError('cancel'));
    const work = tick().then(() => Promise.reject(new Error('late')));
    let late: Promise<unknown> | undefined;
    await assert.rejects(abortable(work, controller.signal, (promise) => (late = promise)), StopError);
    assert.equal(late, work);
    await tick(60);
    assert.deepEqual(unhandled, []);
  });

  it('a cancel during the step change does not start the step', async () => {
    const controller = new AbortController();
    const step = failingLater(10);
    const write = async (): Promise<boolean> => (controller.abort(new StopError('cancel')), true);
    await assert.rejects(runPipeline(contextWith(controller.signal), write, { steps: [step] }), StopError);
    assert.equal(step.started, 0);
  });

  it('a cancel while a step runs ends the pipeline at once and hands the step over as late work', async () => {
    const controller = new AbortController();
    const step = failingLater(40);
    let late: Promise<void> | undefined;
    const running = runPipeline(contextWith(controller.signal), async () => true, { steps: [step], onLate: (work) => (late = work) });
    await tick(5);
    controller.abort(new StopError('cancel'));
    await assert.rejects(running, StopError);
    assert.ok(late !== undefined, 'the overtaken step is handed over');
    await assert.rejects(late, /ENOENT/, 'the late work still ran on after the cancel');
    await tick(20);
    assert.deepEqual(unhandled, []);
  });
});
