// API v2 account webhooks (wire spec 11.4): create (201, the signing secret included), list the
// caller's (filter[url], pages), delete (204). Another key's webhook is a 404, never a 403, so ids
// cannot be probed. Deliveries are not made here: see src/core/v2/webhook-announcer.ts.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { JOB_EVENTS } from '../../core/v2/job-events.js';
import { InvalidDataError } from '../../core/v2/operations/types.js';
import { checkWebhookRequest, type WebhookWithSecret } from '../../core/v2/webhooks.js';
import { isoTime } from '../../core/v2/wire.js';
import { authenticate } from '../caller.js';
import { originOf, type ApiDeps } from '../context.js';
import { baseUrlOf, pageOf, sendData, sendList, sendNoContent, sendV2Error } from './reply.js';

const Any = Type.Optional(Type.Unknown());

const WebhookBody = Type.Object(
  { url: Any, events: Any },
  { additionalProperties: true, description: '`{"url": "https://...", "events": ["job.created", "job.finished", "job.failed"]}`; a bad field is a 422 naming it.' },
);
const ListQuery = Type.Object({ 'filter[url]': Any, filter: Any, per_page: Any, page: Any }, { additionalProperties: true });
const WebhookParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

const WebhookObject = Type.Object({
  id: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.Union(JOB_EVENTS.map((e) => Type.Literal(e)))),
  signing_secret: Type.String(),
  disabled: Type.Boolean(),
  failing: Type.Boolean(),
  created_at: Type.String(),
  updated_at: Type.String(),
  links: Type.Object({ self: Type.String() }),
});
const V2Error = Type.Object({ message: Type.String(), code: Type.String(), errors: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))) }, { additionalProperties: true });
const Page = Type.Object({ data: Type.Array(WebhookObject), links: Type.Unknown(), meta: Type.Unknown() });
const errors = { 401: V2Error, 404: V2Error, 422: V2Error, 429: V2Error, 503: V2Error };

/** The webhook as the Java SDK's WebhookResponse reads it; the secret is shown to its own key only. */
export function webhookObject({ webhook, signingSecret }: WebhookWithSecret, base: string): Record<string, unknown> {
  return {
    id: webhook.id,
    url: webhook.url,
    events: webhook.events,
    signing_secret: signingSecret,
    disabled: webhook.disabled,
    failing: webhook.failing,
    created_at: isoTime(webhook.createdAt),
    updated_at: isoTime(webhook.updatedAt),
    links: { self: `${base}/v2/webhooks/${webhook.id}` },
  };
}

/** `filter[url]` whether the query parser nested it (`filter: {url}`) or kept the flat key; empty means absent. */
function urlFilter(query: Readonly<Record<string, unknown>>): string | undefined {
  const nested = typeof query.filter === 'object' && query.filter !== null ? (query.filter as Record<string, unknown>).url : undefined;
  const value = nested ?? query['filter[url]'];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Answers a field check that failed as 422 INVALID_DATA with its `errors`, whichever error handler the scope has. */
async function orInvalid(reply: FastifyReply, work: () => Promise<FastifyReply>): Promise<FastifyReply> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InvalidDataError) return sendV2Error(reply, 422, 'INVALID_DATA', error.message, error.errors);
    throw error;
  }
}

const baseOf = (request: FastifyRequest, deps: ApiDeps): string => baseUrlOf(originOf(request, deps.config));

export function webhookRoutes(app: FastifyInstance, deps: ApiDeps): void {
  // No body at all is an empty object, so it gets the 422 naming url and events, not a schema 400.
  const bodyOrEmpty = async (request: FastifyRequest): Promise<void> => void (request.body ??= {});
  app.post('/webhooks', { preValidation: bodyOrEmpty, schema: { body: WebhookBody, response: { 201: Type.Object({ data: WebhookObject }), ...errors } } }, async (request, reply) => {
    const account = await authenticate(request, {}, deps);
    return orInvalid(reply, async () => {
      const created = await deps.webhooks.create(account.id, checkWebhookRequest(request.body, deps.config.input.allowPrivateUrls));
      return sendData(reply, 201, webhookObject(created, baseOf(request, deps)));
    });
  });

  app.get('/users/me/webhooks', { schema: { querystring: ListQuery, response: { 200: Page, ...errors } } }, async (request, reply) => {
    const account = await authenticate(request, {}, deps);
    const query = request.query as Record<string, unknown>;
    const page = pageOf(query);
    const url = urlFilter(query);
    const matching = (await deps.webhooks.list(account.id)).filter((w) => url === undefined || w.webhook.url === url);
    const start = (page.page - 1) * page.perPage;
    const base = baseOf(request, deps);
    return sendList(reply, matching.slice(start, start + page.perPage).map((w) => webhookObject(w, base)), page, `${base}/v2/users/me/webhooks`, matching.length > start + page.perPage);
  });

  app.delete<{ Params: { id: string } }>('/webhooks/:id', { schema: { params: WebhookParams, response: { 204: Type.Null(), ...errors } } }, async (request, reply) => {
    const account = await authenticate(request, {}, deps);
    const { id } = request.params;
    if (!(await deps.webhooks.delete(account.id, id))) return sendV2Error(reply, 404, 'NOT_FOUND', `No webhook ${id.slice(0, 40)} for this API key. GET /v2/users/me/webhooks lists this key's webhooks.`);
    return sendNoContent(reply);
  });
}
