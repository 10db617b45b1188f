// The tracing part of the config: OpenTelemetry's own variable names (OTEL_*), so a collector set
// up for other services works unchanged. Tracing is off unless an OTLP endpoint is given.
// Declared here rather than in settings.ts because the Config part (one URL) is assembled from
// two variables.
import { fail } from './error.js';
import { baseUrl, bool, custom, text, urlText } from './kinds.js';
import { composite } from './setting.js';

export interface TelemetryConfig {
  /** Where spans are posted (OTLP/HTTP, JSON); undefined: tracing is off and nothing is loaded. */
  readonly tracesUrl: string | undefined;
  /** The `service.name` of every span of this server. */
  readonly serviceName: string;
  /** Extra headers of every export request (a collector's API key). */
  readonly headers: Readonly<Record<string, string>>;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** `key=value,key2=value2` as the OpenTelemetry specification writes headers (values percent-encoded). */
export function parseOtlpHeaders(raw: string | undefined, name: string): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  for (const pair of (raw ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const eq = pair.indexOf('=');
    const key = eq > 0 ? pair.slice(0, eq).trim() : '';
    if (!HEADER_NAME.test(key)) fail(name, 'must be comma-separated key=value pairs (e.g. x-api-key=abc,x-team=ops)');
    let value = pair.slice(eq + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      fail(name, `has a malformed percent-encoding in the value of ${key}`);
    }
    headers[key.toLowerCase()] = value;
  }
  return headers;
}

export const telemetry = composite(
  'Tracing (OpenTelemetry)',
  {
    endpoint: baseUrl('OTEL_EXPORTER_OTLP_ENDPOINT', { unset: '(none: tracing off)' }, 'OTLP/HTTP collector (e.g. `http://otel-collector:4318`); spans go to `<endpoint>/v1/traces` as JSON. Set it (or the next one) to turn tracing on.'),
    tracesEndpoint: urlText('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', { protocols: ['http:', 'https:'], unset: '(the endpoint + `/v1/traces`)' }, 'The full URL spans are posted to; wins over `OTEL_EXPORTER_OTLP_ENDPOINT`.'),
    serviceName: text('OTEL_SERVICE_NAME', { default: 'openconvert', pattern: { test: /^[\x20-\x7e]{1,100}$/, rule: '1 to 100 printable characters' } }, '`service.name` of the spans (API and worker processes also say their role in `openconvert.role`).'),
    headers: custom('OTEL_EXPORTER_OTLP_HEADERS', { type: 'comma-separated `key=value` pairs', default: '(none)', parse: parseOtlpHeaders }, "Headers of every export request, e.g. the collector's API key. The exporter also honours the other standard `OTEL_EXPORTER_OTLP_*` variables (timeout, compression, certificates) and `OTEL_BSP_*`, `OTEL_TRACES_SAMPLER`."),
    disabled: bool('OTEL_SDK_DISABLED', false, 'Turns tracing off even with an endpoint set.'),
  },
  (values): TelemetryConfig => ({
    tracesUrl: values.disabled ? undefined : (values.tracesEndpoint ?? (values.endpoint === undefined ? undefined : `${values.endpoint}/v1/traces`)),
    serviceName: values.serviceName,
    headers: values.headers,
  }),
);
