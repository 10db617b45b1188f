// When the pipeline's step changes reach the process record. Writing each one before its step
// ran cost three guarded updates (and three events) for a conversion of a few milliseconds, where
// the record is in `input` or `output` for less time than anyone polls it. So a step is written
// once it has run for `delayMs`, or at once when the step machine needs it: a process reaches
// `finished` only from `convert` or `output`, so the first step that leads there is written when
// it begins. A short step the step machine can do without is never written. Every write is still
// a guarded update, and one that finds the process gone or ended stops the pipeline.
import { canTransition, type Step } from '../../src/core/process/steps.js';
import type { ProcessPatch } from '../../src/core/process/record.js';

/** Writes a step change; resolves false when the process is gone or already ended. */
export type StepWriter = (patch: ProcessPatch) => Promise<boolean>;

export class ProcessGoneError extends Error {
  constructor() {
    super('The process was deleted or ended while it ran.');
    this.name = 'ProcessGoneError';
  }
}

/** The step the pipeline is in, as far as it has been written. */
interface Entered {
  readonly step: Step;
  readonly message: string;
}

export class StepWrites {
  /** The step the record holds, as far as this attempt knows: where the next write must come from. */
  private written: Step;
  private pending: (Entered & { readonly timer: NodeJS.Timeout }) | undefined;
  /** A delayed write under way; enter and finish wait for it. */
  private inFlight: Promise<void> = Promise.resolve();
  private current: Step | undefined;

  constructor(
    /** The record's step when the attempt began. */
    start: Step,
    private readonly write: StepWriter,
    /** Aborted with ProcessGoneError (or the write's error) when a delayed write fails, so the running step stops. */
    private readonly stop: AbortController,
    private readonly delayMs: number,
  ) {
    this.written = start;
  }

  /** Whether the record shows the step now running: its progress is worth writing. */
  get showing(): boolean {
    return this.current !== undefined && this.pending === undefined && this.written === this.current;
  }

  /** The pipeline moves into `step`: writes what the step machine needs now, and schedules the rest. */
  async enter(step: Step, message: string): Promise<void> {
    await this.settle();
    const before = this.takePending();
    // Skipping the step before would make this move one the step machine refuses.
    if (before !== undefined && !canTransition(this.written, step)) await this.writeNow(before);
    this.current = step;
    if (!canTransition(this.written, 'finished') && canTransition(step, 'finished')) return this.writeNow({ step, message });
    this.pending = { step, message, timer: setTimeout(() => this.fire(), this.delayMs) };
  }

  /** The pipeline is done: the record must be in a step that leads to `finished`. */
  async finish(): Promise<void> {
    await this.settle();
    const last = this.takePending();
    if (last !== undefined && !canTransition(this.written, 'finished')) await this.writeNow(last);
  }

  /** Stops the timer of a step that will not be written (the pipeline failed); waits for a write under way. */
  async close(): Promise<void> {
    this.takePending();
    await this.inFlight.catch(() => undefined);
  }

  private takePending(): Entered | undefined {
    const pending = this.pending;
    if (pending !== undefined) clearTimeout(pending.timer);
    this.pending = undefined;
    return pending;
  }

  private fire(): void {
    const due = this.takePending();
    if (due === undefined) return;
    this.inFlight = this.writeNow(due).catch((error: unknown) => {
      this.stop.abort(error);
    });
  }

  /** A write failed while a step ran: the failure stops the pipeline at the next move. */
  private async settle(): Promise<void> {
    await this.inFlight;
    this.stop.signal.throwIfAborted();
  }

  private async writeNow(entered: Entered): Promise<void> {
    if (!(await this.write({ step: entered.step, message: entered.message, percent: 0 }))) throw new ProcessGoneError();
    this.written = entered.step;
  }
}
