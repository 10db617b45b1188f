// API v2 (jobs and tasks): every route, under `/v2/...` and, blocking, under `/sync/v2/...`,
// with v2's error shape and a JSON parser that takes an empty body (the Python SDK sends one
// with every DELETE and GET).
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../context.js';
import { registerRedisGuard } from '../redis-guard.js';
import { registerV2ErrorHandler } from './errors.js';
import { discoveryRoutes } from './discovery-routes.js';
import { jobRoutes } from './job-routes.js';
import { taskRoutes } from './task-routes.js';
import { uploadRoutes } from './upload-routes.js';
import { webhookRoutes } from './webhook-routes.js';
import { signedUrlRoutes } from './signed-url-routes.js';

export { markSyncListener } from './sync.js';

function registerJsonParser(scope: FastifyInstance): void {
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text) as unknown);
    } catch {
      const error = new Error('The request body is not valid JSON.') as Error & { statusCode: number };
      error.statusCode = 400;
      done(error, undefined);
    }
  });
}

export async function v2Routes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  for (const prefix of ['/v2', '/sync/v2']) {
    await app.register(
      async (scope) => {
        registerRedisGuard(scope, deps.redisReady);
        registerV2ErrorHandler(scope);
        registerJsonParser(scope);
        jobRoutes(scope, deps);
        taskRoutes(scope, deps);
        uploadRoutes(scope, deps);
        discoveryRoutes(scope, deps);
        webhookRoutes(scope, deps);
        signedUrlRoutes(scope, deps);
      },
      { prefix },
    );
  }
}
