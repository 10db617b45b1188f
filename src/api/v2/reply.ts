// How API v2 answers (wire spec 2.2, 2.7, 3.3): single objects as compact JSON that starts with
// exactly `{"data":` (the Java SDK cuts the first 8 bytes), lists with Laravel-style `links` and
// `meta`, errors as `{"message", "code", "errors"?}` (plus `error`, this server's usual field),
// and 204s without a JSON Content-Type (the Node SDK would parse the empty body).
import type { FastifyReply } from 'fastify';

/** `{"data":<object>}`, built by hand so `data` is the first key and nothing precedes it. */
export function sendData(reply: FastifyReply, status: number, data: unknown): FastifyReply {
  return reply.status(status).type('application/json').send(`{"data":${JSON.stringify(data)}}`);
}

export function sendNoContent(reply: FastifyReply): FastifyReply {
  reply.removeHeader('content-type');
  return reply.status(204).send();
}

export interface Page {
  readonly page: number;
  readonly perPage: number;
}

/** Empty values mean absent (the .NET SDK sends `?per_page=&page=`). */
export function pageOf(query: Readonly<Record<string, unknown>>): Page {
  const number = (value: unknown, fallback: number, max: number): number => {
    const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : typeof value === 'number' ? value : NaN;
    return Number.isInteger(n) && n >= 1 ? Math.min(n, max) : fallback;
  };
  return { page: number(query.page, 1, 1_000_000), perPage: number(query.per_page, 100, 1000) };
}

/** A list page in the envelope of Laravel's simple pagination (no total, `last` always null). */
export function sendList(reply: FastifyReply, items: readonly unknown[], page: Page, path: string, hasMore: boolean): FastifyReply {
  const link = (n: number): string => `${path}?page=${n}`;
  const from = items.length === 0 ? null : (page.page - 1) * page.perPage + 1;
  const body = {
    data: items,
    links: { first: link(1), last: null, prev: page.page > 1 ? link(page.page - 1) : null, next: hasMore ? link(page.page + 1) : null },
    meta: { current_page: page.page, from, path, per_page: page.perPage, to: from === null ? null : from + items.length - 1 },
  };
  return reply.status(200).type('application/json').send(JSON.stringify(body));
}

export interface V2ErrorBody {
  readonly message: string;
  readonly code: string;
  readonly errors?: Readonly<Record<string, readonly string[]>>;
  /** The same text under this server's usual field. */
  readonly error: string;
}

export function sendV2Error(reply: FastifyReply, status: number, code: string, message: string, errors?: Readonly<Record<string, readonly string[]>>): FastifyReply {
  const body: V2ErrorBody = { message, code, ...(errors === undefined ? {} : { errors }), error: message };
  return reply.status(status).type('application/json').send(JSON.stringify(body));
}

/** `http(s)://host[:port]` for the URLs this request's records carry. */
export function baseUrlOf(origin: { host: string; scheme: string }): string {
  return `${origin.scheme}://${origin.host}`;
}

/** `filter[name]` of the query, nested by qs or flat; empty means absent. */
export function filterOf(query: unknown, name: string): string | undefined {
  const q = (query ?? {}) as Record<string, unknown>;
  const nested = q['filter'];
  const value = typeof nested === 'object' && nested !== null ? (nested as Record<string, unknown>)[name] : q[`filter[${name}]`];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
