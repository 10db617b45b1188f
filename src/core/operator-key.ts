// The operator's key for /metrics and the detailed /readyz (METRICS_KEY). Shared by the API and a
// worker-only process's metrics endpoint, so both accept the same carriers.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * Whether a request may see operator data. Without a configured key everything is open (the
 * behaviour before METRICS_KEY existed); with one, `Authorization: Bearer <key>` or `?key=<key>`
 * must carry it. Compared in constant time, so the key cannot be guessed byte by byte.
 */
export function operatorKeyAccepted(expected: string | undefined, authorization: string | undefined, queryKey: unknown): boolean {
  if (expected === undefined) return true;
  const bearer = authorization === undefined ? undefined : /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  const given = bearer ?? (typeof queryKey === 'string' ? queryKey : undefined);
  return given !== undefined && timingSafeEqual(digest(given), digest(expected));
}

/** The `key` query parameter of a raw request URL (for the plain node:http endpoint). */
export function queryKeyOf(url: string | undefined): string | undefined {
  const query = url?.split('?')[1];
  return query === undefined ? undefined : (new URLSearchParams(query).get('key') ?? undefined);
}
