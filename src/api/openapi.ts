// The OpenAPI 3.1 description of the API at /openapi.json, with a browsable page at /docs.
// @fastify/swagger collects the routes and their parameter schemas; the words, request bodies,
// security, examples and responses come from the tables in openapi-v1-docs.ts and
// v2/openapi-docs.ts, merged in when the document is built. That way describing a body never
// adds a Fastify body or response schema, which would start rejecting the shapes v1 clients send
// or strip fields from replies. Registered before the routes so it sees each of them.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { libraryPageCsp } from './library-page-csp.js';
import { AUTH, COMPONENT_SCHEMAS, PATH_PARAMETERS, SECURITY_SCHEMES, type OperationDoc, type ResponseDoc } from './openapi-components.js';
import { V1_DOCS, V1_TAGS } from './openapi-v1-docs.js';
import { V2_DOCS, V2_STANDALONE, V2_SYNC_ROUTES, V2_TAGS } from './v2/openapi-docs.js';

/** Every documented operation, keyed by `METHOD /path` as the document shows the path. */
export const OPERATION_DOCS: Readonly<Record<string, OperationDoc>> = { ...V1_DOCS, ...V2_DOCS, ...V2_STANDALONE };

/**
 * The routes kept out of the document, each with its reason. Only this list hides a route: a
 * route file's own `hide: true` is overridden, so a new route shows up (without words, which the
 * tests catch) instead of silently missing.
 */
export const HIDDEN_ROUTES: ReadonlyArray<{ readonly url: RegExp; readonly reason: string }> = [
  { url: /^\/v1\//, reason: 'the /v1 alias of a v1 route: described once, without the prefix' },
  { url: /^\/sync\/v2\//, reason: 'answers as under /v2 (the blocking /sync/v2 routes are listed)' },
  { url: /^\/docs(?:\/|$)/, reason: 'the docs page (swagger-ui) and its assets' },
  { url: /^\/openapi\.json$/, reason: 'this document' },
  { url: /^\*$/, reason: 'the CORS preflight (OPTIONS) of every path' },
  { url: /^\/$|^\/console\//, reason: 'the API console: an HTML page and its assets' },
  { url: /^\/admin\/queues(?:\/|$)/, reason: "the queue dashboard (bull-board): HTML and the dashboard's own API" },
];

/** Why a route is not in the document, or undefined when it is. */
export function hiddenBecause(route: Pick<RouteOptions, 'method' | 'url'>): string | undefined {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  if (methods.some((m) => V2_SYNC_ROUTES.has(`${m} ${route.url}`))) return undefined;
  return HIDDEN_ROUTES.find((h) => h.url.test(route.url))?.reason;
}

/** The Content-Security-Policy of /docs and its assets (swagger-ui sets inline styles, never inline scripts). */
export const DOCS_CSP = libraryPageCsp("'none'");

export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
}

const inventories = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/**
 * Every route registered after registerOpenApi, one entry per method (the HEAD routes Fastify
 * adds for GETs included): the tests check that each is documented or hidden with a reason.
 */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return inventories.get(app) ?? [];
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function responseOf(doc: ResponseDoc): Record<string, unknown> {
  const headers = doc.redirect === true ? { headers: { Location: { description: 'Where to go.', schema: { type: 'string' } } } } : {};
  if (doc.schema === undefined) return { description: doc.description, ...headers };
  return { description: doc.description, content: { [doc.contentType ?? 'application/json']: { schema: ref(doc.schema), ...(doc.example === undefined ? {} : { example: doc.example }) } } };
}

interface Parameter {
  readonly in: string;
  readonly name: string;
  readonly description?: string;
  readonly [other: string]: unknown;
}

/** Words for the query parameters the v1 route schemas share (ApiQuery). */
const QUERY_WORDS: Readonly<Record<string, string>> = {
  wait: '`true` (or a bare `?wait`): answer only when the process has ended.',
  download: '`true` or `inline`: redirect to the output file once it is ready.',
  inline: 'With a download: `Content-Disposition: inline`, to show the file in a browser.',
};

function described(path: string, parameter: Parameter): Parameter {
  const description = parameter.in === 'path' ? PATH_PARAMETERS.find((p) => p.name === parameter.name && p.path.test(path))?.description : parameter.in === 'query' ? QUERY_WORDS[parameter.name] : undefined;
  return description === undefined ? parameter : { ...parameter, description };
}

/** The generated operation (its path and query parameters) with the table's words. */
function operationOf(path: string, generated: { parameters?: Parameter[] }, doc: OperationDoc): Record<string, unknown> {
  // `apikey` is the security scheme of that name, not a parameter of its own.
  const parameters = (generated.parameters ?? []).filter((p) => !(p.in === 'query' && p.name === 'apikey')).map((p) => described(path, p));
  for (const [name, { description, example }] of Object.entries(doc.query ?? {})) {
    const at = parameters.findIndex((p) => p.in === 'query' && p.name === name);
    const words = { description, example };
    if (at === -1) parameters.push({ in: 'query', name, required: false, schema: { type: 'string' }, ...words });
    else parameters[at] = { ...parameters[at], ...words } as Parameter;
  }
  const body = doc.body;
  return {
    operationId: doc.operationId,
    summary: doc.summary,
    ...(doc.description === undefined ? {} : { description: doc.description }),
    tags: [doc.tag],
    security: AUTH[doc.auth],
    ...(parameters.length === 0 ? {} : { parameters }),
    ...(body === undefined ? {} : { requestBody: { required: body.required ?? true, content: Object.fromEntries(body.types.map((type) => [type, { schema: ref(body.schema), example: body.example }])) } }),
    responses: Object.fromEntries(Object.entries(doc.responses).map(([status, response]) => [status, responseOf(response)])),
  };
}

type Paths = Record<string, Record<string, { parameters?: Parameter[] }>>;

/** The generated paths with each operation's words; `POST /v2/{*}` becomes one path per stand-alone operation. */
function documentedPaths(generated: Paths): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, item] of Object.entries(generated)) {
    for (const [method, operation] of Object.entries(item)) {
      const key = `${method.toUpperCase()} ${path}`;
      if (key === 'POST /v2/{*}') {
        for (const [standalone, doc] of Object.entries(V2_STANDALONE)) (paths[standalone.slice('POST '.length)] ??= {}).post = operationOf(standalone.slice('POST '.length), {}, doc);
        continue;
      }
      const doc = OPERATION_DOCS[key];
      (paths[path] ??= {})[method] = doc === undefined ? operation : operationOf(path, operation, doc);
    }
  }
  return paths;
}

