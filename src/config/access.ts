// The access part of the config: how long a client may take to send a request, which proxies'
// forwarded addresses to believe, the operator key of /metrics, and the failed-key throttle.
// Read by loadConfig through the readers it passes in, so process.env stays there.
import { isIP } from 'node:net';
import type { EnvReaders } from './storage.js';

export interface KeyFailureLimits {
  /** Unknown API keys one client address may send per window before it gets 429; 0: no limit. */
  readonly limit: number;
  readonly windowSeconds: number;
}

/** REQUEST_TIMEOUT_SECONDS and HEADERS_TIMEOUT_SECONDS; Node refuses headers allowed longer than the whole request. */
export function requestTimeouts(env: EnvReaders): { requestTimeoutMs: number; headersTimeoutMs: number } {
  const request = env.int('REQUEST_TIMEOUT_SECONDS', 1800, 0, 7 * 86400);
  const headers = env.int('HEADERS_TIMEOUT_SECONDS', 30, 1, 3600);
  if (request > 0 && headers > request) env.fail('HEADERS_TIMEOUT_SECONDS', `must not be longer than REQUEST_TIMEOUT_SECONDS (${request}), got ${headers}`);
  return { requestTimeoutMs: request * 1000, headersTimeoutMs: headers * 1000 };
}

/** TRUST_PROXY: true, false, or comma-separated proxy addresses / CIDRs (10.0.0.0/8, ::1). */
export function trustProxy(env: EnvReaders): boolean | string {
  const raw = env.read('TRUST_PROXY');
  if (raw === undefined || /^(false|0|no|off)$/i.test(raw)) return false;
  if (/^(true|1|yes|on)$/i.test(raw)) return true;
  const entries = raw.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  for (const entry of entries) {
    const [address = '', bits, ...rest] = entry.split('/');
    const family = isIP(address);
    const maxBits = family === 6 ? 128 : 32;
    if (family === 0 || rest.length > 0 || (bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits))) {
      env.fail('TRUST_PROXY', `must be true, false or proxy addresses / CIDRs separated by commas (e.g. 10.0.0.0/8,::1), got "${entry}"`);
    }
  }
  return entries.join(',');
}

/** METRICS_KEY: long enough not to be guessed, sendable in a header and a query string. */
export function metricsKey(env: EnvReaders): string | undefined {
  const raw = env.read('METRICS_KEY');
  if (raw !== undefined && !/^[\x21-\x7e]{16,200}$/.test(raw)) env.fail('METRICS_KEY', 'must be 16 to 200 printable characters without spaces (e.g. openssl rand -hex 24)');
  return raw;
}

/** KEY_FAILURE_LIMIT and KEY_FAILURE_WINDOW_SECONDS. */
export const keyFailureLimits = (env: EnvReaders): KeyFailureLimits => ({
  limit: env.int('KEY_FAILURE_LIMIT', 20, 0, 1_000_000),
  windowSeconds: env.int('KEY_FAILURE_WINDOW_SECONDS', 600, 1, 7 * 86400),
});
