// Routes for operators: liveness, readiness and Prometheus metrics. No key needed; they reveal
// no process, key or secret. Registered at / only (not under /v1).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../../core/metrics.js';
import type { HealthService } from '../../services/health-service.js';

export interface OpsDeps {
  readonly health?: HealthService;
  readonly metrics?: Metrics;
}

const Check = Type.Object({ ok: Type.Boolean(), error: Type.Optional(Type.String()) }, { additionalProperties: true });
const ReadyBody = Type.Object({
  ready: Type.Boolean(),
  checks: Type.Object({ redis: Check, storage: Check, workers: Check }),
});

export function opsRoutes(app: FastifyInstance, deps: OpsDeps): void {
  app.get('/healthz', { schema: { summary: 'Liveness: the process is up', tags: ['operations'], response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, async () => ({ status: 'ok' as const }));

  app.get('/readyz', { schema: { summary: 'Readiness: Redis, the file store and a live worker for every engine', tags: ['operations'], response: { 200: ReadyBody, 503: ReadyBody } } }, async (_request, reply) => {
    if (deps.health === undefined) return reply.status(503).send({ ready: false, checks: { redis: { ok: false, error: 'not configured' }, storage: { ok: false, error: 'not configured' }, workers: { ok: false, error: 'not configured' } } });
    const readiness = await deps.health.readiness();
    return reply.status(readiness.ready ? 200 : 503).send(readiness);
  });

  app.get('/metrics', { schema: { summary: 'Prometheus metrics of this process', tags: ['operations'], produces: ['text/plain'], response: { 200: Type.String(), 404: Type.String() } } }, async (_request, reply) => {
    if (deps.metrics === undefined) return reply.status(404).type('text/plain').send('metrics are not enabled\n');
    const { contentType, body } = await deps.metrics.render();
    return reply.type(contentType).send(body);
  });
}
