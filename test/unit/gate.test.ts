// The gate that bounds sharp's calls so file operations keep some of libuv's threads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Gate } from '../../workers/tools/gate.js';

const later = (): { promise: Promise<void>; resolve: () => void } => {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('Gate', () => {
  it('lets at most N callers in at once, the others in arrival order', async () => {
    const gate = new Gate(2);
    const signal = new AbortController().signal;
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    const holds = Array.from({ length: 5 }, later);
    const runs = holds.map((hold, i) =>
      gate.run(signal, async () => {
        inside += 1;
        most = Math.max(most, inside);
        order.push(i);
        await hold.promise;
        inside -= 1;
        return i;
      }),
    );
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(order, [0, 1]);
    for (const hold of holds) hold.resolve();
    assert.deepEqual(await Promise.all(runs), [0, 1, 2, 3, 4]);
    assert.equal(most, 2);
    assert.deepEqual(order, [0, 1, 2, 3, 4]);
  });

  it('a caller whose signal aborts while waiting leaves the line with its reason, and frees no place', async () => {
    const gate = new Gate(1);
    const hold = later();
    const first = gate.run(new AbortController().signal, () => hold.promise);
    const controller = new AbortController();
    const waiting = gate.run(controller.signal, async () => 'ran');
    controller.abort(new Error('cancelled'));
    await assert.rejects(waiting, /cancelled/);
    let thirdRan = false;
    const third = gate.run(new AbortController().signal, async () => (thirdRan = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(thirdRan, false, 'the place is still held by the first');
    hold.resolve();
    await first;
    await third;
    assert.equal(thirdRan, true);
  });

  it('a size below 1 still lets one caller in', async () => {
    assert.equal(await new Gate(0).run(new AbortController().signal, async () => 'one'), 'one');
  });
});
