// The OpenAPI words of the API v2 routes, keyed by `METHOD /path` as the document shows it. Read
// by ../openapi.ts when it builds the document: the routes get no body or response schemas from
// here, which would re-validate or re-serialize the hand-built `{"data":...}` bodies (the Java SDK
// cuts exactly `{"data":` off the front).
import { v2Errors, type OperationDoc, type ResponseDoc } from '../openapi-components.js';

export const V2_TAG = 'API v2';
export const V2_SYNC_TAG = 'API v2 (sync)';

/** The tags' descriptions, for the OpenAPI document's top-level `tags`. */
export const V2_TAGS = [
  { name: V2_TAG, description: "CloudConvert's API v2: jobs of named tasks (import, convert and other operations, export), stand-alone tasks, the upload form and export downloads. Bodies are `{\"data\": ...}`; errors `{\"message\", \"code\", \"errors\"?}`. Real-time events (not an HTTP route): a socket.io server at `/socket.io/` on this port; `emit('subscribe', {channel, auth: {headers: {Authorization: 'Bearer <key>'}}})` with channel `private-job.{id}`, `private-job.{id}.tasks`, `private-task.{id}`, `private-user.{userId}.jobs` or `.tasks`; events `job.created|updated|finished|failed` and `task.created|updated|finished|failed` arrive as `(channel, {job} or {task})`." },
  {
    name: V2_SYNC_TAG,
    description: 'Every /v2 route also answers under /sync/v2; there GET /jobs/{id}, GET /tasks/{id} and POST /jobs block until the job or task has ended (listed here), the others answer as under /v2. The same blocking applies under /v2 to requests whose Host has a `sync` label (sync.api.example.com) and to those on the SYNC_PORT listener.',
  },
] as const;

const BASE = 'http://localhost:8080';
const JOB_ID = '6559c281-ed85-4728-80db-414561c631e9';
const TASK_ID = '7f110c42-3245-41cf-8555-37087c729ed2';
const at = '2026-12-05T06:00:00+00:00';
const task = (status: string, operation: string, name: string, result: unknown) => ({
  id: TASK_ID, ...(name === '' ? {} : { name }), job_id: JOB_ID, status, credits: status === 'finished' ? 1 : null, code: null, message: null, percent: status === 'finished' ? 100 : 0, operation, result,
  created_at: at, started_at: at, ended_at: status === 'finished' ? at : null, depends_on_task_ids: [], links: { self: `${BASE}/v2/tasks/${TASK_ID}` },
});
const FORM = { form: { url: `${BASE}/v2/upload/${TASK_ID}`, parameters: { expires: 1796500000, signature: 'a1b2c3d4e5' } } };
const EXPORTED = { files: [{ filename: 'dot.png', size: 95, url: `${BASE}/v2/files/${TASK_ID}/Zp4r8c/dot.png` }] };
const job = (status: string, tasks: unknown[]) => ({ id: JOB_ID, tag: 'docs', status, created_at: at, started_at: at, ended_at: status === 'finished' ? at : null, tasks, links: { self: `${BASE}/v2/jobs/${JOB_ID}` } });
const FINISHED_JOB = job('finished', [task('finished', 'export/url', 'export', EXPORTED)]);
const PAGE = (path: string) => ({ links: { first: `${BASE}${path}?page=1`, last: null, prev: null, next: null }, meta: { current_page: 1, from: 1, path: `${BASE}${path}`, per_page: 100, to: 1 } });
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>';
const CREATE_JOB = {
  tasks: {
    import: { operation: 'import/raw', file: SVG, filename: 'dot.svg' },
    convert: { operation: 'convert', input: 'import', output_format: 'png' },
    export: { operation: 'export/url', input: 'convert' },
  },
  tag: 'docs',
};

const jobAnswer = (status: number, example: unknown): Record<number, ResponseDoc> => ({ [status]: { description: 'The job with its tasks.', schema: 'V2Job', example: { data: example } } });
const taskAnswer = (status: number, example: unknown): Record<number, ResponseDoc> => ({ [status]: { description: 'The task.', schema: 'V2Task', example: { data: example } } });
const deleted: ResponseDoc = { description: 'Deleted; no body.' };
const json = ['application/json'] as const;
const keyErrors = v2Errors(401, 429, 503);
const withId = v2Errors(401, 404, 429, 503);
/** Creating work: a bad body (400, 422), no minutes left (402), a full queue (503). */
const createErrors = v2Errors(400, 401, 402, 422, 429, 503);
const JOB_SYNC = 'Blocks until every task has ended (status `finished` or `error`), then answers like the plain GET.';

