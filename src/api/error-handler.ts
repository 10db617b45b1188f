// One error handler for the whole API: AppErrors by kind, Fastify's own errors by code, and
// everything else as a logged 500. Every error body is JSON with `error` and `code`.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, wireWording } from '../core/errors.js';
import { isRedisOutage, redisUnavailable } from '../core/redis-outage.js';
import { ClientGoneError } from './context.js';
import { httpStatusFor, RETRY_AFTER_SECONDS } from './http-status.js';
import { closeAfterAnswer } from './linger.js';
import { REQUEST_ID_HEADER } from './observability/request-id.js';

/** Fastify's error codes that are the client's fault, with a message that says how to fix it. */
const FASTIFY_ERRORS: Readonly<Record<string, { status: number; message: (e: FastifyError) => string }>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, message: () => 'The request body is too large. Upload big files with input=upload (PUT to upload.url) instead of raw or base64.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, message: (e) => e.message },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, message: () => 'The JSON body is empty.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, message: () => 'The Content-Length header does not match the body.' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { status: 400, message: () => 'The request is not multipart/form-data.' },
  FST_REQ_FILE_TOO_LARGE: { status: 413, message: () => 'The file is larger than allowed.' },
  FST_PARTS_LIMIT: { status: 413, message: () => 'The multipart body has too many parts.' },
  FST_FILES_LIMIT: { status: 400, message: () => 'Only one file part is accepted per request.' },
  FST_FIELDS_LIMIT: { status: 413, message: () => 'The multipart body has too many fields.' },
  FST_ERR_BAD_URL: { status: 400, message: () => 'The URL has a malformed percent-encoding. Encode each path segment (e.g. the file name) with encodeURIComponent.' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, message: () => 'A segment of the URL path is too long.' },
};

/** The v1 error body: `error` and `code`, which clients read, and a `hint` they ignore. */
export function errorBody(message: string, status: number, hint?: string): { error: string; code: number; hint?: string } {
  return hint === undefined ? { error: message, code: status } : { error: message, code: status, hint };
}

/** A Redis outage under a request (or as the cause of a wrapped error) is a 503, not a 500. */
export const withOutage = (error: FastifyError | AppError): FastifyError | AppError =>
  !(error instanceof AppError) && (isRedisOutage(error) || isRedisOutage(error.cause)) ? redisUnavailable(error) : error;

/** Status and message of an error that is not an AppError: Fastify's client errors, else a 500. */
export function frameworkStatus(error: FastifyError): { status: number; message: string } {
  const known = error.code === undefined ? undefined : FASTIFY_ERRORS[error.code];
  if (known !== undefined) return { status: known.status, message: known.message(error) };
  if (error.validation !== undefined) return { status: 400, message: `Invalid request: ${error.message}` };
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) return { status: error.statusCode, message: error.message };
  return { status: 500, message: 'Internal error. Please try again; if it persists, contact the operator.' };
}

/** A client that went away: nothing to answer. True when handled. */
export function droppedClient(error: Error, request: FastifyRequest, reply: FastifyReply): boolean {
  if (!(error instanceof ClientGoneError) && !reply.raw.destroyed) return false;
  request.log.debug({ reason: error.message }, 'client went away before the answer');
  reply.hijack();
  reply.raw.destroy();
  return true;
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((raised: FastifyError | AppError, request, reply) => {
    const error = withOutage(raised);
    if (droppedClient(error, request, reply)) return;
    // Answered before the body has arrived (too large, no key, throttled): do not keep any of the rest.
    if (!request.raw.complete) closeAfterAnswer(request, reply);
    if (error instanceof AppError) {
      const status = httpStatusFor(error.code, 'request');
      if (status === 503 || status === 429) void reply.header('Retry-After', String(error.retryAfterSeconds ?? RETRY_AFTER_SECONDS));
      if (status >= 500) request.log.error({ err: error }, 'request failed');
      const { error: wording, hint } = wireWording(error);
      return reply.status(status).send(errorBody(wording, status, hint));
    }
    const { status, message } = frameworkStatus(error);
    if (status >= 500) request.log.error({ err: error }, 'unexpected error');
    return reply.status(status).send(errorBody(message, status));
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(errorBody(`Not found: ${request.method} ${request.url.split('?')[0] ?? ''}. See the CloudConvert API v1 routes in docs/api-v1.md.`, 404)),
  );
}

/** Fastify's `frameworkErrors`: errors raised before routing (a malformed URL), in the same JSON shape. */
export function frameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const known = error.code === undefined ? undefined : FASTIFY_ERRORS[error.code];
  const status = known?.status ?? 400;
  // No hook runs before routing, so the echo of the request id happens here.
  void reply.status(status).header(REQUEST_ID_HEADER, request.id).send(errorBody(known?.message(error) ?? error.message, status));
}
