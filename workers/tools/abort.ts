// Promise helpers of the pipeline, the pools and their engines: a race against an AbortSignal, and a time limit.
import { abortError } from '../../src/core/errors.js';

export { withTimeout } from '../../src/core/time-limit.js';

/**
 * Resolves as `promise` does, or rejects at once when `signal` aborts (or has aborted already)
 * with the abort's reason. `promise` is always observed, also when the abort wins: its late
 * rejection has nobody left to handle it, and unhandled it would end the Node process.
 * `onLate` gets `promise` when the abort wins, to wait for it or to clean up its late result.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal, onLate: (late: Promise<T>) => void = () => undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      onLate(promise);
      reject(abortError(signal));
    };
    promise.then(
      (value) => (signal.removeEventListener('abort', onAbort), resolve(value)),
      (error: unknown) => (signal.removeEventListener('abort', onAbort), reject(error as Error)),
    );
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
