// Polling for tests that watch something outside the API's events (files, OS processes, progress
// of many conversions). A timeout here bounds how long a failing test waits, not how fast the
// machine must be: keep it well above what the work takes on a busy machine.
import assert from 'node:assert/strict';
import { json } from './http.js';

export async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}

/**
 * Waits until `progress()` reaches `target`, for work whose total time depends on the machine's
 * load (a backlog of conversions): it fails only when the count has not grown for `stallMs`, i.e.
 * when the work is stuck, however long the whole takes on a busy machine.
 */
export async function untilProgress(progress: () => Promise<number>, target: number, stallMs: number, what: string): Promise<void> {
  let best = -Infinity;
  let advancedAt = Date.now();
  for (;;) {
    const now = await progress();
    if (now >= target) return;
    if (now > best) {
      best = now;
      advancedAt = Date.now();
    } else if (Date.now() - advancedAt > stallMs) {
      assert.fail(`${what}: no progress for ${stallMs} ms, stuck at ${now} of ${target}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * When the process at `url` is first seen converting (or already past it), polled. Tests that time
 * how a conversion ends start here: the queue and the input step before it take what the
 * machine's load makes them take.
 */
export async function seenConverting(url: string, timeoutMs = 30_000): Promise<number> {
  await until(async () => ['convert', 'output', 'finished', 'error'].includes(String((await json(url)).body['step'])), timeoutMs, 'the conversion to start');
  return Date.now();
}
