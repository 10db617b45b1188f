// The only place where error kinds become HTTP statuses.
import { ERROR_CATALOGUE, type ErrorCode, type ErrorKind } from '../core/errors.js';

const STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  payload_too_large: 413,
  payment_required: 402,
  throttled: 429,
  conversion_failed: 422,
  unavailable: 503,
  internal: 500,
};

/**
 * Status for an error code. A failed process answers as the API document says: 400 for wrong
 * parameters, 422 for a conversion error, 503 (retry later) when the server itself failed.
 */
export function httpStatusFor(code: ErrorCode, context: 'request' | 'process' = 'process'): number {
  const kind = ERROR_CATALOGUE[code].kind;
  if (context === 'request') return STATUS_BY_KIND[kind];
  if (kind === 'bad_request') return 400;
  if (kind === 'internal' || kind === 'unavailable') return 503;
  return 422;
}

/** Seconds a client should wait before retrying a 503, sent as Retry-After. */
export const RETRY_AFTER_SECONDS = 30;
