// GET /v2/signed-urls/<id>?job=...[&cache_key=...]&s=... (wire spec 13): the base URL an
// operator hands out is `<public url>/v2/signed-urls/<id>`. No API key: the signature is the
// credential. The answer is a 302 to the job's first export/url file, so the existing download
// route serves it (ranges, inline, file name) and a browser or <img> follows it as is.
import type { FastifyInstance } from 'fastify';
import { clientGone, originOf, type ApiDeps } from '../context.js';
import { baseUrlOf } from './reply.js';

export function signedUrlRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get<{ Params: { id: string } }>('/signed-urls/:id', async (request, reply) => {
    // The raw request target: the signature covers the query exactly as the client sent it.
    const location = await deps.signedUrls.run(request.params.id, baseUrlOf(originOf(request, deps.config)), request.raw.url ?? '', clientGone(reply));
    return reply.status(302).header('Location', location).header('Cache-Control', 'no-store').send();
  });
}
