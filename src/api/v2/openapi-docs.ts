// The OpenAPI words for the API v2 routes: a summary, a description and a tag per route, added
// by an onRoute hook so the route files stay as they are. Only documentation keys are added:
// no body or response schemas, which would re-validate or re-serialize the hand-built
// `{"data":...}` bodies (the Java SDK cuts exactly `{"data":` off the front).
import type { FastifyInstance, RouteOptions } from 'fastify';

export const V2_TAG = 'API v2';
export const V2_SYNC_TAG = 'API v2 (sync)';

/** The tags' descriptions, for the OpenAPI document's top-level `tags`. */
export const V2_TAGS = [
  { name: V2_TAG, description: "CloudConvert's API v2: jobs of named tasks (import, convert and other operations, export), stand-alone tasks, the upload form and export downloads. Bodies are `{\"data\": ...}`; errors `{\"message\", \"code\", \"errors\"?}`. Real-time events (not an HTTP route): a socket.io server at `/socket.io/` on this port; `emit('subscribe', {channel, auth: {headers: {Authorization: 'Bearer <key>'}}})` with channel `private-job.{id}`, `private-job.{id}.tasks`, `private-task.{id}`, `private-user.{userId}.jobs` or `.tasks`; events `job.created|updated|finished|failed` and `task.created|updated|finished|failed` arrive as `(channel, {job} or {task})`." },
  {
    name: V2_SYNC_TAG,
    description: 'The same routes under /sync/v2, where GET /jobs/{id}, GET /tasks/{id} and POST /jobs block until the job or task has ended. The same blocking applies under /v2 to requests whose Host has a `sync` label (sync.api.example.com) and to those on the SYNC_PORT listener.',
  },
] as const;

interface RouteDoc {
  readonly summary: string;
  readonly description?: string;
  /** Another summary under /sync/v2, where the route blocks. */
  readonly sync?: { readonly summary: string; readonly description: string };
  /** Reached by URL without an API key (the URL or the form's signature authorises it). */
  readonly open?: boolean;
}

const JOB_SYNC = 'Blocks until every task has ended (status `finished` or `error`), then answers like the plain GET.';

