// OpenTelemetry tracing of one process, on only when an OTLP endpoint is configured: a
// NodeTracerProvider (context through AsyncLocalStorage, W3C trace context) whose spans are
// batched and posted as OTLP/HTTP JSON. No auto-instrumentation: the spans are the ones the code
// opens (src/core/trace-context.ts). Off, nothing is registered and the API stays a no-op.
import { context, diag, DiagLogLevel, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { Config } from '../config/index.js';
import { buildInfo } from '../core/build-info.js';
import type { Logger } from '../core/logger.js';

export interface Tracing {
  /** True when spans are exported. */
  readonly enabled: boolean;
  /** Exports the spans still buffered and stops; afterwards the API is a no-op again. Idempotent. */
  close(): Promise<void>;
}

const OFF: Tracing = { enabled: false, close: async () => undefined };

/** Which entry this process is, in the spans' `openconvert.role`. */
export type ProcessRole = 'api' | 'worker' | 'all';

export function startTracing(config: Config, role: ProcessRole, log: Logger): Tracing {
  const { tracesUrl, serviceName, headers } = config.telemetry;
  if (tracesUrl === undefined) return OFF;
  // Failed exports are reported through diag: they reach the log, once each, as warnings.
  diag.setLogger({ error: (message) => log.warn({ otel: message }, 'tracing: span export failed'), warn: (message) => log.warn({ otel: message }, 'tracing'), info: () => undefined, debug: () => undefined, verbose: () => undefined }, DiagLogLevel.WARN);
  const build = buildInfo(config.buildCommit);
  const resource = defaultResource().merge(resourceFromAttributes({ 'service.name': serviceName, 'service.version': build.version, 'openconvert.role': role }));
  const exporter = new OTLPTraceExporter({ url: tracesUrl, headers: { ...headers } });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(exporter)] });
  provider.register();
  log.info({ tracesUrl: new URL(tracesUrl).origin, serviceName }, 'tracing on: spans exported over OTLP/HTTP');
  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    try {
      await provider.shutdown();
    } catch (error) {
      log.warn({ err: error }, 'tracing: the last spans could not be exported');
    }
    trace.disable();
    context.disable();
    propagation.disable();
    diag.disable();
  };
  return { enabled: true, close: () => (closing ??= close()) };
}
