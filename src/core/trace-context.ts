// OpenTelemetry spans and W3C trace context, through the OpenTelemetry API only. Until an entry
// registers a tracer provider (src/runtime/tracing.ts, only with an OTLP endpoint set), every
// call here is the API's no-op: no span is recorded and no traceparent is produced.
import { context, propagation, ROOT_CONTEXT, SpanStatusCode, trace, type Context, type Span, type SpanOptions } from '@opentelemetry/api';

export { SpanKind, type Span } from '@opentelemetry/api';

/** The tracer of every span of this server. */
export const tracer = () => trace.getTracer('openconvert');

/** The W3C `traceparent` of `ctx` (by default the active span), or undefined when nothing is traced. */
export function traceparentOf(ctx: Context = context.active()): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier['traceparent'];
}

/** The context a stored `traceparent` continues (the root context when there is none). */
export function contextFrom(traceparent: string | undefined): Context {
  return traceparent === undefined ? ROOT_CONTEXT : propagation.extract(ROOT_CONTEXT, { traceparent });
}

/** Runs `work` with the trace of a stored `traceparent` active (a job continuing its producer's trace). */
export const continueTrace = <T>(traceparent: string | undefined, work: () => T): T => context.with(contextFrom(traceparent), work);

/** `headers` with the trace context of the active span added, for an outgoing HTTP request. */
export function withTraceHeaders(headers: Record<string, string>): Record<string, string> {
  const carrier = { ...headers };
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** Marks a span failed with the error's message. */
export function failSpan(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/** Runs `work` inside a new active span under `parent`; a throw marks the span failed. The span always ends. */
export function inSpan<T>(name: string, options: SpanOptions, parent: Context, work: (span: Span) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(name, options, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Runs `work` in a child span of the active one. */
export const inChildSpan = <T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> => inSpan(name, options, context.active(), work);