/** Keyed by `METHOD path`, the path without its /v2 or /sync/v2 prefix. */
const DOCS: Readonly<Record<string, RouteDoc>> = {
  'POST /jobs': {
    summary: 'Create a job',
    description: 'Body `{tasks: {<name>: {operation, input?, ...}}, tag?, webhook_url?}`, at most 50 tasks; `input` names other tasks of the job. Answers 201 with the job and its tasks; an import/upload task carries `result.form`, the form to post the file to.',
    sync: { summary: 'Create a job and wait for it', description: `${JOB_SYNC} With \`redirect: true\`, answers 302 to the first file of its export/url tasks.` },
  },
  'GET /jobs': { summary: 'List your jobs', description: 'Query `filter[status]`, `filter[tag]`, `include=tasks`, `per_page` (100), `page`; empty values mean absent. Laravel-style `links` and `meta`.' },
  'GET /jobs/:id': { summary: 'Show a job with its tasks', description: `Answers at once; blocks like under /sync/v2 when the Host has a \`sync\` label or the request came to SYNC_PORT.`, sync: { summary: 'Wait for a job', description: JOB_SYNC } },
  'GET /jobs/:id/wait': { summary: 'Wait for a job (legacy SDKs)', description: JOB_SYNC },
  'DELETE /jobs/:id': { summary: 'Delete a job', description: 'Cancels its running tasks and removes its files. Answers 204.' },
  'GET /tasks': { summary: 'List your tasks', description: 'Query `filter[job_id]`, `filter[status]`, `filter[operation]`, `include`, `per_page`, `page`.' },
  'GET /tasks/:id': {
    summary: 'Show a task',
    description: '`include` takes `retries`, `depends_on_tasks`, `payload`, `job` (comma-separated). Blocks like under /sync/v2 when the Host has a `sync` label or the request came to SYNC_PORT.',
    sync: { summary: 'Wait for a task', description: 'Blocks until the task has ended, then answers like the plain GET.' },
  },
  'GET /tasks/:id/wait': { summary: 'Wait for a task (legacy SDKs)', description: 'Blocks until the task has ended.' },
  'POST /tasks/:id/cancel': { summary: 'Cancel a waiting or running task', description: 'Answers 200 with the task in status `error`, code `CANCELLED`.' },
  'POST /tasks/:id/retry': { summary: 'Retry a task', description: 'Answers 201 with a new task made from the payload of this one (a new upload form for import/upload).' },
  'DELETE /tasks/:id': { summary: 'Delete a task', description: 'Answers 204.' },
  'POST /*': {
    summary: 'Create a stand-alone task: POST /v2/{operation}',
    description: 'The operation is the rest of the path: /v2/import/url, /v2/import/upload, /v2/convert, /v2/watermark, /v2/metadata/write, /v2/export/url... (GET /v2/operations lists them). Body: the operation\'s fields; `input` (and watermark\'s `image`) names task ids. Answers 201.',
  },
  'POST /upload/:id': {
    summary: 'Upload the file of an import/upload task',
    description: 'The `result.form.url` of the task: multipart/form-data with every `result.form.parameters` field first, then `file`. No API key: the `signature` parameter authorises it. Answers 201 (or 303 to the task\'s `redirect`).',
    open: true,
  },
  'GET /files/:id/:token/:filename': { summary: 'Download an exported file', description: 'A `result.files[].url` of an export/url task; no API key (the token is the capability).', open: true },
  'GET /signed-urls/:id': {
    summary: 'Run a signed job and redirect to its file',
    description: 'A base the operator configured in SIGNED_URLS, signed by the SDKs\' `signedUrls.sign(base, secret, job, cache_key)`: query `job` (base64url of the job\'s JSON), `cache_key`, then `s` (hex HMAC-SHA256 of the URL before `&s=`). Runs the job as the base\'s API key, waits for it (SIGNED_URL_TIMEOUT_SECONDS) and answers 302 to its first export/url file. The same `cache_key` reuses the result. 403 for a wrong signature, unknown base or undecodable job; 422 when the job fails; 504 when it takes too long.',
    open: true,
  },
  'GET /operations': { summary: 'List the operations, formats and engines', description: 'Query `filter[operation|input_format|output_format|engine]`, `include=options,engine_versions`. No API key.', open: true },
  'GET /convert/formats': { summary: 'List the convert operation\'s format pairs', description: 'The convert-only view of GET /v2/operations. No API key.', open: true },
  'POST /webhooks': { summary: 'Create a webhook', description: 'Body `{url, events}` with events of `job.created`, `job.finished`, `job.failed`. Answers 201 with the webhook and its `signing_secret`: every delivery carries `CloudConvert-Signature`, the hex HMAC-SHA256 of the raw body with that secret.' },
  'GET /users/me/webhooks': { summary: 'List your webhooks', description: 'Query `filter[url]`, `per_page`, `page`.' },
  'DELETE /webhooks/:id': { summary: 'Delete a webhook', description: 'Answers 204.' },
  'GET /users/me': { summary: 'Your account', description: 'An integer `id`, `username`, `email` and `credits` (the key\'s minutes left).' },
};

const PREFIX = /^\/(?:sync\/)?v2(?=\/)/;

function documented(route: RouteOptions): RouteOptions['schema'] {
  const sync = route.url.startsWith('/sync/');
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  // A HEAD route Fastify adds for a GET shares the GET's words.
  const method = methods.find((m) => m !== 'HEAD') ?? 'GET';
  const doc = DOCS[`${method} ${route.url.replace(PREFIX, '')}`];
  const words = doc === undefined ? {} : sync && doc.sync !== undefined ? doc.sync : { summary: doc.summary, ...(doc.description === undefined ? {} : { description: doc.description }) };
  const security = doc?.open === true ? [] : [{ apiKey: [] }];
  // A fresh object: some route files share one schema object between routes.
  return { ...route.schema, tags: [sync ? V2_SYNC_TAG : V2_TAG], security, ...words };
}

/** Registers the hook; call it in the scope that registers the v2 routes, before them. */
export function documentV2Routes(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (PREFIX.test(route.url)) route.schema = documented(route);
  });
}
