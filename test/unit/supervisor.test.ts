// The supervisor of long-lived tool processes, on a fake adapter (no process is started): lazy
// start, warm-up, reuse, retirement (after N jobs, when dead, unhealthy after idling, over the
// memory limit, when its job aborts), and close().
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Supervisor, type InstanceAdapter, type SupervisorSettings } from '../../workers/tools/supervisor.js';

interface Fake {
  readonly id: number;
  readonly slot: number;
  dead: boolean;
  stopped: boolean;
  healthy: boolean;
  died: () => void;
}

class FakeAdapter implements InstanceAdapter<Fake> {
  readonly started: Fake[] = [];
  checks = 0;
  /** While set, starts wait for it. */
  gate: Promise<void> | undefined;
  /** While set, the starts of one slot wait for its promise (after `gate`). */
  slotGates = new Map<number, Promise<void>>();
  /** Slots whose next start fails. */
  readonly failSlots = new Set<number>();
  failNext = false;
  /** A start that cannot be interrupted: it resolves even when its signal aborted. */
  ignoreSignal = false;
  readonly signals: AbortSignal[] = [];

  async start(slot: number, signal: AbortSignal, died: () => void): Promise<Fake> {
    const fake: Fake = { id: this.started.length + 1, slot, dead: false, stopped: false, healthy: true, died };
    this.started.push(fake);
    this.signals.push(signal);
    await this.gate;
    await this.slotGates.get(slot);
    if (this.failNext || this.failSlots.delete(slot)) {
      this.failNext = false;
      fake.dead = true;
      died(); // as LibreOffice's instance tells its death, then fails its start
      throw new Error('could not start');
    }
    if (!this.ignoreSignal) signal.throwIfAborted();
    return fake;
  }

  alive = (fake: Fake): boolean => !fake.dead && !fake.stopped;
  check = async (fake: Fake): Promise<boolean> => (this.checks++, fake.healthy);
  stop = async (fake: Fake): Promise<void> => void (fake.stopped = true);
  pids = (fake: Fake): number[] => [1000 + fake.id];
}

function supervisor(settings: Partial<SupervisorSettings> = {}): { pool: Supervisor<Fake>; adapter: FakeAdapter } {
  const adapter = new FakeAdapter();
  const pool = new Supervisor(adapter, { size: 1, maxUses: 100, maxRssBytes: 0, idleCheckMs: 60_000, stopOnAbort: false, closedError: () => new Error('closed'), ...settings });
  return { pool, adapter };
}

const live = (): AbortSignal => new AbortController().signal;

/** A promise and the function that resolves it. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one job that does nothing; returns the instance it had. */
async function job(pool: Supervisor<Fake>, broken = false): Promise<Fake> {
  const lease = await pool.acquire(live());
  await lease.release(broken);
  return lease.instance;
}

