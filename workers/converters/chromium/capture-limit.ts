// The abort signal of one capture: it fires when the job is aborted (cancel, job timeout,
// shutdown), when the capture's own time runs out, or when the page passes the byte limit. The
// clock starts with the page work, not while the capture waits for a browser.
import { appError, type AppError } from '../../../src/core/errors.js';

export class CaptureLimit {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  /** What the capture is doing, for the time-limit message. */
  phase = 'starting';

  constructor(
    private readonly job: AbortSignal,
    private readonly shown: string,
    private readonly timeoutMs: number,
  ) {
    if (job.aborted) this.controller.abort(job.reason);
    else job.addEventListener('abort', this.onJobAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Starts the capture's time limit. */
  startClock(): void {
    const seconds = Math.round(this.timeoutMs / 1000);
    this.timer ??= setTimeout(
      () => this.stop(appError('CONVERSION_FAILED', `The capture of ${this.shown} did not finish within ${seconds} s (it was ${this.phase}). Try wait_until=domcontentloaded, a shorter wait_time, or check that the page loads.`)),
      this.timeoutMs,
    );
  }

  /** Stops the capture with this error (the first reason wins). */
  stop(reason: AppError): void {
    this.controller.abort(reason);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.job.removeEventListener('abort', this.onJobAbort);
  }

  private readonly onJobAbort = (): void => this.controller.abort(this.job.reason);
}
