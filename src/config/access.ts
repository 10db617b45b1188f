// Parsers of the access settings whose values are more than a number or a word: which proxies'
// forwarded addresses to believe, and the operator key of /metrics. Declared in settings.ts.
import { isIP } from 'node:net';
import { fail } from './error.js';
import type { Pattern } from './kinds.js';

/** METRICS_KEY: long enough not to be guessed, sendable in a header and a query string. */
export const METRICS_KEY_PATTERN: Pattern = {
  test: /^[\x21-\x7e]{16,200}$/,
  rule: '16 to 200 printable characters without spaces (e.g. openssl rand -hex 24)',
};

/** TRUST_PROXY: true, false, or comma-separated proxy addresses / CIDRs (10.0.0.0/8, ::1). */
export function parseTrustProxy(name: string, raw: string | undefined): boolean | string {
  if (raw === undefined || /^(false|0|no|off)$/i.test(raw)) return false;
  if (/^(true|1|yes|on)$/i.test(raw)) return true;
  const entries = raw.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  for (const entry of entries) {
    if (!isProxyAddress(entry)) fail(name, `must be true, false or proxy addresses / CIDRs separated by commas (e.g. 10.0.0.0/8,::1), got "${entry}"`);
  }
  return entries.join(',');
}

/** An IPv4 or IPv6 address, optionally with a prefix length its family allows. */
function isProxyAddress(entry: string): boolean {
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  const maxBits = family === 6 ? 128 : 32;
  return family !== 0 && rest.length === 0 && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits));
}
