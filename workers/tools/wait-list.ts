// The slots of a pool of long-running tools (LibreOffice instances, Chromium browsers) and the
// first-come, first-served list of callers waiting for one. A waiter whose signal aborts leaves
// the list at once.

/** One place in a pool: busy while a caller holds it. */
export interface PoolSlot {
  busy: boolean;
}

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

/**
 * A free slot, a warm one first (so idle slots only start their tool when the load needs them),
 * marked busy; waits in line while all are busy. `checkOpen` throws once the pool is closing.
 */
export async function takeSlot<S extends PoolSlot>(slots: readonly S[], waiters: WaitList, signal: AbortSignal, isWarm: (slot: S) => boolean, checkOpen: () => void): Promise<S> {
  for (;;) {
    checkOpen();
    signal.throwIfAborted();
    const free = slots.filter((s) => !s.busy);
    const slot = free.find(isWarm) ?? free[0];
    if (slot !== undefined) {
      slot.busy = true;
      return slot;
    }
    await waiters.wait(signal);
  }
}

/** Gives a slot back; the longest waiter tries again. */
export function releaseSlot(slot: PoolSlot, waiters: WaitList): void {
  slot.busy = false;
  waiters.wakeOne();
}
