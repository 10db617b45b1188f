// The fields a v2 operation's creation-time check names as invalid (its 422's `errors` keys),
// for the unit tests of operations that call a handler directly.
import assert from 'node:assert/strict';
import { InvalidDataError } from '../../src/core/v2/operations/index.js';

/** The sorted field names `run` rejects; empty when it accepts. */
export function invalidFields(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof InvalidDataError, `expected an InvalidDataError, got ${String(error)}`);
    return Object.keys(error.errors).sort();
  }
  return [];
}