export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  const inventory: RegisteredRoute[] = [];
  inventories.set(app, inventory);
  app.addHook('onRoute', (route) => {
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) inventory.push({ method, url: route.url });
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'openconvert',
        description:
          'A self-hosted file conversion server that speaks the CloudConvert API v1 and v2.\n\n**API v1**: every v1 path also answers under `/v1` (`/v1/process` is `/process`). The process, upload and download URLs need no key (the URL is the capability); the other v1 routes take `Authorization: Bearer <key>` or an `apikey` parameter (query string or body). Errors: `{"error", "code", "hint"?}`.\n\n**API v2** (under `/v2`, blocking under `/sync/v2`): `Authorization: Bearer <key>`, except the upload form, export downloads, signed URLs and the operation lists. Errors: `{"message", "code", "errors"?}`.',
        version,
      },
      tags: [...V1_TAGS, ...V2_TAGS],
      components: { securitySchemes: SECURITY_SCHEMES },
    },
    transform: ({ schema, url, route }) => ({ schema: { ...schema, hide: hiddenBecause({ method: route.method, url }) !== undefined }, url }),
    transformObject: (documentObject) => {
      if (!('openapiObject' in documentObject)) return documentObject.swaggerObject;
      const document = documentObject.openapiObject;
      // A JSON copy: the route schemas behind the components stay untouched.
      const schemas = JSON.parse(JSON.stringify(COMPONENT_SCHEMAS)) as Record<string, unknown>;
      return { ...document, paths: documentedPaths(document.paths as Paths), components: { ...document.components, schemas: { ...document.components?.schemas, ...schemas } } };
    },
  });
  // The page shares its origin with the console, which keeps the key in session storage: its
  // own scripts only, calls ("Try it out", a spec typed into the top bar) only to this server,
  // never framed.
  await app.register(swaggerUi, { routePrefix: '/docs', theme: { title: 'openconvert API' }, uiConfig: { docExpansion: 'list', deepLinking: false }, staticCSP: DOCS_CSP });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
