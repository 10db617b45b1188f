// The id of each request: the client's X-Request-Id when it is safe to put into log lines and
// headers (1 to 128 of A-Z a-z 0-9 . _ : -), else a new UUID. Fastify uses it as request.id, so
// every log line of the request carries it; every answer echoes it; the worker logs it too.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Fastify's genReqId: the client's id when valid (a repeated header counts as invalid), else a UUID. */
export function requestIdOf(request: Pick<IncomingMessage, 'headers'>): string {
  const sent = request.headers[REQUEST_ID_HEADER];
  return typeof sent === 'string' && SAFE_REQUEST_ID.test(sent) ? sent : randomUUID();
}
