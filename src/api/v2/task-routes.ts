// /v2/tasks and the stand-alone task creation `POST /v2/{operation}` (operations contain
// slashes: import/url, export/s3, ...).
import type { FastifyInstance } from 'fastify';
import { authenticate } from '../caller.js';
import { clientGone, originOf, type ApiDeps } from '../context.js';
import { includesOf } from '../../services/v2-service.js';
import { baseUrlOf, filterOf, pageOf, sendData, sendList, sendNoContent } from './reply.js';
import { isSyncRequest } from './sync.js';

type Query = Record<string, string | undefined>;

export function taskRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const v2 = deps.v2;

  app.get('/tasks', async (request, reply) => {
    const account = await authenticate(request, {}, deps);
    const query = request.query as Query;
    const page = pageOf(query);
    const pick = (name: string): Record<string, string> => {
      const value = filterOf(query, name);
      return value === undefined ? {} : { [name === 'job_id' ? 'jobId' : name]: value };
    };
    const filter = { ...pick('status'), ...pick('job_id'), ...pick('operation') };
    const { items, more } = await v2.listTasks(account, filter, page.page, page.perPage);
    const include = includesOf(query.include);
    const objects = await Promise.all(items.map((task) => v2.taskObject(task, include)));
    return sendList(reply, objects, page, `${baseUrlOf(originOf(request, deps.config))}/v2/tasks`, more);
  });

  app.get<{ Params: { id: string } }>('/tasks/:id', async (request, reply) => {
    const account = await authenticate(request, {}, deps);
    const task = isSyncRequest(request) ? await v2.waitTask(account, request.params.id, clientGone(reply)) : await v2.task(account, request.params.id);
    return sendData(reply, 200, await v2.taskObject(task, includesOf((request.query as Query).include)));
  });

  app.get<{ Params: { id: string } }>('/tasks/:id/wait', async (request, reply) => {
    const account = await authenticate(request, {}, deps);
    return sendData(reply, 200, await v2.taskObject(await v2.waitTask(account, request.params.id, clientGone(reply)), []));
  });

  app.post<{ Params: { id: string } }>('/tasks/:id/cancel', async (request, reply) => {
    const task = await v2.cancelTask(await authenticate(request, {}, deps), request.params.id);
    return sendData(reply, 200, await v2.taskObject(task, []));
  });

  app.post<{ Params: { id: string } }>('/tasks/:id/retry', async (request, reply) => {
    const task = await v2.retryTask(await authenticate(request, {}, deps), request.params.id);
    return sendData(reply, 201, await v2.taskObject(task, []));
  });

  app.delete<{ Params: { id: string } }>('/tasks/:id', async (request, reply) => {
    await v2.deleteTask(await authenticate(request, {}, deps), request.params.id);
    return sendNoContent(reply);
  });

  // Stand-alone tasks: the operation is the rest of the path (one or more segments).
  app.post<{ Params: { '*': string } }>('/*', async (request, reply) => {
    const account = await authenticate(request, {}, deps);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const task = await v2.createTask(account, request.params['*'], body, baseUrlOf(originOf(request, deps.config)));
    return sendData(reply, 201, await v2.taskObject(task, []));
  });
}
