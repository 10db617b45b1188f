// A first-come, first-served list of callers waiting for a free slot of a pool (LibreOffice
// instances, Chromium browsers). A waiter whose signal aborts leaves the list at once.

export class WaitList {
  private readonly waiters: Array<() => void> = [];

  /** Resolves when woken (then the caller looks for a free slot again) or when `signal` aborts. */
  wait(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        signal.removeEventListener('abort', wake);
        const at = this.waiters.indexOf(wake);
        if (at >= 0) this.waiters.splice(at, 1);
        resolve();
      };
      this.waiters.push(wake);
      signal.addEventListener('abort', wake, { once: true });
    });
  }

  /** A slot was freed: the longest waiter tries again. */
  wakeOne(): void {
    this.waiters.shift()?.();
  }

  /** The pool is closing: every waiter tries again (and finds it closed). */
  wakeAll(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }
}
