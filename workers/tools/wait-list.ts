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
 * The free slot of highest `warmth` (the first of equals), marked busy: a warm one before one
 * still starting, and either before an empty one, so idle slots only start their tool when the
 * load needs them and a job never waits for a start while a started instance idles. Waits in
 * line while all are busy. `checkOpen` throws once the pool is closing.
 */
export async function takeSlot<S extends PoolSlot>(slots: readonly S[], waiters: WaitList, signal: AbortSignal, warmth: (slot: S) => number, checkOpen: () => void): Promise<S> {
  for (;;) {
    checkOpen();
    signal.throwIfAborted();
    let slot: S | undefined;
    for (const s of slots) if (!s.busy && (slot === undefined || warmth(s) > warmth(slot))) slot = s;
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
