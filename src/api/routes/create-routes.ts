// POST /process (and the legacy GET /process): create a process.
import type { FastifyInstance } from 'fastify';
import { authenticate, callerFieldBounds, identifyCaller } from '../caller.js';
import { originOf, type ApiDeps } from '../context.js';
import { createResponse } from '../mappers/status.js';
import { toCreateParams } from '../params/normalize.js';
import { readParams } from '../params/read.js';
import { ApiQuery, CreateResponse, errorResponses } from '../schemas.js';

export function createRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.route({
    method: ['POST', 'GET'],
    url: '/process',
    schema: { querystring: ApiQuery, response: { 200: CreateResponse, ...errorResponses } },
    onRequest: identifyCaller(deps),
    handler: async (request) => {
      const params = await readParams(request, callerFieldBounds(request, deps));
      const account = await authenticate(request, params, deps);
      const record = await deps.processes.create(account, toCreateParams(params), originOf(request, deps.config));
      return createResponse(record, account, deps.config.server.absoluteUrls, await deps.usage.minutesLeft(account));
    },
  });
}
