import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canTransition, FINAL_STEPS, isFinal, STEPS, stepsLeadingTo, TRANSITIONS, type Step } from '../../src/core/process/steps.js';

describe('steps', () => {
  it('has exactly the six wire steps', () => {
    assert.deepEqual([...STEPS].sort(), ['convert', 'error', 'finished', 'input', 'output', 'wait']);
    assert.deepEqual(Object.keys(TRANSITIONS).sort(), [...STEPS].sort());
  });

  it('only moves to the six steps', () => {
    for (const targets of Object.values(TRANSITIONS)) for (const to of targets) assert.ok((STEPS as readonly string[]).includes(to), to);
  });

  it('finished and error lead nowhere, not even to themselves', () => {
    for (const from of ['finished', 'error'] as const) {
      assert.deepEqual(TRANSITIONS[from], []);
      for (const to of STEPS) assert.equal(canTransition(from, to), false, `${from} → ${to}`);
    }
  });

  it('every non-final step can fail and can repeat itself', () => {
    for (const from of STEPS.filter((s) => !isFinal(s))) {
      assert.equal(canTransition(from, 'error'), true, `${from} → error`);
      assert.equal(canTransition(from, from), true, `${from} → ${from}`);
    }
  });

  it('allows the normal path input → wait → convert → output → finished', () => {
    const path: Step[] = ['input', 'wait', 'convert', 'output', 'finished'];
    for (let i = 1; i < path.length; i += 1) assert.equal(canTransition(path[i - 1] as Step, path[i] as Step), true);
  });

  it('allows a retried attempt to start over at input', () => {
    for (const from of ['wait', 'convert', 'output'] as const) assert.equal(canTransition(from, 'input'), true, from);
  });

  it('refuses skipping backwards or jumping to finished too early', () => {
    assert.equal(canTransition('output', 'convert'), false);
    assert.equal(canTransition('output', 'wait'), false);
    assert.equal(canTransition('input', 'finished'), false);
    assert.equal(canTransition('wait', 'finished'), false);
    assert.equal(canTransition('input', 'output'), false);
  });

  it('isFinal is true only for finished and error', () => {
    assert.deepEqual(STEPS.filter(isFinal).sort(), [...FINAL_STEPS].sort());
    assert.deepEqual([...FINAL_STEPS].sort(), ['error', 'finished']);
  });
});

describe('stepsLeadingTo', () => {
  it('agrees with canTransition for every target', () => {
    for (const to of STEPS) {
      const expected = STEPS.filter((from) => TRANSITIONS[from].includes(to));
      assert.deepEqual(stepsLeadingTo(to), expected, to);
    }
  });

  it('error is reachable from every non-final step and from no final one', () => {
    assert.deepEqual(stepsLeadingTo('error').sort(), ['convert', 'input', 'output', 'wait']);
  });

  it('finished is reachable only from convert and output', () => {
    assert.deepEqual(stepsLeadingTo('finished').sort(), ['convert', 'output']);
  });

  it('never lists a final step as a source', () => {
    for (const to of STEPS) for (const from of stepsLeadingTo(to)) assert.equal(isFinal(from), false, `${from} → ${to}`);
  });
});
