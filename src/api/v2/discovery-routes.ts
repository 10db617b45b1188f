// API v2 discovery: GET /v2/operations and GET /v2/convert/formats (no key, served from the
// catalog in memory, so they answer during a Redis outage too) and GET /v2/users/me.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { includesOf, listConvertFormats, listOperations, OPTION_TYPES, type DiscoveryFilter } from '../../core/v2/discovery.js';
import { userObject } from '../../core/v2/user-object.js';
import { authenticate } from '../caller.js';
import { originOf, type ApiDeps } from '../context.js';
import { baseUrlOf, sendData, sendList } from './reply.js';

const FILTERS = ['operation', 'input_format', 'output_format', 'engine', 'engine_version'] as const;

/** Open: clients send `filter[...]`, `include`, `alternatives`, `per_page`, `page` (often empty). */
const DiscoveryQuery = Type.Object({ filter: Type.Optional(Type.Unknown()), include: Type.Optional(Type.Unknown()) }, { additionalProperties: true });

const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);
const OperationItem = Type.Object({
  operation: Type.String(),
  input_format: Type.String(),
  output_format: Type.String(),
  engine: Type.String(),
  deprecated: Type.Boolean(),
  experimental: Type.Boolean(),
  meta: Type.Record(Type.String(), Type.String()),
  options: Type.Optional(Type.Array(Type.Object({ name: Type.String(), type: Type.Union(OPTION_TYPES.map((t) => Type.Literal(t))), default: Scalar, possible_values: Type.Optional(Type.Array(Type.String())), description: Type.Optional(Type.String()) }))),
  engine_versions: Type.Optional(Type.Array(Type.Object({ version: Type.String(), default: Type.Boolean(), latest: Type.Boolean(), deprecated: Type.Boolean(), experimental: Type.Boolean() }))),
});
const OperationList = Type.Object({ data: Type.Array(OperationItem), links: Type.Record(Type.String(), Type.Unknown()), meta: Type.Record(Type.String(), Type.Unknown()) });
const User = Type.Object({ data: Type.Object({ id: Type.Integer(), username: Type.String(), email: Type.Union([Type.String(), Type.Null()]), created_at: Type.String(), credits: Type.Integer() }, { additionalProperties: true }) });

/**
 * The filters, from `filter[x]` as qs nests it (`{filter: {x}}`) or as a flat key; empty values
 * mean absent (the .NET SDK sends `?filter[operation]=&include=`).
 */
function filterOf(query: Readonly<Record<string, unknown>>): DiscoveryFilter {
  const nested = typeof query['filter'] === 'object' && query['filter'] !== null ? (query['filter'] as Readonly<Record<string, unknown>>) : {};
  const filter: Record<string, string> = {};
  for (const name of FILTERS) {
    const value = nested[name] ?? query[`filter[${name}]`];
    if (typeof value === 'string' && value.trim() !== '') filter[name] = value;
  }
  return filter;
}

/** Every item on one page: clients read these lists without paging. */
function sendItems(request: FastifyRequest, reply: FastifyReply, deps: ApiDeps, list: typeof listOperations): FastifyReply {
  const query = request.query as Readonly<Record<string, unknown>>;
  const items = list(filterOf(query), includesOf(query['include']), { commandEnabled: deps.config.v2.commandEnabled });
  const path = `${baseUrlOf(originOf(request, deps.config))}${request.routeOptions.url ?? ''}`;
  return sendList(reply, items, { page: 1, perPage: Math.max(1, items.length) }, path, false);
}

export function discoveryRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const catalog = { config: { needsRedis: false }, schema: { querystring: DiscoveryQuery, response: { 200: OperationList } } };
  app.get('/operations', catalog, async (request, reply) => sendItems(request, reply, deps, listOperations));
  app.get('/convert/formats', catalog, async (request, reply) => sendItems(request, reply, deps, listConvertFormats));

  app.get('/users/me', { schema: { querystring: DiscoveryQuery, response: { 200: User } } }, async (request, reply) => {
    const account = await authenticate(request, {}, deps);
    return sendData(reply, 200, userObject(account, await deps.usage.minutesLeft(account), baseUrlOf(originOf(request, deps.config))));
  });
}
