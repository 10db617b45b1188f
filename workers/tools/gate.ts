// At most N callers at once in a section; the others wait in line (first come, first served) and
// leave the line when their signal aborts.
import { releaseSlot, takeSlot, WaitList, type PoolSlot } from './wait-list.js';

export class Gate {
  private readonly slots: PoolSlot[];
  private readonly waiters = new WaitList();

  constructor(size: number) {
    this.slots = Array.from({ length: Math.max(1, size) }, () => ({ busy: false }));
  }

  /** Runs `work` once a place is free; rejects with the signal's reason if it aborts while waiting. */
  async run<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
    const slot = await takeSlot(this.slots, this.waiters, signal, () => 0, () => undefined);
    try {
      return await work();
    } finally {
      releaseSlot(slot, this.waiters);
    }
  }
}
