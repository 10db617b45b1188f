// A server span per HTTP request, registered only when tracing is on. The span continues the
// client's `traceparent` when it sends one, and each route handler runs inside it, so what the
// handler does (queueing a conversion) joins the request's trace. Only the route pattern is
// recorded, never the path or query: paths hold upload and download tokens, queries API keys.
import { context, propagation, ROOT_CONTEXT, trace, type Span } from '@opentelemetry/api';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { RequestTrace } from '../../core/process/record.js';
import { SpanKind, tracer, traceparentOf, failSpan } from '../../core/trace-context.js';

const spans = new WeakMap<FastifyRequest, Span>();

/** The request's id and, when traced, its span's trace context: what a process it queues records. */
export function requestTrace(request: FastifyRequest): RequestTrace {
  const span = spans.get(request);
  const traceparent = span === undefined ? undefined : traceparentOf(trace.setSpan(ROOT_CONTEXT, span));
  return traceparent === undefined ? { requestId: request.id } : { requestId: request.id, traceparent };
}

function end(request: FastifyRequest, reply: FastifyReply | undefined): void {
  const span = spans.get(request);
  if (span === undefined) return;
  spans.delete(request);
  const route = request.routeOptions.url;
  if (route !== undefined) span.updateName(`${request.method} ${route}`).setAttribute('http.route', route);
  if (reply === undefined) {
    failSpan(span, new Error('client went away before the answer'));
  } else {
    span.setAttribute('http.response.status_code', reply.statusCode);
    // Only server errors fail a server span; a 4xx is the client's (OpenTelemetry's HTTP conventions).
    if (reply.statusCode >= 500) failSpan(span, new Error(`HTTP ${reply.statusCode}`));
  }
  span.end();
}

export function registerRequestTracing(app: FastifyInstance): void {
  // Before any route exists, so every handler, in every plugin, is wrapped.
  app.addHook('onRoute', (route) => {
    const handler = route.handler as (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) => unknown;
    const traced = function (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply): unknown {
      const span = spans.get(request);
      return span === undefined ? handler.call(this, request, reply) : context.with(trace.setSpan(context.active(), span), () => handler.call(this, request, reply));
    };
    route.handler = traced as RouteHandlerMethod;
  });
  app.addHook('onRequest', async (request) => {
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const attributes = { 'http.request.method': request.method, 'url.scheme': request.protocol, 'openconvert.request_id': request.id };
    spans.set(request, tracer().startSpan(request.method, { kind: SpanKind.SERVER, attributes }, parent));
  });
  app.addHook('onResponse', async (request, reply) => end(request, reply));
  app.addHook('onRequestAbort', async (request) => end(request, undefined));
}
