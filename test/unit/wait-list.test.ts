import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { releaseSlot, takeSlot, WaitList } from '../../workers/tools/wait-list.js';

describe('WaitList', () => {
  it('wakes waiters one at a time in arrival order', async () => {
    const list = new WaitList();
    const order: number[] = [];
    const a = list.wait(new AbortController().signal).then(() => order.push(1));
    const b = list.wait(new AbortController().signal).then(() => order.push(2));
    list.wakeOne();
    await a;
    assert.deepEqual(order, [1]);
    list.wakeOne();
    await b;
    assert.deepEqual(order, [1, 2]);
  });

  it('lets an aborted waiter go and drops it from the list; wakeAll wakes the rest', async () => {
    const list = new WaitList();
    const controller = new AbortController();
    let woken = 0;
    const aborted = list.wait(controller.signal);
    const other = list.wait(new AbortController().signal).then(() => woken++);
    controller.abort();
    await aborted;
    list.wakeOne(); // goes to the remaining waiter, not the aborted one
    await other;
    assert.equal(woken, 1);
    const last = list.wait(new AbortController().signal);
    list.wakeAll();
    await last;
  });
});

describe('takeSlot / releaseSlot', () => {
  it('prefers a warm free slot, waits while all are busy, and refuses once closed', async () => {
    const slots = [{ busy: false, warm: false }, { busy: false, warm: true }];
    const list = new WaitList();
    let closed = false;
    const take = () => takeSlot(slots, list, new AbortController().signal, (s) => (s.warm ? 1 : 0), () => {
      if (closed) throw new Error('closed');
    });
    const first = await take();
    assert.equal(first, slots[1]);
    const second = await take();
    assert.equal(second, slots[0]);
    let third: unknown;
    const waiting = take().then((s) => (third = s));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(third, undefined, 'waits while both are busy');
    releaseSlot(first, list);
    await waiting;
    assert.equal(third, slots[1]);
    closed = true;
    await assert.rejects(take(), /closed/);
  });

  it('takes the warmest free slot: a started one before one still starting, either before an empty one', async () => {
    const slots = [{ busy: false, warmth: 0 }, { busy: false, warmth: 1 }, { busy: false, warmth: 2 }];
    const list = new WaitList();
    const take = () => takeSlot(slots, list, new AbortController().signal, (s) => s.warmth, () => undefined);
    assert.deepEqual([await take(), await take(), await take()], [slots[2], slots[1], slots[0]]);
  });
});