/** A stand-alone task: `POST /v2/<operation>` (the route `POST /v2/*`). */
const standalone = (operation: string, operationId: string, example: Record<string, unknown>, result: unknown, status = 'waiting'): OperationDoc => ({
  operationId,
  summary: `Create a stand-alone ${operation} task`,
  description: `Every operation of GET /v2/operations is created this way, at POST /v2/<operation> (import/s3, watermark, metadata/write, ...). \`input\` names task ids. Answers 201.`,
  tag: V2_TAG,
  auth: 'bearer',
  body: { schema: 'V2TaskRequest', example, types: json, required: true },
  responses: { ...taskAnswer(201, { ...task(status, operation, '', result), job_id: null }), ...createErrors },
});

/** The operations the route `POST /v2/*` stands for in the document. */
export const V2_STANDALONE: Readonly<Record<string, OperationDoc>> = {
  'POST /v2/import/raw': standalone('import/raw', 'v2CreateImportRawTask', { file: SVG, filename: 'dot.svg' }, null, 'finished'),
  'POST /v2/import/url': standalone('import/url', 'v2CreateImportUrlTask', { url: 'https://example.com/dot.svg', filename: 'dot.svg' }, null),
  'POST /v2/import/upload': standalone('import/upload', 'v2CreateImportUploadTask', {}, FORM),
  'POST /v2/convert': standalone('convert', 'v2CreateConvertTask', { input: TASK_ID, output_format: 'png' }, null),
  'POST /v2/export/url': standalone('export/url', 'v2CreateExportUrlTask', { input: TASK_ID }, null),
};

