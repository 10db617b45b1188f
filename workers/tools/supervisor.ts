// One supervisor for the long-lived tool processes behind a pool (LibreOffice instances,
// Chromium browsers), after Gotenberg's. A pool has a fixed number of slots, each holding at most
// one instance: it starts when a job first needs its slot (idle slots cost nothing) or, warmed,
// as the worker starts (warm(): the first jobs and a rise in load then find it running), is
// health-checked before a job when it has idled (a process can hang between jobs), and is
// retired — stopped, the slot's next job starting a new one — when it died, failed a job,
// reached `maxUses` jobs or grew past `maxRssBytes` (these tools leak; a restart is the cure),
// or, for engines that cannot cancel a request in flight, when the job holding it aborted. Jobs
// beyond the slots wait in line (wait-list.ts). What an instance is, and how it starts, answers a
// health check and stops, is the engine's adapter; what a job does with it is the engine's pool.
import { abortable } from './abort.js';
import { treeRssBytes } from './process-memory.js';
import { releaseSlot, takeSlot, WaitList, type PoolSlot } from './wait-list.js';

/** How an engine starts, checks and stops one instance of its tool. */
export interface InstanceAdapter<I> {
  /**
   * Starts the instance of slot `slot` (0-based) and resolves once it takes work; a failed start
   * leaves nothing behind. `signal` aborts when the start is no longer wanted (its slot was
   * retired, the pool closes): give up early where possible; an instance that resolves anyway is
   * stopped. `died` is to be called when the instance dies on its own (a crash, a lost
   * connection), so that its slot is cleared at once rather than at its next job; a death before
   * the start resolves must reject the start (a call of `died` then does nothing).
   */
  start(slot: number, signal: AbortSignal, died: () => void): Promise<I>;
  /** Whether the instance can still take work: false once it died, hung or lost its connection. */
  alive(instance: I): boolean;
  /** A health check, bounded in time, of an instance that idled; false or a rejection: replace it. */
  check(instance: I): Promise<boolean>;
  /** Stops the instance and removes what it leaves (processes, profile); never rejects, and may find it dead already. */
  stop(instance: I): Promise<void>;
  /** The pids whose process trees make up the instance (its sandbox wrappers): their memory is its memory. */
  pids(instance: I): readonly number[];
}

export interface SupervisorSettings {
  /** Slots: at most this many instances run, and this many jobs at a time. */
  readonly size: number;
  /** An instance is retired after this many jobs. */
  readonly maxUses: number;
  /** An instance whose process trees hold more resident memory is retired after its job; 0: no limit. */
  readonly maxRssBytes: number;
  /** An instance idle this long is health-checked before its next job. */
  readonly idleCheckMs: number;
  /**
   * Whether an abort of the job holding a slot stops its instance at once: for engines that
   * cannot cancel a request in flight (LibreOffice). Otherwise the pool cancels its own work,
   * and an abort only ends the job's waiting (a start then goes on, for the slot's next job).
   */
  readonly stopOnAbort: boolean;
  /** The error jobs get once the pool is closing. */
  readonly closedError: () => Error;
  /** Reads the resident bytes of process trees: /proc by default (tests inject their own). */
  readonly readRss?: (pids: readonly number[]) => Promise<number>;
}

/** What warm() came to. */
export interface WarmResult {
  /** Instances that started (a job may hold one already). */
  readonly started: number;
  /** Why starts failed: their slots are empty again, and start on first use. Starts the pool cancelled itself (it closed, a job holding the slot aborted) are not failures. */
  readonly failures: readonly Error[];
}

/** A job's hold on a slot and on its started, healthy instance. */
export interface Lease<I> {
  /** The slot's index (0-based): engines keep per-slot resources (a profile folder, a proxy) by it. */
  readonly slot: number;
  /** The slot's instance (the new one after replace()). */
  readonly instance: I;
  /** Whether the instance is retired after this job whatever happens (it reached maxUses). */
  readonly lastUse: boolean;
  /** Retires the instance and starts another in the slot, which the lease keeps: the instance failed its part of the job. */
  replace(): Promise<I>;
  /**
   * Ends the job and frees the slot, after retiring the instance when `broken` (it failed the
   * job), dead, worn out or over the memory limit. Never rejects; later calls do nothing.
   */
  release(broken?: boolean): Promise<void>;
}

