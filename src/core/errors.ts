// The error catalogue: every failure the server reports has a stable code here. The mapping of a
// code's kind to an HTTP status lives only at the API edge (src/api/error-handler.ts).

export const ERROR_KINDS = [
  'bad_request', // the request is wrong: fix the parameters
  'unauthenticated', // no API key
  'forbidden', // unknown API key
  'not_found', // no such process, file or route
  'payload_too_large',
  'payment_required', // the key has no conversion minutes left
  'throttled', // too many requests: retry after Retry-After seconds
  'conversion_failed', // the input or options could not be converted
  'unavailable', // a dependency (Redis, a worker) is missing; retry later
  'internal',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

interface CatalogueEntry {
  readonly kind: ErrorKind;
  /** Default public message; throw sites usually give a more specific one. */
  readonly message: string;
  /** Whether a retry of the same request (or job) can succeed. Bad input never retries. */
  readonly retryable: boolean;
  /**
   * CloudConvert's clients compare `message` to this exact text (the v1 wire spec records it), so
   * v1 answers carry it unchanged in `error`; a throw site's more specific text goes into `hint`.
   */
  readonly wireWording?: true;
}

export const ERROR_CATALOGUE = {
  API_KEY_MISSING: { kind: 'unauthenticated', message: 'No API Key provided!', retryable: false, wireWording: true },
  API_KEY_INVALID: { kind: 'forbidden', message: 'The API key is invalid.', retryable: false },
  INVALID_PARAMETER: { kind: 'bad_request', message: 'A parameter is invalid.', retryable: false },
  MISSING_PARAMETER: { kind: 'bad_request', message: 'A required parameter is missing.', retryable: false },
  UNSUPPORTED_CONVERSION: { kind: 'bad_request', message: 'This conversiontype is not supported!', retryable: false, wireWording: true },
  INVALID_OPTION: { kind: 'bad_request', message: 'A converter option is invalid.', retryable: false },
  NOT_SUPPORTED_YET: { kind: 'bad_request', message: 'This feature is not supported yet by this server.', retryable: false },
  INVALID_FILENAME: { kind: 'bad_request', message: 'The file name is invalid.', retryable: false },
  INPUT_UNAVAILABLE: { kind: 'bad_request', message: 'The input file could not be fetched.', retryable: false },
  URL_FORBIDDEN: { kind: 'bad_request', message: 'The URL points to an address this server may not fetch.', retryable: false },
  OUTPUT_FAILED: { kind: 'bad_request', message: 'The output files could not be stored where the output parameter says.', retryable: false },
  PROCESS_NOT_FOUND: { kind: 'not_found', message: 'Process not found', retryable: false, wireWording: true },
  FILE_DELETED: { kind: 'not_found', message: "File already deleted. Use the 'save' parameter, otherwise files will be deleted after the first download.", retryable: false, wireWording: true },
  FILE_NOT_FOUND: { kind: 'not_found', message: 'File not found', retryable: false },
  ROUTE_NOT_FOUND: { kind: 'not_found', message: 'Not found', retryable: false },
  WRONG_STATE: { kind: 'bad_request', message: 'The process is not in a state that allows this.', retryable: false },
  TOO_LARGE: { kind: 'payload_too_large', message: 'The file is larger than allowed.', retryable: false },
  CONVERSION_FAILED: { kind: 'conversion_failed', message: 'The conversion failed.', retryable: false },
  TIMEOUT: { kind: 'conversion_failed', message: 'The conversion took longer than its timeout and was cancelled.', retryable: false },
  CANCELLED: { kind: 'conversion_failed', message: 'The process was cancelled.', retryable: false },
  NO_MINUTES: { kind: 'payment_required', message: 'No conversion minutes left for this API key.', retryable: false },
  RATE_LIMITED: { kind: 'throttled', message: 'Too many requests. Retry after the number of seconds in the Retry-After header.', retryable: true },
  PRESET_NOT_FOUND: { kind: 'bad_request', message: 'Unknown preset.', retryable: false },
  SECRETS_UNREADABLE: { kind: 'internal', message: "The process's storage credentials could not be decrypted: the API and the worker use different SECRETS_KEY values.", retryable: false },
  UNAVAILABLE: { kind: 'unavailable', message: 'The service is temporarily unavailable. Please try later.', retryable: true },
  INTERNAL: { kind: 'internal', message: 'Internal error. Please try again; if it persists, contact the operator.', retryable: true },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** The only error type the server reports to clients. Anything else is an internal error. */
export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly retryable: boolean;
  /** For throttling and unavailability: when the client should retry (Retry-After). */
  readonly retryAfterSeconds: number | undefined;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    const entry: CatalogueEntry = ERROR_CATALOGUE[code];
    super(message ?? entry.message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterSeconds = options?.retryAfterSeconds;
    this.name = 'AppError';
    this.kind = entry.kind;
    this.retryable = entry.retryable;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Guidance for a missing key, sent as the hint beside CloudConvert's exact "No API Key provided!". */
export const API_KEY_HINT = 'Send it as "Authorization: Bearer <key>" or as the apikey parameter.';

/**
 * What a v1 answer shows of an error: CloudConvert's exact wording in `error` where its clients
 * compare it, and the rest of this server's text (what was wrong, how to fix it) in `hint`.
 */
export function wireWording(error: AppError): { error: string; hint?: string } {
  const entry: CatalogueEntry = ERROR_CATALOGUE[error.code];
  if (entry.wireWording !== true) return { error: error.message };
  const rest = error.message.startsWith(entry.message) ? error.message.slice(entry.message.length).trim() : error.message;
  const hint = rest !== '' ? rest : error.code === 'API_KEY_MISSING' ? API_KEY_HINT : undefined;
  return hint === undefined ? { error: entry.message } : { error: entry.message, hint };
}

export const appError = (code: ErrorCode, message?: string, cause?: unknown): AppError =>
  new AppError(code, message, cause === undefined ? undefined : { cause });

export const STOP_REASONS = ['cancel', 'timeout', 'shutdown'] as const;
export type StopReason = (typeof STOP_REASONS)[number];

/**
 * Why a running conversion was stopped from outside (never the input's fault): cancelled or
 * deleted, over its timeout, or handed back at shutdown. The abort reason of a job's signal.
 */
export class StopError extends Error {
  constructor(
    readonly reason: StopReason,
    /** For a timeout: the limit in seconds. */
    readonly seconds?: number,
  ) {
    super(reason === 'timeout' ? `stopped: over its timeout of ${seconds ?? '?'} s` : `stopped: ${reason}`);
    this.name = 'StopError';
  }
}

/** The error an aborted signal stands for: its reason when that is an Error, else a cancel. */
export function abortError(signal: AbortSignal | undefined): Error {
  return signal?.reason instanceof Error ? signal.reason : new StopError('cancel');
}
