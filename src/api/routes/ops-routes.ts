// Routes for operators: liveness, readiness and Prometheus metrics. /healthz is always open; with
// METRICS_KEY set, /metrics and the details of /readyz need that key (`Authorization: Bearer` or
// `?key=`), while /readyz without it still answers its status code for load balancers. They
// reveal no process, API key or secret. Registered at / only (not under /v1).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Metrics } from '../../core/metrics.js';
import { operatorKeyAccepted } from '../../core/operator-key.js';
import type { HealthService } from '../../services/health-service.js';
import { errorBody } from '../error-handler.js';

export interface OpsDeps {
  readonly health?: HealthService;
  readonly metrics?: Metrics;
  /** METRICS_KEY: when set, /metrics and the /readyz details need it. */
  readonly metricsKey: string | undefined;
}

const Check = Type.Object({ ok: Type.Boolean(), error: Type.Optional(Type.String()) }, { additionalProperties: true });
const ReadyBody = Type.Object({
  ready: Type.Boolean(),
  /** Absent when METRICS_KEY is set and the request does not carry it. */
  checks: Type.Optional(Type.Object({ redis: Check, storage: Check, workers: Check })),
});
const KeyQuery = Type.Object({ key: Type.Optional(Type.String()) }, { additionalProperties: true });
const NOT_CONFIGURED = { ok: false, error: 'not configured' };

const allowed = (deps: OpsDeps, request: FastifyRequest<{ Querystring: { key?: string } }>): boolean =>
  operatorKeyAccepted(deps.metricsKey, request.headers.authorization, request.query.key);

export function opsRoutes(app: FastifyInstance, deps: OpsDeps): void {
  app.get('/healthz', { schema: { summary: 'Liveness: the process is up', tags: ['operations'], response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, async () => ({ status: 'ok' as const }));

  app.get<{ Querystring: { key?: string } }>('/readyz', { schema: { summary: 'Readiness: Redis, the file store and a live worker for every engine (details with METRICS_KEY)', tags: ['operations'], querystring: KeyQuery, response: { 200: ReadyBody, 503: ReadyBody } } }, async (request, reply) => {
    const readiness = deps.health === undefined ? { ready: false, checks: { redis: NOT_CONFIGURED, storage: NOT_CONFIGURED, workers: NOT_CONFIGURED } } : await deps.health.readiness();
    const body = allowed(deps, request) ? readiness : { ready: readiness.ready };
    return reply.status(readiness.ready ? 200 : 503).send(body);
  });

  app.get<{ Querystring: { key?: string } }>('/metrics', { schema: { summary: 'Prometheus metrics of this process (METRICS_KEY when set)', tags: ['operations'], querystring: KeyQuery, produces: ['text/plain'], response: { 200: Type.String(), 401: Type.Object({ error: Type.String(), code: Type.Integer() }), 404: Type.String() } } }, async (request, reply) => {
    if (!allowed(deps, request)) return reply.status(401).send(errorBody('The metrics need the operator key: send METRICS_KEY as "Authorization: Bearer <key>" or ?key=<key>.', 401));
    if (deps.metrics === undefined) return reply.status(404).type('text/plain').send('metrics are not enabled\n');
    const { contentType, body } = await deps.metrics.render();
    return reply.type(contentType).send(body);
  });
}
