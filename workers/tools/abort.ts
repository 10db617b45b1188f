// Promise helpers of the pools and their engines: a race against an AbortSignal, and a time limit.
export { withTimeout } from '../../src/core/time-limit.js';

/** Resolves as `promise` does, or rejects at once when `signal` aborts; `onLate` gets a result that came too late. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal, onLate: (late: Promise<T>) => void = () => undefined): Promise<T> {
  if (signal.aborted) {
    onLate(promise);
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      onLate(promise);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => (signal.removeEventListener('abort', onAbort), resolve(value)),
      (error: unknown) => (signal.removeEventListener('abort', onAbort), reject(error as Error)),
    );
  });
}