describe('Supervisor', () => {
  it('starts nothing until a job needs a slot, then one instance per busy slot', async () => {
    const { pool, adapter } = supervisor({ size: 2 });
    assert.equal(adapter.started.length, 0);
    const a = await pool.acquire(live());
    assert.equal(adapter.started.length, 1);
    const b = await pool.acquire(live());
    assert.notEqual(a.slot, b.slot);
    assert.equal(adapter.started.length, 2);
    await Promise.all([a.release(), b.release()]);
  });

  it('reuses a warm instance, the warm slot before an empty one', async () => {
    const { pool, adapter } = supervisor({ size: 2 });
    const first = await job(pool);
    const second = await job(pool);
    assert.equal(second, first);
    assert.equal(adapter.started.length, 1);
    assert.equal(first.stopped, false);
  });

  it('retires an instance after maxUses jobs; the next job starts a new one', async () => {
    const { pool, adapter } = supervisor({ maxUses: 2 });
    const lease = await pool.acquire(live());
    assert.equal(lease.lastUse, false);
    await lease.release();
    const worn = await pool.acquire(live());
    assert.equal(worn.lastUse, true);
    assert.equal(worn.instance.stopped, false, 'not during its last job');
    await worn.release();
    assert.equal(worn.instance.stopped, true);
    const fresh = await job(pool);
    assert.notEqual(fresh, worn.instance);
    assert.equal(adapter.started.length, 2);
  });

  it('replaces an instance that died (told or found dead) or failed its job', async () => {
    const { pool } = supervisor();
    const first = await job(pool);
    first.died(); // a crash while idle clears the slot at once
    await sleep(0);
    assert.equal(first.stopped, true);
    const second = await job(pool);
    assert.notEqual(second, first);
    second.dead = true; // found dead at the next job
    const third = await job(pool, true); // ...which fails: broken
    assert.notEqual(third, second);
    assert.equal(third.stopped, true, 'a broken job retires its instance');
    assert.notEqual(await job(pool), third);
  });

  it('leaves the slot empty after a failed start, and the next job tries again', async () => {
    const { pool, adapter } = supervisor();
    adapter.failNext = true;
    await assert.rejects(pool.acquire(live()), /could not start/);
    const next = await job(pool);
    assert.equal(next.stopped, false);
    assert.equal(adapter.started.length, 2);
  });

  it('checks an instance that idled before its next job and replaces it when unhealthy', async () => {
    // A second between jobs counts as idle: long enough that a busy machine never idles by accident.
    const { pool, adapter } = supervisor({ idleCheckMs: 1000 });
    const first = await job(pool);
    assert.equal(await job(pool), first);
    assert.equal(adapter.checks, 0, 'no check of an instance used just now');
    await sleep(1200);
    assert.equal(await job(pool), first);
    assert.equal(adapter.checks, 1);
    first.healthy = false;
    await sleep(1200);
    const second = await job(pool);
    assert.notEqual(second, first);
    assert.equal(first.stopped, true);
  });

  it('with stopOnAbort, an abort stops only the instance of the aborted job, also while it starts', async () => {
    const { pool } = supervisor({ size: 2, stopOnAbort: true });
    const controller = new AbortController();
    const aborted = await pool.acquire(controller.signal);
    const other = await pool.acquire(live());
    controller.abort(new Error('cancelled'));
    await sleep(0);
    assert.equal(aborted.instance.stopped, true);
    assert.equal(other.instance.stopped, false);
    await aborted.release();
    await other.release();
  });

  it('with stopOnAbort, an abort while starting tells the start, and stops an instance that starts anyway', async () => {
    const { pool, adapter } = supervisor({ stopOnAbort: true });
    adapter.ignoreSignal = true;
    let open!: () => void;
    adapter.gate = new Promise((resolve) => (open = resolve));
    const starting = new AbortController();
    const acquired = pool.acquire(starting.signal);
    await sleep(0);
    starting.abort(new Error('cancelled while starting'));
    await assert.rejects(acquired, /cancelled while starting/);
    assert.equal(adapter.signals[0]?.aborted, true);
    open();
    await sleep(0);
    assert.equal(adapter.started.at(-1)?.stopped, true, 'the instance that finished starting is stopped');
  });

  it('without stopOnAbort, an abort while starting leaves the start going for the next job', async () => {
    const { pool, adapter } = supervisor();
    let open!: () => void;
    adapter.gate = new Promise((resolve) => (open = resolve));
    const controller = new AbortController();
    const acquired = pool.acquire(controller.signal);
    await sleep(0);
    controller.abort(new Error('cancelled'));
    await assert.rejects(acquired, /cancelled/);
    open();
    const next = await job(pool);
    assert.equal(next, adapter.started[0]);
    assert.equal(adapter.started.length, 1);
  });

  it('close() stops every instance, busy or not, and turns away waiting and later jobs', async () => {
    const { pool } = supervisor({ size: 2 });
    const idle = await job(pool);
    const busy = await pool.acquire(live());
    const other = await pool.acquire(live());
    const waiting = pool.acquire(live());
    await pool.close();
    await assert.rejects(waiting, /closed/);
    await assert.rejects(pool.acquire(live()), /closed/);
    assert.equal(busy.instance.stopped, true);
    assert.equal(other.instance.stopped, true);
    assert.ok(idle === busy.instance || idle === other.instance);
    await busy.release(); // a job ending after close() is fine
  });

  it('retires an instance over maxRssBytes after its job, measuring its pids', async () => {
    const measured: number[][] = [];
    let rss = 50;
    const { pool } = supervisor({ maxRssBytes: 100, readRss: async (pids) => (measured.push([...pids]), rss) });
    const first = await job(pool);
    assert.equal(first.stopped, false, 'under the limit: kept');
    assert.deepEqual(measured, [[1000 + first.id]]);
    rss = 150;
    const lease = await pool.acquire(live());
    assert.equal(lease.instance, first);
    assert.equal(first.stopped, false, 'over the limit, but its job runs on');
    await lease.release();
    assert.equal(first.stopped, true);
    assert.notEqual(await job(pool), first);
  });

  it('reads no memory when maxRssBytes is 0', async () => {
    let reads = 0;
    const { pool } = supervisor({ maxRssBytes: 0, readRss: async () => (reads++, 1e12) });
    const first = await job(pool);
    assert.equal(await job(pool), first);
    assert.equal(reads, 0);
  });

  it('replace() retires the instance and keeps the slot with a new one', async () => {
    const { pool, adapter } = supervisor({ size: 1 });
    const lease = await pool.acquire(live());
    const old = lease.instance;
    const fresh = await lease.replace();
    assert.equal(old.stopped, true);
    assert.equal(lease.instance, fresh);
    await lease.release();
    assert.equal(await job(pool), fresh);
    assert.equal(adapter.started.length, 2);
  });

  describe('warm()', () => {
    it('starts every slot before any job; the jobs then use those instances and start none', async () => {
      const { pool, adapter } = supervisor({ size: 3 });
      const result = await pool.warm();
      assert.deepEqual(result, { started: 3, failures: [] });
      assert.deepEqual(adapter.started.map((f) => f.slot), [0, 1, 2]);
      const leases = [await pool.acquire(live()), await pool.acquire(live()), await pool.acquire(live())];
      assert.deepEqual(new Set(leases.map((l) => l.instance)), new Set(adapter.started));
      assert.equal(adapter.started.length, 3, 'no job started an instance of its own');
      await Promise.all(leases.map((l) => l.release()));
      assert.deepEqual(await pool.warm(), { started: 0, failures: [] }, 'nothing to start once warm');
    });

    it('starts one slot after the other and lets jobs in at once: a job takes a started instance, else joins a start', async () => {
      const { pool, adapter } = supervisor({ size: 2 });
      const [first0, slow] = [gate(), gate()];
      adapter.slotGates.set(0, first0.promise);
      adapter.slotGates.set(1, slow.promise);
      const warming = pool.warm();
      await sleep(0);
      assert.deepEqual(adapter.started.map((f) => f.slot), [0], 'slot 1 waits for slot 0 to be up');
      first0.open();
      await sleep(0);
      assert.deepEqual(adapter.started.map((f) => f.slot), [0, 1]);
      const first = await pool.acquire(live()); // slot 0 is up, slot 1 still starting
      assert.equal(first.slot, 0);
      let second: Fake | undefined;
      const joining = pool.acquire(live()).then((lease) => ((second = lease.instance), lease));
      await sleep(5);
      assert.equal(second, undefined, 'waits for the start of slot 1');
      slow.open();
      const joined = await joining;
      assert.equal(joined.slot, 1);
      assert.equal(joined.instance, adapter.started[1]);
      assert.equal(adapter.started.length, 2, 'no second start in a slot');
      assert.deepEqual(await warming, { started: 2, failures: [] });
      await Promise.all([first.release(), joined.release()]);
    });

    it('leaves alone a slot whose start goes on; a job takes a started instance before that start', async () => {
      const { pool, adapter } = supervisor({ size: 2 });
      const slow = gate();
      adapter.slotGates.set(0, slow.promise);
      const aborted = new AbortController();
      const gaveUp = pool.acquire(aborted.signal); // slot 0 starts for a job that then gives up: the start goes on
      await sleep(0);
      aborted.abort(new Error('cancelled'));
      await assert.rejects(gaveUp, /cancelled/);
      assert.deepEqual(await pool.warm(), { started: 1, failures: [] }, 'slot 1 only');
      // Waiting for slot 0's start would hang, so the job is timed.
      const lease = await Promise.race([pool.acquire(live()), sleep(1000).then(() => Promise.reject(new Error('the job waited for a start while a started instance idled')))]);
      assert.equal(lease.slot, 1);
      slow.open();
      await lease.release();
      assert.equal(adapter.started.length, 2);
    });

    it('leaves a slot it could not start (its instance died while starting) empty and reports why; its first job starts it as without warming', async () => {
      const { pool, adapter } = supervisor({ size: 2 });
      adapter.failSlots.add(1);
      const result = await pool.warm();
      assert.equal(result.started, 1);
      assert.deepEqual(result.failures.map((e) => e.message), ['could not start']);
      const a = await pool.acquire(live());
      const b = await pool.acquire(live());
      assert.deepEqual([a.slot, b.slot], [0, 1], 'the warm slot first');
      assert.equal(adapter.started.length, 3, 'the failed slot started again for its job');
      assert.equal(b.instance.stopped, false);
      await Promise.all([a.release(), b.release()]);
    });

    it('skips a slot a job holds', async () => {
      const { pool, adapter } = supervisor({ size: 2 });
      const held = await pool.acquire(live());
      assert.deepEqual(await pool.warm(), { started: 1, failures: [] });
      assert.equal(adapter.started.length, 2);
      assert.notEqual(adapter.started[1]?.slot, held.slot);
      await held.release();
    });

    it('close() during the warm-up stops the start going (also when it finishes anyway) and starts no other: no failure, nothing left running', async () => {
      const { pool, adapter } = supervisor({ size: 2 });
      const slow = gate();
      adapter.slotGates.set(0, slow.promise);
      adapter.ignoreSignal = true; // the start comes up although it was cancelled
      const warming = pool.warm();
      await sleep(0);
      const closing = pool.close();
      assert.equal(adapter.signals[0]?.aborted, true, 'the start is told');
      slow.open();
      await closing;
      assert.deepEqual(await warming, { started: 0, failures: [] });
      assert.equal(adapter.started.length, 1, 'slot 1 never started');
      assert.equal(adapter.started[0]?.stopped, true, 'the instance that came up is stopped');
      assert.deepEqual(await pool.warm(), { started: 0, failures: [] }, 'a closed pool starts nothing');
      assert.equal(adapter.started.length, 1);
    });
  });
});
