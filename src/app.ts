// Builds the HTTP API from its dependencies. Tests call buildApp directly; src/server.ts and
// src/main.ts only add listening and shutdown.
import type { ServerOptions } from 'node:http';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { ApiDeps } from './api/context.js';
import { frameworkError, registerErrorHandler } from './api/error-handler.js';
import { registerOpenApi } from './api/openapi.js';
import { registerRealtime } from './api/realtime/index.js';
import { REQUEST_ID_HEADER, requestIdOf } from './api/observability/request-id.js';
import { registerRequestTracing } from './api/observability/request-tracing.js';
import { parseQueryString, registerBodyParsers } from './api/params/body.js';
import { adminRoutes } from './api/admin/index.js';
import { accountRoutes } from './api/routes/account-routes.js';
import { catalogOptionsRoutes } from './api/routes/catalog-options-routes.js';
import { consoleRoutes } from './api/console/index.js';
import { convertRoutes } from './api/routes/convert-routes.js';
import { createRoutes } from './api/routes/create-routes.js';
import { opsRoutes } from './api/routes/ops-routes.js';
import { presetRoutes } from './api/routes/preset-routes.js';
import { processUrlRoutes } from './api/routes/process-url-routes.js';
import { transferRoutes } from './api/routes/transfer-routes.js';
import { registerRedisGuard } from './api/redis-guard.js';
import { AppError } from './core/errors.js';
import { v2Routes } from './api/v2/index.js';
import { versionRoutes } from './api/routes/version-routes.js';
import { SharedBudget } from './api/spool.js';
import { buildInfo } from './core/build-info.js';
import { MAX_INPUT_FILES } from './services/params.js';

export type { ApiDeps } from './api/context.js';

// The CORS and cache headers CloudConvert's hosts sent: browsers upload from forms and poll
// process URLs from other origins.
const COMMON_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'OPTIONS, GET, PUT, POST, DELETE',
  'Access-Control-Allow-Headers': 'Content-Type, Origin, User-Agent, Retry-After, Authorization, X-Request-Id',
  'Access-Control-Expose-Headers': 'X-Request-Id',
  'Cache-Control': 'no-cache, no-store, must-revalidate',
  Pragma: 'no-cache',
  Expires: '0',
  'X-Content-Type-Options': 'nosniff',
};

function httpServerOptions(config: ApiDeps['config']): ServerOptions {
  const { requestTimeoutMs, headersTimeoutMs } = config.server;
  const shortest = requestTimeoutMs > 0 ? Math.min(requestTimeoutMs, headersTimeoutMs) : headersTimeoutMs;
  return { requestTimeout: requestTimeoutMs, headersTimeout: headersTimeoutMs, connectionsCheckingInterval: Math.min(30_000, Math.max(250, shortest / 2)) };
}

/**
 * Text fields per multipart body: `files[i][file]` and `files[i][filename]` for the most input
 * files, plus the other parameters. Their bytes are bounded apart (FieldMeter).
 */
const MAX_FIELDS = 2 * MAX_INPUT_FILES + 50;

async function apiRoutes(app: FastifyInstance, deps: ApiDeps, keylessSpool: SharedBudget): Promise<void> {
  registerRedisGuard(app, deps.redisReady);
  registerBodyParsers(app);
  const limits = { files: MAX_INPUT_FILES, fields: MAX_FIELDS, parts: MAX_FIELDS + MAX_INPUT_FILES, fieldSize: deps.config.server.maxBodyBytes, fileSize: Number.MAX_SAFE_INTEGER };
  await app.register(multipart, { limits });
  createRoutes(app, deps);
  processUrlRoutes(app, deps);
  convertRoutes(app, deps, keylessSpool);
  accountRoutes(app, deps);
  catalogOptionsRoutes(app);
  presetRoutes(app, deps);
}

const serverClosing = (): AppError =>
  new AppError('UNAVAILABLE', 'This server is shutting down. The process goes on: repeat the request in a second (another server answers it).', { retryAfterSeconds: 1 });

export async function buildApp(deps: ApiDeps, options: { logger?: FastifyBaseLogger | boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: typeof options.logger === 'object' ? options.logger : undefined,
    logger: typeof options.logger === 'object' ? undefined : (options.logger ?? { level: deps.config.logLevel }),
    bodyLimit: deps.config.server.maxBodyBytes,
    routerOptions: { querystringParser: parseQueryString, maxParamLength: 1000 },
    // A client that sends its headers or body too slowly is cut off (408), so stalled uploads
    // cannot hold sockets forever. Node checks the timeouts every connectionsCheckingInterval.
    requestTimeout: deps.config.server.requestTimeoutMs,
    // request.ip (the failed-key throttle counts by it) from X-Forwarded-For of these proxies only.
    trustProxy: deps.config.server.trustProxy,
    http: httpServerOptions(deps.config),
    return503OnClosing: true,
    frameworkErrors: frameworkError,
    forceCloseConnections: 'idle',
    // The client's X-Request-Id when it is safe to log, else a new one (requestIdOf validates it).
    genReqId: requestIdOf,
    requestIdHeader: false,
  });
  registerErrorHandler(app);
  // On close, open waits answer at once (503, Retry-After: 1) instead of holding the shutdown:
  // the processes go on, and the client asks again (another API node answers).
  app.addHook('preClose', async () => deps.endWaits?.(serverClosing()));
  if (deps.config.telemetry.tracesUrl !== undefined) registerRequestTracing(app);
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(COMMON_HEADERS).header(REQUEST_ID_HEADER, request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    const bytesOut = Number(reply.getHeader('content-length') ?? 0);
    deps.metrics?.request(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, Number(request.headers['content-length'] ?? 0), bytesOut, reply.elapsedTime / 1000);
  });
  const build = buildInfo(deps.config.buildCommit);
  await registerOpenApi(app, build.version);
  app.options('*', { schema: { hide: true } }, async (_request, reply) => reply.status(204).send());
  await app.register(async (scope) => opsRoutes(scope, { health: deps.health, metrics: deps.metrics, metricsKey: deps.config.metricsKey }));
  await app.register(async (scope) => versionRoutes(scope, build));
  // One budget for files spooled before their key, whichever prefix the request used.
  const keylessSpool = new SharedBudget(deps.config.server.unauthenticatedSpoolBytes);
  // Every API route also answers under /v1, as CloudConvert's did.
  for (const prefix of ['', '/v1']) {
    await app.register(async (scope) => apiRoutes(scope, deps, keylessSpool), { prefix });
    await app.register(async (scope) => {
      registerRedisGuard(scope, deps.redisReady);
      await transferRoutes(scope, deps);
    }, { prefix });
  }
  // API v2 (jobs and tasks), beside v1.
  await app.register(async (scope) => v2Routes(scope, deps));
  // The real-time API (socket.io) on the same server, path /socket.io/.
  if (deps.realtime !== undefined && deps.config.server.socketIo) registerRealtime(app, { ...deps.realtime, accounts: deps.accounts, keyFailures: deps.keyFailures, trustProxy: deps.config.server.trustProxy });
  // The API console (a static page) at / only, not under /v1.
  await app.register(async (scope) => consoleRoutes(scope, deps));
  // The operator's dashboard and pending lists, only with ADMIN_KEY; not under /v1 either.
  const { adminKey, adminWrite } = deps.config;
  const admin = deps.admin;
  if (adminKey !== undefined && admin !== undefined) await app.register(async (scope) => adminRoutes(scope, { key: adminKey, writable: adminWrite, admin, accounts: deps.accounts, redisReady: deps.redisReady }), { prefix: '/admin' });
  return app;
}
