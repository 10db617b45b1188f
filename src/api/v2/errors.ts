// Errors of the API v2 routes in the v2 shape (wire spec 2.7): `{"message", "code", "errors"?}`
// with an UPPER_SNAKE code. 401 is exactly what the Java SDK's test expects; 422 names fields.
import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors.js';
import { InvalidDataError } from '../../core/v2/operations/index.js';
import { SignedUrlError } from '../../core/v2/signed-url.js';
import { SignedUrlTimeoutError } from '../../services/signed-url-service.js';
import { droppedClient, frameworkStatus, withOutage } from '../error-handler.js';
import { httpStatusFor, RETRY_AFTER_SECONDS } from '../http-status.js';
import { closeAfterAnswer } from '../linger.js';
import { sendV2Error } from './reply.js';

/** v2 codes for the statuses an AppError maps to. */
const V2_CODES: Readonly<Record<number, string>> = { 400: 'INVALID_DATA', 402: 'CREDITS_EXCEEDED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 413: 'FILE_TOO_LARGE', 429: 'TOO_MANY_REQUESTS', 503: 'SERVICE_UNAVAILABLE' };

export function registerV2ErrorHandler(scope: FastifyInstance): void {
  scope.setErrorHandler((raised: FastifyError | AppError | InvalidDataError | SignedUrlError | SignedUrlTimeoutError, request, reply) => {
    if (raised instanceof InvalidDataError) return sendV2Error(reply, 422, 'INVALID_DATA', raised.message, raised.errors);
    if (raised instanceof SignedUrlError) return sendV2Error(reply, 403, 'FORBIDDEN', raised.message);
    if (raised instanceof SignedUrlTimeoutError) return sendV2Error(reply, 504, 'GATEWAY_TIMEOUT', raised.message);
    const error = withOutage(raised);
    if (droppedClient(error, request, reply)) return reply;
    if (!request.raw.complete) closeAfterAnswer(request, reply);
    if (error instanceof AppError) {
      // Unknown and missing keys alike: the SDKs expect 401 UNAUTHENTICATED.
      if (error.kind === 'unauthenticated' || error.code === 'API_KEY_INVALID') return sendV2Error(reply, 401, 'UNAUTHENTICATED', 'Unauthenticated.');
      const status = httpStatusFor(error.code, 'request');
      if (status === 503 || status === 429) void reply.header('Retry-After', String(error.retryAfterSeconds ?? RETRY_AFTER_SECONDS));
      if (status >= 500) request.log.error({ err: error }, 'request failed');
      return sendV2Error(reply, status, V2_CODES[status] ?? error.code, error.message);
    }
    const { status, message } = frameworkStatus(error);
    if (status >= 500) request.log.error({ err: error }, 'unexpected error');
    return sendV2Error(reply, status, V2_CODES[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'INVALID_DATA'), message);
  });
  scope.setNotFoundHandler((request, reply) => sendV2Error(reply, 404, 'NOT_FOUND', `The endpoint ${request.method} ${request.url.split('?')[0] ?? ''} does not exist. GET /v2/operations lists the operations.`));
}
