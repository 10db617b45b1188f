// An OTLP/HTTP trace receiver on 127.0.0.1 for tracing tests: it takes what the exporter posts
// to /v1/traces (JSON, as the OTLP/HTTP exporter sends it), answers as a collector would, and
// keeps every span flattened with its resource's attributes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

type AnyValue = { stringValue?: string; intValue?: number | string; boolValue?: boolean; doubleValue?: number };
interface KeyValue {
  readonly key: string;
  readonly value: AnyValue;
}
interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly attributes?: readonly KeyValue[];
  readonly status?: { readonly code?: number };
}
interface ExportRequest {
  readonly resourceSpans?: ReadonlyArray<{ resource?: { attributes?: readonly KeyValue[] }; scopeSpans?: ReadonlyArray<{ spans?: readonly OtlpSpan[] }> }>;
}

/** OTLP's span kinds (SpanKind + 1 of the OpenTelemetry API). */
export const OTLP_KIND = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;

export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** Empty or undefined for a root span. */
  readonly parentSpanId: string | undefined;
  readonly name: string;
  readonly kind: number;
  /** 0 unset, 1 ok, 2 error. */
  readonly statusCode: number;
  /** The span's attributes, values as strings. */
  readonly attributes: Readonly<Record<string, string>>;
  /** Its resource's attributes (service.name, openconvert.role...). */
  readonly resource: Readonly<Record<string, string>>;
}

export interface OtlpReceiver {
  /** http://127.0.0.1:PORT (give it as OTEL_EXPORTER_OTLP_ENDPOINT). */
  readonly endpoint: string;
  /** Every span received so far. */
  spans(): ReceivedSpan[];
  /** Paths and content types of the export requests. */
  readonly requests: Array<{ path: string; contentType: string | undefined }>;
  stop(): Promise<void>;
}

const flat = (attributes: readonly KeyValue[] | undefined): Record<string, string> =>
  Object.fromEntries((attributes ?? []).map(({ key, value }) => [key, String(value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue ?? '')]));

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const received: ReceivedSpan[] = [];
  const requests: Array<{ path: string; contentType: string | undefined }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', contentType: req.headers['content-type'] });
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ExportRequest;
      for (const resourceSpans of body.resourceSpans ?? []) {
        const resource = flat(resourceSpans.resource?.attributes);
        for (const scope of resourceSpans.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) {
            received.push({ traceId: span.traceId, spanId: span.spanId, parentSpanId: span.parentSpanId || undefined, name: span.name, kind: span.kind, statusCode: span.status?.code ?? 0, attributes: flat(span.attributes), resource });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans: () => [...received],
    requests,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
