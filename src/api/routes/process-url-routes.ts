// The process URL: start (POST), status (GET, ?wait), delete (DELETE), and the legacy
// GET <process url>/delete and /cancel.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { clientGone, type ApiDeps } from '../context.js';
import { requestTrace } from '../observability/request-tracing.js';
import { flag, mergeParams, toStartParams } from '../params/normalize.js';
import { bareFlag, readParams } from '../params/read.js';
import { sendStarted, sendStatus } from '../respond.js';
import { ApiQuery, IdParams, MessageBody, StatusObject, errorResponses, processErrorResponses } from '../schemas.js';

export function processUrlRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const statusSchema = { params: IdParams, querystring: ApiQuery, response: { 200: StatusObject, ...processErrorResponses } };

  // The unguessable process id is the capability: an unknown one is refused before any of the
  // body is read (JSON and form bodies are parsed before the handler runs).
  const processExists = async (request: FastifyRequest<{ Params: { id: string } }>): Promise<void> => {
    await deps.processes.status(request.params.id);
  };

  app.post<{ Params: { id: string } }>('/process/:id', { schema: statusSchema, onRequest: processExists }, async (request, reply) => {
    const session = await deps.processes.openStart(request.params.id);
    let record;
    let start;
    try {
      const params = await readParams(request, { totalBytes: deps.config.server.maxBodyBytes }, (stream, filename) => session.stageUpload(stream, filename));
      start = toStartParams(params);
      record = await session.commit(start, requestTrace(request));
    } catch (error) {
      await session.abandon();
      throw error;
    }
    return sendStarted(reply, deps, record, start);
  });

  app.get<{ Params: { id: string } }>('/process/:id', { schema: statusSchema }, async (request, reply) => {
    const wait = bareFlag(request.query, 'wait') ?? flag(mergeParams(request.query, undefined), 'wait');
    const record = wait ? await deps.processes.waitUntilFinal(request.params.id, clientGone(reply)) : await deps.processes.status(request.params.id);
    return sendStatus(reply, deps, record);
  });

  const messageSchema = { params: IdParams, response: { 200: MessageBody, ...errorResponses } };
  const remove = async (request: { params: { id: string } }) => {
    await deps.processes.delete(request.params.id);
    return { message: 'Process was deleted' };
  };
  app.delete<{ Params: { id: string } }>('/process/:id', { schema: messageSchema }, remove);
  app.get<{ Params: { id: string } }>('/process/:id/delete', { schema: messageSchema }, remove);
  app.get<{ Params: { id: string } }>('/process/:id/cancel', { schema: messageSchema }, async (request) => {
    await deps.processes.cancel(request.params.id);
    return { message: 'Process was cancelled' };
  });
}