/** One instance in a slot, from its start to its retirement. */
interface Running<I> {
  readonly started: Promise<I>;
  /** Aborted when the instance is retired: a start still going gives up. */
  readonly stopping: AbortController;
  instance: I | undefined;
  uses: number;
  lastUsed: number;
}

interface Slot<I> extends PoolSlot {
  readonly index: number;
  busy: boolean;
  current: Running<I> | undefined;
}

/** A started instance first, then one starting, then an empty slot (see takeSlot). */
function warmth(slot: Slot<unknown>): number {
  if (slot.current === undefined) return 0;
  return slot.current.instance === undefined ? 1 : 2;
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

export class Supervisor<I> {
  private readonly slots: Slot<I>[];
  private readonly waiters = new WaitList();
  private readonly readRss: (pids: readonly number[]) => Promise<number>;
  private closed = false;

  constructor(
    private readonly adapter: InstanceAdapter<I>,
    private readonly settings: SupervisorSettings,
  ) {
    this.slots = Array.from({ length: settings.size }, (_, index) => ({ index, busy: false, current: undefined }));
    this.readRss = settings.readRss ?? treeRssBytes;
  }

  /**
   * A free slot whose instance is started and healthy (started now if need be): a slot with a
   * started instance first, then one whose start goes on (joined), then an empty one; waits in
   * line while every slot is busy. Rejects at once when `signal` aborts.
   */
  async acquire(signal: AbortSignal): Promise<Lease<I>> {
    const slot = await takeSlot(this.slots, this.waiters, signal, warmth, () => this.checkOpen());
    const onAbort = (): void => void this.retire(slot, slot.current);
    if (this.settings.stopOnAbort) signal.addEventListener('abort', onAbort, { once: true });
    const forget = (): void => signal.removeEventListener('abort', onAbort);
    try {
      const { running, instance } = await this.ready(slot, signal);
      running.uses++;
      return this.lease(slot, running, instance, forget);
    } catch (error) {
      forget();
      releaseSlot(slot, this.waiters);
      throw error;
    }
  }

  /**
   * Starts an instance in every empty slot that no job holds, one slot after the other (so the
   * first instance is up as soon as one start allows, and the starts leave the CPU to the jobs),
   * and resolves once done; never rejects. Jobs are taken meanwhile: one that comes while a start
   * goes on takes an instance already started, else joins the start (it never starts a second
   * one in that slot). A failed start leaves its slot empty, to start on first use as without
   * warming; close() stops the start going and ends the warm-up.
   */
  async warm(): Promise<WarmResult> {
    let started = 0;
    const failures: Error[] = [];
    for (const slot of this.slots) {
      // Checked at each turn: a job may have taken the slot meanwhile, or the pool be closing.
      if (this.closed || slot.busy || slot.current !== undefined) continue;
      const running = this.start(slot);
      const outcome = await running.started.then(
        () => 'started' as const,
        (error: unknown) => (running.stopping.signal.aborted ? ('cancelled' as const) : asError(error)),
      );
      if (outcome === 'started') started++;
      else if (outcome instanceof Error) failures.push(outcome);
    }
    return { started, failures };
  }

  /** Stops every instance, busy or not (a job still holding one fails), and turns away every waiting and later job. */
  async close(): Promise<void> {
    this.closed = true;
    this.waiters.wakeAll();
    await Promise.all(this.slots.map((slot) => this.retire(slot, slot.current)));
  }

  /** The slot's instance when it is usable, else a new one. */
  private async ready(slot: Slot<I>, signal: AbortSignal): Promise<{ running: Running<I>; instance: I }> {
    const current = slot.current;
    if (current !== undefined) {
      // A start that an earlier, aborted job left going is joined; a failed one is tried again.
      const instance = await abortable(current.started.catch(() => undefined), signal);
      if (instance !== undefined && (await this.healthy(current, instance))) return { running: current, instance };
      await this.retire(slot, current);
    }
    signal.throwIfAborted();
    const running = this.start(slot);
    return { running, instance: await abortable(running.started, signal) };
  }

  private async healthy(running: Running<I>, instance: I): Promise<boolean> {
    if (!this.adapter.alive(instance)) return false;
    if (Date.now() - running.lastUsed < this.settings.idleCheckMs) return true;
    const ok = await this.adapter.check(instance).catch(() => false);
    return ok && this.adapter.alive(instance);
  }

  /** Starts an instance in `slot`; a failed start leaves the slot empty for the next job to try again. */
  private start(slot: Slot<I>): Running<I> {
    this.checkOpen();
    const stopping = new AbortController();
    let running: Running<I> | undefined;
    // A death during the start fails the start itself (which clears the slot): retiring it here
    // would pass a failure off as a cancellation.
    const died = (): void => {
      if (running?.instance !== undefined) void this.retire(slot, running);
    };
    const started = this.adapter.start(slot.index, stopping.signal, died).then(
      async (instance) => {
        if (stopping.signal.aborted) {
          await this.adapter.stop(instance).catch(() => undefined);
          throw stopping.signal.reason as Error;
        }
        if (running !== undefined) {
          running.instance = instance;
          running.lastUsed = Date.now();
        }
        return instance;
      },
      (error: unknown) => {
        if (slot.current === running) slot.current = undefined;
        throw error;
      },
    );
    started.catch(() => undefined); // a start nobody waits for any more may fail unheard
    running = { started, stopping, instance: undefined, uses: 0, lastUsed: Date.now() };
    slot.current = running;
    return running;
  }

  /** Stops `running` unless it was retired already; the slot's next job starts a new instance. */
  private async retire(slot: Slot<I>, running: Running<I> | undefined): Promise<void> {
    if (running === undefined || slot.current !== running) return;
    slot.current = undefined;
    running.stopping.abort(this.closed ? this.settings.closedError() : new Error('the instance was retired while it started'));
    // A start still going stops its instance itself when it resolves (see start()).
    const instance = running.instance ?? (await running.started.catch(() => undefined));
    if (instance !== undefined) await this.adapter.stop(instance).catch(() => undefined);
  }

  private lease(slot: Slot<I>, first: Running<I>, firstInstance: I, forget: () => void): Lease<I> {
    let running = first;
    let instance = firstInstance;
    let released = false;
    const { maxUses } = this.settings;
    return {
      slot: slot.index,
      get instance() {
        return instance;
      },
      get lastUse() {
        return running.uses >= maxUses;
      },
      replace: async () => {
        await this.retire(slot, running);
        const next = this.start(slot);
        instance = await next.started;
        next.uses++;
        running = next;
        return instance;
      },
      release: async (broken = false) => {
        if (released) return;
        released = true;
        forget();
        running.lastUsed = Date.now();
        try {
          if (slot.current === running && (await this.spent(running, instance, broken))) await this.retire(slot, running);
        } finally {
          releaseSlot(slot, this.waiters);
        }
      },
    };
  }

  /** Whether an instance is done after a job: it failed the job, died, reached maxUses or outgrew the memory limit. */
  private async spent(running: Running<I>, instance: I, broken: boolean): Promise<boolean> {
    if (broken || !this.adapter.alive(instance) || running.uses >= this.settings.maxUses) return true;
    if (!(this.settings.maxRssBytes > 0)) return false;
    const rss = await this.readRss(this.adapter.pids(instance)).catch(() => 0);
    return rss > this.settings.maxRssBytes;
  }

  private checkOpen(): void {
    if (this.closed) throw this.settings.closedError();
  }
}
