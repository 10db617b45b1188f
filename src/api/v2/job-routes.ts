// /v2/jobs: create, list, show (blocking on a sync host or under /sync), the legacy /wait, and
// delete. Handlers read the request, call the v2 service and answer through reply.ts.
import type { FastifyInstance } from 'fastify';
import { authenticate } from '../caller.js';
import { clientGone, originOf, type ApiDeps } from '../context.js';
import { includesOf } from '../../services/v2-service.js';
import { baseUrlOf, filterOf, pageOf, sendData, sendList, sendNoContent } from './reply.js';
import { isSyncRequest } from './sync.js';

type Query = Record<string, string | undefined>;
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export function jobRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const v2 = deps.v2;

  app.post('/jobs', async (request, reply) => {
    const account = await authenticate(request, {}, deps);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const base = baseUrlOf(originOf(request, deps.config));
    const view = await v2.createJob(account, { tasks: body.tasks, tag: text(body.tag), webhookUrl: text(body.webhook_url) }, base);
    if (!isSyncRequest(request)) return sendData(reply, 201, v2.jobObject(view));
    const ended = await v2.waitJob(account, view.job.id, clientGone(reply));
    const file = body.redirect === true ? firstExportUrl(v2.jobObject(ended)) : undefined;
    if (file !== undefined) return reply.status(302).header('Location', file).send();
    return sendData(reply, 200, v2.jobObject(ended));
  });

  app.get('/jobs', async (request, reply) => {
    const account = await authenticate(request, {}, deps);
    const query = request.query as Query;
    const page = pageOf(query);
    const status = filterOf(query, 'status');
    const tag = filterOf(query, 'tag');
    const filter = { ...(status === undefined ? {} : { status }), ...(tag === undefined ? {} : { tag }) };
    const { items, more } = await v2.listJobs(account, filter, page.page, page.perPage);
    const withTasks = includesOf(query.include).length > 0 || (text(query.include) ?? '').split(',').includes('tasks');
    const objects = items.map((view) => (withTasks ? v2.jobObject(view) : { ...v2.jobObject(view), tasks: undefined }));
    return sendList(reply, objects, page, `${baseUrlOf(originOf(request, deps.config))}/v2/jobs`, more);
  });

  app.get<{ Params: { id: string } }>('/jobs/:id', async (request, reply) => {
    const account = await authenticate(request, {}, deps);
    const view = isSyncRequest(request) ? await v2.waitJob(account, request.params.id, clientGone(reply)) : await v2.job(account, request.params.id);
    return sendData(reply, 200, v2.jobObject(view, includesOf((request.query as Query).include)));
  });

  app.get<{ Params: { id: string } }>('/jobs/:id/wait', async (request, reply) => {
    const account = await authenticate(request, {}, deps);
    return sendData(reply, 200, v2.jobObject(await v2.waitJob(account, request.params.id, clientGone(reply))));
  });

  app.delete<{ Params: { id: string } }>('/jobs/:id', async (request, reply) => {
    await v2.deleteJob(await authenticate(request, {}, deps), request.params.id);
    return sendNoContent(reply);
  });
}

/** The first file URL of the job's export/url tasks (sync create with `redirect: true`). */
function firstExportUrl(job: Record<string, unknown>): string | undefined {
  const tasks = (job.tasks ?? []) as Array<{ operation?: string; result?: { files?: Array<{ url?: string }> } | null }>;
  return tasks.find((t) => t.operation === 'export/url')?.result?.files?.[0]?.url;
}
