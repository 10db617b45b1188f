// Who may use /admin: the operator with ADMIN_KEY. Scripts send `Authorization: Bearer <key>`
// (or `?key=`, as for /metrics). A browser opens `/admin/queues?key=<key>` once: it gets a
// session cookie (HttpOnly, SameSite=Strict, Path=/admin, 12 hours) and is redirected to the
// same page without the key, so the key leaves the address bar and the history, and the
// dashboard's own requests carry the cookie. SameSite=Strict keeps other sites' pages from
// making requests with it; the cookie holds an HMAC of its expiry under the key, not the key, so
// changing ADMIN_KEY ends every session. Everything is compared in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { operatorKeyAccepted } from '../../core/operator-key.js';
import { errorBody } from '../error-handler.js';

export const SESSION_COOKIE = 'openconvert_admin';
export const SESSION_SECONDS = 12 * 3600;

const signature = (key: string, expires: number): Buffer => createHmac('sha256', key).update(`openconvert admin session until ${expires}`).digest();

/** A cookie value good until `now + SESSION_SECONDS` (unix seconds). */
export function sessionValue(key: string, nowSeconds: number): string {
  const expires = nowSeconds + SESSION_SECONDS;
  return `${expires}.${signature(key, expires).toString('base64url')}`;
}

export function sessionAccepted(key: string, value: string | undefined, nowSeconds: number): boolean {
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
  if (match === null) return false;
  const expires = Number(match[1]);
  const given = Buffer.from(match[2] ?? '', 'base64url');
  return expires > nowSeconds && given.length === 32 && timingSafeEqual(given, signature(key, expires));
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

/** The request's URL without its `key` parameter. */
function withoutKey(url: string): string {
  const parsed = new URL(url, 'http://localhost');
  parsed.searchParams.delete('key');
  return `${parsed.pathname}${parsed.search}`;
}

const isBrowserPage = (request: FastifyRequest): boolean => request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');

/** An onRequest hook: lets the operator through, or answers 401 in the API's JSON shape. */
export function operatorGate(key: string): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined> {
  return async (request, reply) => {
    const now = Math.floor(Date.now() / 1000);
    if (operatorKeyAccepted(key, request.headers.authorization, undefined)) return undefined;
    if (sessionAccepted(key, cookie(request.headers.cookie, SESSION_COOKIE), now)) return undefined;
    if (operatorKeyAccepted(key, undefined, (request.query as Record<string, unknown> | undefined)?.['key'])) {
      const secure = request.protocol === 'https' ? '; Secure' : '';
      void reply.header('Set-Cookie', `${SESSION_COOKIE}=${sessionValue(key, now)}; Path=/admin; Max-Age=${SESSION_SECONDS}; HttpOnly; SameSite=Strict${secure}`);
      return isBrowserPage(request) ? reply.redirect(withoutKey(request.url), 303) : undefined;
    }
    void reply.header('WWW-Authenticate', 'Bearer realm="openconvert admin"');
    return reply.status(401).send(errorBody('The operator pages need ADMIN_KEY: open /admin/queues?key=<ADMIN_KEY> once in the browser, or send "Authorization: Bearer <ADMIN_KEY>".', 401));
  };
}
