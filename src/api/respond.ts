// Answers that several routes share: a process status (with its error code when it failed),
// and the blocking `wait` / `download` behaviours of start and /convert.
import type { FastifyReply } from 'fastify';
import type { ProcessRecord } from '../core/process/record.js';
import type { DownloadMode } from '../services/params.js';
import type { ApiDeps } from './context.js';
import { clientGone } from './context.js';
import { httpStatusFor, RETRY_AFTER_SECONDS } from './http-status.js';
import { statusObject } from './mappers/status.js';
import { downloadUrl } from '../core/process/urls.js';

/** The status object, under 200 or, for a failed process, under its error's status. */
export function sendStatus(reply: FastifyReply, deps: ApiDeps, record: ProcessRecord): FastifyReply {
  const body = statusObject(record, deps.config.server.absoluteUrls);
  if (record.step !== 'error') return reply.status(200).send(body);
  const status = httpStatusFor(record.errorCode ?? 'INTERNAL');
  if (status === 503) void reply.header('Retry-After', String(RETRY_AFTER_SECONDS));
  return reply.status(status).send(body);
}

/**
 * After a start: answer at once, or block until the end (`wait`), or redirect to the file.
 * `record` is the process as the start wrote it; an answer at once reads it again, since its
 * admission may have queued it behind its key's running processes.
 */
export async function sendStarted(reply: FastifyReply, deps: ApiDeps, record: ProcessRecord, options: { wait: boolean; download: DownloadMode }): Promise<FastifyReply> {
  // The start went on without something the caller asked for (e-mail on a server without SMTP).
  if (record.notice !== undefined) reply.log.warn({ processId: record.id }, record.notice);
  if (!options.wait && options.download === false) return sendStatus(reply, deps, await deps.processes.status(record.id));
  const final = await deps.processes.waitUntilFinal(record.id, clientGone(reply));
  if (options.download === false || final.step === 'error') return sendStatus(reply, deps, final);
  // R's client strips the first 26 characters of this exact body to find the URL.
  const location = downloadUrl(final, true) + (options.download === 'inline' ? '?inline' : '');
  return reply.status(303).header('Location', location).type('text/plain; charset=utf-8').send(`See Other. Redirecting to ${location}`);
}