export const V2_DOCS: Readonly<Record<string, OperationDoc>> = {
  'POST /v2/jobs': {
    operationId: 'v2CreateJob',
    summary: 'Create a job',
    description: 'Body `{tasks: {<name>: {operation, input?, ...}}, tag?, webhook_url?}`, at most 50 tasks; `input` names other tasks of the job. Answers 201 with the job and its tasks; an import/upload task carries `result.form`, the form to post the file to.',
    tag: V2_TAG,
    auth: 'bearer',
    body: { schema: 'V2CreateJobRequest', example: CREATE_JOB, types: json, required: true },
    responses: { ...jobAnswer(201, job('processing', [task('waiting', 'import/upload', 'import', FORM)])), ...createErrors },
  },
  'GET /v2/jobs': {
    operationId: 'v2ListJobs',
    summary: 'List your jobs',
    description: 'Query `filter[status]`, `filter[tag]`, `include=tasks`, `per_page` (100), `page`; empty values mean absent. Laravel-style `links` and `meta`.',
    tag: V2_TAG,
    auth: 'bearer',
    query: { 'filter[status]': { description: '`waiting`, `processing`, `finished` or `error`.', example: 'finished' }, include: { description: '`tasks` to list each job with its tasks.', example: 'tasks' } },
    responses: { 200: { description: 'A page of jobs.', schema: 'V2JobList', example: { data: [FINISHED_JOB], ...PAGE('/v2/jobs') } }, ...keyErrors },
  },
  'GET /v2/jobs/{id}': { operationId: 'v2GetJob', summary: 'Show a job with its tasks', description: 'Answers at once; blocks like under /sync/v2 when the Host has a `sync` label or the request came to SYNC_PORT.', tag: V2_TAG, auth: 'bearer', responses: { ...jobAnswer(200, FINISHED_JOB), ...withId } },
  'GET /v2/jobs/{id}/wait': { operationId: 'v2WaitJob', summary: 'Wait for a job (legacy SDKs)', description: JOB_SYNC, tag: V2_TAG, auth: 'bearer', responses: { ...jobAnswer(200, FINISHED_JOB), ...withId } },
  'DELETE /v2/jobs/{id}': { operationId: 'v2DeleteJob', summary: 'Delete a job', description: 'Cancels its running tasks and removes its files.', tag: V2_TAG, auth: 'bearer', responses: { 204: deleted, ...withId } },
  'GET /v2/tasks': {
    operationId: 'v2ListTasks',
    summary: 'List your tasks',
    description: 'Query `filter[job_id]`, `filter[status]`, `filter[operation]`, `include`, `per_page`, `page`.',
    tag: V2_TAG,
    auth: 'bearer',
    query: { 'filter[job_id]': { description: 'The tasks of this job.', example: JOB_ID } },
    responses: { 200: { description: 'A page of tasks.', schema: 'V2TaskList', example: { data: [task('finished', 'export/url', 'export', EXPORTED)], ...PAGE('/v2/tasks') } }, ...keyErrors },
  },
  'GET /v2/tasks/{id}': {
    operationId: 'v2GetTask',
    summary: 'Show a task',
    description: '`include` takes `retries`, `depends_on_tasks`, `payload`, `job` (comma-separated). Blocks like under /sync/v2 when the Host has a `sync` label or the request came to SYNC_PORT.',
    tag: V2_TAG,
    auth: 'bearer',
    responses: { ...taskAnswer(200, task('finished', 'export/url', 'export', EXPORTED)), ...withId },
  },
  'GET /v2/tasks/{id}/wait': { operationId: 'v2WaitTask', summary: 'Wait for a task (legacy SDKs)', description: 'Blocks until the task has ended.', tag: V2_TAG, auth: 'bearer', responses: { ...taskAnswer(200, task('finished', 'export/url', 'export', EXPORTED)), ...withId } },
  'POST /v2/tasks/{id}/cancel': { operationId: 'v2CancelTask', summary: 'Cancel a waiting or running task', description: 'Answers 200 with the task in status `error`, code `CANCELLED`.', tag: V2_TAG, auth: 'bearer', responses: { ...taskAnswer(200, { ...task('error', 'convert', 'convert', null), code: 'CANCELLED' }), ...withId, ...v2Errors(400) } },
  'POST /v2/tasks/{id}/retry': { operationId: 'v2RetryTask', summary: 'Retry a task', description: 'Answers 201 with a new task made from the payload of this one (a new upload form for import/upload).', tag: V2_TAG, auth: 'bearer', responses: { ...taskAnswer(201, task('waiting', 'convert', 'convert', null)), ...withId, ...v2Errors(400) } },
  'DELETE /v2/tasks/{id}': { operationId: 'v2DeleteTask', summary: 'Delete a task', tag: V2_TAG, auth: 'bearer', responses: { 204: deleted, ...withId } },
  'POST /v2/upload/{id}': {
    operationId: 'v2UploadFile',
    summary: 'Upload the file of an import/upload task',
    description: "The task's `result.form.url`: multipart/form-data with every `result.form.parameters` field first, then `file`. No API key: the `signature` parameter authorises it. Answers 201 (or 303 to the task's `redirect`).",
    tag: V2_TAG,
    auth: 'none',
    body: { schema: 'V2UploadForm', example: { expires: '1796500000', signature: 'a1b2c3d4e5', file: SVG }, types: ['multipart/form-data'], required: true },
    responses: { 201: { description: 'Uploaded.', contentType: 'text/plain', schema: 'Text', example: 'File uploaded.' }, 303: { description: "The task's `redirect`: at Location.", redirect: true }, ...v2Errors(400, 403, 404, 413, 503) },
  },
  'GET /v2/files/{id}/{token}/{filename}': { operationId: 'v2DownloadFile', summary: 'Download an exported file', description: 'A `result.files[].url` of an export/url task; no API key (the token is the capability).', tag: V2_TAG, auth: 'none', responses: { 200: { description: 'The file.', contentType: 'application/octet-stream', schema: 'RawFile', example: 'PNG...' }, ...v2Errors(404, 503) } },
  'GET /v2/signed-urls/{id}': {
    operationId: 'v2RunSignedUrl',
    summary: 'Run a signed job and redirect to its file',
    description: "A base the operator configured in SIGNED_URLS, signed by the SDKs' `signedUrls.sign(base, secret, job, cache_key)`: query `job` (base64url of the job's JSON), `cache_key`, then `s` (hex HMAC-SHA256 of the URL before `&s=`). Runs the job as the base's API key, waits for it (SIGNED_URL_TIMEOUT_SECONDS) and answers 302 to its first export/url file. The same `cache_key` reuses the result.",
    tag: V2_TAG,
    auth: 'none',
    query: { job: { description: "base64url of the job's JSON.", example: 'eyJ0YXNrcyI6e319' }, s: { description: 'The signature.', example: '0f1e2d3c' } },
    responses: { 302: { description: 'The first exported file is at Location.', redirect: true }, ...v2Errors(403, 422, 503, 504) },
  },
  'GET /v2/operations': {
    operationId: 'v2ListOperations',
    summary: 'List the operations, formats and engines',
    description: 'Query `filter[operation|input_format|output_format|engine]`, `include=options,engine_versions`. No API key.',
    tag: V2_TAG,
    auth: 'none',
    query: { 'filter[operation]': { description: 'Only this operation.', example: 'convert' } },
    responses: { 200: { description: 'The operations.', schema: 'V2OperationList', example: { data: [{ operation: 'convert', input_format: 'svg', output_format: 'png', engine: 'sharp', deprecated: false, experimental: false, meta: {} }], ...PAGE('/v2/operations') } } },
  },
  'GET /v2/convert/formats': {
    operationId: 'v2ListConvertFormats',
    summary: "List the convert operation's format pairs",
    description: 'The convert-only view of GET /v2/operations. No API key.',
    tag: V2_TAG,
    auth: 'none',
    responses: { 200: { description: 'The format pairs.', schema: 'V2OperationList', example: { data: [{ operation: 'convert', input_format: 'svg', output_format: 'png', engine: 'sharp', deprecated: false, experimental: false, meta: {} }], ...PAGE('/v2/convert/formats') } } },
  },
  'GET /v2/users/me': { operationId: 'v2GetMe', summary: 'Your account', description: "An integer `id`, `username`, `email` and `credits` (the key's minutes left).", tag: V2_TAG, auth: 'bearer', responses: { 200: { description: 'The account.', schema: 'V2User', example: { data: { id: 1, username: 'default', email: null, created_at: at, credits: 1000 } } }, ...keyErrors } },
  'POST /v2/webhooks': {
    operationId: 'v2CreateWebhook',
    summary: 'Create a webhook',
    description: 'Events of `job.created`, `job.finished`, `job.failed`. Answers 201 with the webhook and its `signing_secret`: every delivery carries `CloudConvert-Signature`, the hex HMAC-SHA256 of the raw body with that secret.',
    tag: V2_TAG,
    auth: 'bearer',
    body: { schema: 'V2WebhookRequest', example: { url: 'https://example.com/hooks/cloudconvert', events: ['job.finished', 'job.failed'] }, types: json, required: true },
    responses: { 201: { description: 'The webhook.', schema: 'V2Webhook', example: { data: { id: 'wh-1', url: 'https://example.com/hooks/cloudconvert', events: ['job.finished', 'job.failed'], signing_secret: 's3cr3t', disabled: false, failing: false, created_at: at, updated_at: at, links: { self: `${BASE}/v2/webhooks/wh-1` } } } }, ...v2Errors(400, 401, 422, 429, 503) },
  },
  'GET /v2/users/me/webhooks': { operationId: 'v2ListWebhooks', summary: 'List your webhooks', description: 'Query `filter[url]`, `per_page`, `page`.', tag: V2_TAG, auth: 'bearer', responses: { 200: { description: 'A page of webhooks.', schema: 'V2WebhookList', example: { data: [], ...PAGE('/v2/users/me/webhooks') } }, ...keyErrors } },
  'DELETE /v2/webhooks/{id}': { operationId: 'v2DeleteWebhook', summary: 'Delete a webhook', tag: V2_TAG, auth: 'bearer', responses: { 204: deleted, ...withId } },
  'POST /sync/v2/jobs': {
    operationId: 'v2SyncCreateJob',
    summary: 'Create a job and wait for it',
    description: `${JOB_SYNC} With \`redirect: true\`, answers 302 to the first file of its export/url tasks.`,
    tag: V2_SYNC_TAG,
    auth: 'bearer',
    body: { schema: 'V2CreateJobRequest', example: CREATE_JOB, types: json, required: true },
    responses: { ...jobAnswer(200, FINISHED_JOB), 302: { description: '`redirect: true`: the first exported file is at Location.', redirect: true }, ...createErrors },
  },
  'GET /sync/v2/jobs/{id}': { operationId: 'v2SyncGetJob', summary: 'Wait for a job', description: JOB_SYNC, tag: V2_SYNC_TAG, auth: 'bearer', responses: { ...jobAnswer(200, FINISHED_JOB), ...withId } },
  'GET /sync/v2/tasks/{id}': { operationId: 'v2SyncGetTask', summary: 'Wait for a task', description: 'Blocks until the task has ended, then answers like the plain GET.', tag: V2_SYNC_TAG, auth: 'bearer', responses: { ...taskAnswer(200, task('finished', 'export/url', 'export', EXPORTED)), ...withId } },
};

/** The routes under /sync/v2 that block there: the document lists them; the other /sync/v2 routes answer as under /v2. */
export const V2_SYNC_ROUTES: ReadonlySet<string> = new Set(['POST /sync/v2/jobs', 'GET /sync/v2/jobs/:id', 'GET /sync/v2/tasks/:id']);
