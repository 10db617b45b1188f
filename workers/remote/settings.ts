// What the worker needs to reach the user's storage: the address policy, timeouts, part sizes.
// Also the one place that turns a missing secret into a clear message.
import { appError } from '../../src/core/errors.js';
import type { AddressPolicy } from '../../src/core/net/address-guard.js';
import type { RemoteSecret } from '../../src/core/remote/locations.js';

export interface RemoteSettings extends AddressPolicy {
  /** Connection and idle timeout, in ms. */
  readonly timeoutMs: number;
  /** Bytes per part of S3 multipart uploads. */
  readonly partSizeBytes: number;
}

/** The secret of the given kind, or a clear failure (it expired with an over-long wait). */
export function requireSecret<K extends RemoteSecret['kind']>(secret: RemoteSecret | undefined, kind: K, direction: 'input' | 'output'): Extract<RemoteSecret, { kind: K }> {
  if (secret?.kind === kind) return secret as Extract<RemoteSecret, { kind: K }>;
  throw appError(
    direction === 'input' ? 'INPUT_UNAVAILABLE' : 'OUTPUT_FAILED',
    `The ${kind.toUpperCase()} credentials of this process are no longer available (they are kept only while the process runs). Start a new process.`,
  );
}
