// The OpenAPI words of the API v1 routes and the operator routes, keyed by `METHOD /path` (the
// v1 path without /v1: every one also answers under /v1). Read by openapi.ts when it builds the
// document; the routes themselves keep their loose schemas (v1 clients send any shape).
import { v1Errors, v1ProcessErrors, type OperationDoc, type ResponseDoc } from './openapi-components.js';

export const V1_TAG = 'API v1';
export const OPS_TAG = 'operations';

export const V1_TAGS = [
  {
    name: V1_TAG,
    description:
      "CloudConvert's API v1 (processes). Every path also answers under /v1 (`/v1/process` is `/process`). Parameters arrive as JSON, form fields (`converteroptions[quality]=75`), multipart fields or in the query string, mixed as clients like. Errors are `{\"error\", \"code\", \"hint\"?}`; a failed process answers with its status object under its code.",
  },
  { name: OPS_TAG, description: 'For operators: health, readiness, metrics, version and the fair queue (METRICS_KEY, ADMIN_KEY).' },
] as const;

const FORMS = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'] as const;
const HOST = 'localhost:8080';
const ID = '9f3a6c1e2b7d4a58';
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>';

const CREATED = { url: `//${HOST}/process/${ID}`, id: ID, host: HOST, expires: '2026-12-05 18:00:00', maxtime: 18000, maxsize: 1024, concurrent: 5, minutes: 1000 };
const STATUS_BASE = { id: ID, url: `//${HOST}/process/${ID}`, starttime: 1796479200, expire: 1796522400, minutes: 0 };
const WAITING = { ...STATUS_BASE, percent: 0, message: 'Waiting for upload', step: 'input', input: {}, output: {}, upload: { url: `//${HOST}/upload/~Xb2kQ9` } };
const FINISHED = {
  ...STATUS_BASE,
  percent: 100,
  message: 'Conversion finished!',
  step: 'finished',
  input: { type: 'raw', filename: 'dot.svg', name: 'dot', ext: 'svg' },
  output: { url: `//${HOST}/download/~Rt7pLw`, filename: 'dot.png', ext: 'png', size: 95 },
  converter: { mode: 'convert', format: 'png', type: 'sharp', options: {} },
  group: 'image',
  minutes: 1,
  endtime: 1796479201,
};

const created: ResponseDoc = { description: 'The process: its URL is where to start it, ask its status and delete it.', schema: 'ProcessCreated', example: CREATED };
const status = (example: unknown): ResponseDoc => ({ description: 'The status object of the process.', schema: 'ProcessStatus', example });
const message = (text: string): ResponseDoc => ({ description: 'Done.', schema: 'Message', example: { message: text } });
const file: ResponseDoc = { description: 'The file (Content-Disposition names it).', contentType: 'application/octet-stream', schema: 'RawFile', example: 'PNG...' };
const redirect = (description: string): ResponseDoc => ({ description, redirect: true });
const keyErrors = [401, 403, 429] as const;

const formatQuery = {
  inputformat: { description: 'The input format.', example: 'svg' },
  outputformat: { description: 'The output format.', example: 'png' },
};
const startQuery = {
  ...formatQuery,
  input: { description: 'How the file arrives: `raw` (the text in `file`), `base64`, `download` (a URL), `upload`...', example: 'raw' },
  file: { description: 'The file, its URL or its text, as `input` says.', example: SVG },
  filename: { description: 'The input file name.', example: 'dot.svg' },
};

export const V1_DOCS: Readonly<Record<string, OperationDoc>> = {
  'POST /process': {
    operationId: 'createProcess',
    summary: 'Create a process',
    description: 'The first of two steps: create, then start at the answered `url` (POST /process/{id}). Any start parameter may come along and is ignored here.',
    tag: V1_TAG,
    auth: 'v1Key',
    body: { schema: 'CreateProcessRequest', example: { inputformat: 'svg', outputformat: 'png' }, types: FORMS, required: false },
    responses: { 200: created, ...v1Errors(400, 402, ...keyErrors, 503) },
  },
  'GET /process': {
    operationId: 'createProcessByGet',
    summary: 'Create a process (legacy GET)',
    description: 'As POST /process, with the parameters in the query string (2013 clients).',
    tag: V1_TAG,
    auth: 'v1Key',
    query: formatQuery,
    responses: { 200: created, ...v1Errors(400, 402, ...keyErrors, 503) },
  },
  'POST /process/{id}': {
    operationId: 'startProcess',
    summary: 'Start a process',
    description:
      'The process URL is the capability: no key. With `input=upload` (or no input) the answer carries `upload.url`: PUT the file there. A multipart body may carry the file itself in the part `file`. `wait=true` answers when the process has ended; `download=true|inline` redirects (303) to the output file.',
    tag: V1_TAG,
    auth: 'none',
    body: { schema: 'StartProcessRequest', example: { input: 'upload', outputformat: 'png', save: true }, types: FORMS, required: false },
    responses: { 200: status(WAITING), 303: redirect('`download=true|inline`: the output file is at Location.'), ...v1ProcessErrors(400, 404, 413, 422, 503) },
  },
  'GET /process/{id}': {
    operationId: 'getProcessStatus',
    summary: 'The status of a process',
    description: '`?wait` (or `wait=true`) answers only when the process has ended. A failed process answers with its status object under its code (400 or 422).',
    tag: V1_TAG,
    auth: 'none',
    responses: { 200: status(FINISHED), ...v1ProcessErrors(400, 404, 422, 503) },
  },
  'DELETE /process/{id}': { operationId: 'deleteProcess', summary: 'Delete a process', description: 'Cancels it first when it runs, then removes its files.', tag: V1_TAG, auth: 'none', responses: { 200: message('Process was deleted'), ...v1Errors(400, 404, 503) } },
  'GET /process/{id}/delete': { operationId: 'deleteProcessByGet', summary: 'Delete a process (legacy GET)', tag: V1_TAG, auth: 'none', responses: { 200: message('Process was deleted'), ...v1Errors(400, 404, 503) } },
  'GET /process/{id}/cancel': { operationId: 'cancelProcess', summary: 'Cancel a process', description: 'Stops it without deleting it.', tag: V1_TAG, auth: 'none', responses: { 200: message('Process was cancelled'), ...v1Errors(400, 404, 503) } },
  'POST /convert': {
    operationId: 'convert',
    summary: 'Create and start a process in one call',
    description: 'All the parameters of create and start together. Without `wait` or `download` it answers when the process has started; the file may come as a multipart part `file`.',
    tag: V1_TAG,
    auth: 'v1Key',
    body: { schema: 'ConvertRequest', example: { inputformat: 'svg', outputformat: 'png', input: 'raw', file: SVG, filename: 'dot.svg', wait: true }, types: FORMS, required: true },
    responses: { 200: status(FINISHED), 303: redirect('`download=true|inline`: the output file is at Location.'), ...v1ProcessErrors(400, 402, 413, 422, 503), ...v1Errors(...keyErrors) },
  },
  'GET /convert': {
    operationId: 'convertByGet',
    summary: 'Create and start a process in one call (query string)',
    description: 'As POST /convert, with the parameters in the query string; `download=inline` makes it an image source.',
    tag: V1_TAG,
    auth: 'v1Key',
    query: startQuery,
    responses: { 200: status(FINISHED), 303: redirect('`download=true|inline`: the output file is at Location.'), ...v1ProcessErrors(400, 402, 422, 503), ...v1Errors(...keyErrors) },
  },
  'GET /processes': {
    operationId: 'listProcesses',
    summary: 'Your processes',
    tag: V1_TAG,
    auth: 'v1Key',
    responses: { 200: { description: 'The processes of the key.', schema: 'ProcessList', example: [{ id: ID, host: HOST, step: 'finished', starttime: '2026-12-05 06:00:00', endtime: '2026-12-05 06:00:01', url: `//${HOST}/process/${ID}` }] }, ...v1Errors(...keyErrors, 503) },
  },
  'POST /processes': { operationId: 'listProcessesByPost', summary: 'Your processes (POST, as one client sends it)', tag: V1_TAG, auth: 'v1Key', responses: { 200: { description: 'The processes of the key.', schema: 'ProcessList', example: [] }, ...v1Errors(...keyErrors, 503) } },
  'GET /user': {
    operationId: 'getUser',
    summary: 'Your account',
    description: 'Minutes left and limits of the key; `output` lists the storage drives this server can write to.',
    tag: V1_TAG,
    auth: 'v1Key',
    responses: { 200: { description: 'The account.', schema: 'User', example: { user: 'default', minutes: 1000, output: ['s3', 'ftp'], maxtime: 18000, maxsize: 1024, concurrent: 5 } }, ...v1Errors(...keyErrors, 503) },
  },
  'GET /conversiontypes': {
    operationId: 'listConversionTypes',
    summary: 'The conversions this server can do',
    description: 'Filter by `inputformat` and `outputformat`; an unknown format gives an empty list.',
    tag: V1_TAG,
    auth: 'none',
    query: { inputformat: formatQuery.inputformat },
    responses: {
      200: { description: 'The format pairs with their default options.', schema: 'ConversionTypes', example: [{ inputformat: 'svg', outputformat: 'png', converter: 'sharp', converteroptions: { quality: null }, group: 'image', note: '' }] },
      ...v1Errors(400),
    },
  },
  'GET /conversiontypes/options': {
    operationId: 'getConversionOptions',
    summary: "A conversion's options with their types and valid values",
    tag: V1_TAG,
    auth: 'none',
    query: { ...formatQuery, mode: { description: '`convert` (default) or another mode.', example: 'convert' } },
    responses: {
      200: { description: 'The options.', schema: 'ConversionOptions', example: { mode: 'convert', inputformat: 'svg', outputformat: 'png', converter: 'sharp', modes: ['convert', 'info'], options: [{ name: 'quality', type: 'integer', default: null, description: 'Quality 1-100.', valid: 'an integer from 1 to 100', min: 1, max: 100 }] } },
      ...v1Errors(400),
    },
  },
  'POST /presets': {
    operationId: 'createPreset',
    summary: 'Save a preset',
    description: 'A named set of converteroptions, used by `preset=<id>` at the start.',
    tag: V1_TAG,
    auth: 'v1Key',
    body: { schema: 'PresetRequest', example: { name: 'small png', converteroptions: { quality: 60 }, inputformat: 'svg', outputformat: 'png' }, types: FORMS, required: true },
    responses: { 200: { description: 'The preset.', schema: 'Preset', example: { id: 'p-4f2a', name: 'small png', converteroptions: { quality: 60 }, inputformat: 'svg', outputformat: 'png', shared: false } }, ...v1Errors(400, ...keyErrors, 503) },
  },
  'GET /presets': { operationId: 'listPresets', summary: 'Your presets', tag: V1_TAG, auth: 'v1Key', responses: { 200: { description: 'The presets of the key.', schema: 'PresetList', example: [] }, ...v1Errors(...keyErrors, 503) } },
  'GET /presets/{id}': {
    operationId: 'getPreset',
    summary: 'One preset',
    tag: V1_TAG,
    auth: 'v1Key',
    responses: { 200: { description: 'The preset.', schema: 'Preset', example: { id: 'p-4f2a', name: 'small png', converteroptions: { quality: 60 }, inputformat: 'svg', outputformat: 'png', shared: false } }, ...v1Errors(400, ...keyErrors, 404, 503) },
  },
  'DELETE /presets/{id}': { operationId: 'deletePreset', summary: 'Delete a preset', tag: V1_TAG, auth: 'v1Key', responses: { 200: message('Preset was deleted'), ...v1Errors(400, ...keyErrors, 404, 503) } },
  'PUT /upload/{token}/{file}': {
    operationId: 'uploadFile',
    summary: 'Upload the input file',
    description: 'PUT the raw bytes to `upload.url` + `/` + the file name. The conversion starts when the upload ends. No key: the URL is the capability.',
    tag: V1_TAG,
    auth: 'none',
    body: { schema: 'RawFile', example: SVG, types: ['application/octet-stream'], required: true },
    responses: { 200: { description: 'Saved.', schema: 'Uploaded', example: { file: 'dot.svg', size: 62, message: 'File saved.' } }, ...v1Errors(400, 404, 413, 503) },
  },
  'PUT /upload/{token}': { operationId: 'uploadFileWithoutName', summary: 'Upload without a file name (always 400)', description: 'The file name must follow the upload URL: PUT <upload.url>/<filename>.', tag: V1_TAG, auth: 'none', responses: v1Errors(400) },
  'POST /upload/{token}': {
    operationId: 'uploadFileForm',
    summary: 'Upload the input file as a form',
    description: 'multipart/form-data with the file in the part `file` (a browser form posts here).',
    tag: V1_TAG,
    auth: 'none',
    body: { schema: 'FileUpload', example: { file: SVG }, types: ['multipart/form-data'], required: true },
    responses: { 200: { description: 'Saved.', schema: 'Uploaded', example: { file: 'dot.svg', size: 62, message: 'File saved.' } }, ...v1Errors(400, 404, 413, 503) },
  },
  'GET /download/{token}': {
    operationId: 'downloadOutput',
    summary: 'Download the output',
    description: '`output.url`: the file, or a ZIP of all files when there are several. Waits for the output while the process runs. `?inline` for Content-Disposition inline. Without `save`, the file is deleted after the first download.',
    tag: V1_TAG,
    auth: 'none',
    responses: { 200: file, 302: redirect('The output is in remote storage: it is at Location.'), ...v1ProcessErrors(400, 404, 422, 503) },
  },
  'GET /download/{token}/{file}': { operationId: 'downloadOutputFile', summary: 'Download one output file', description: '`output.url` + `/` + one of `output.files`.', tag: V1_TAG, auth: 'none', responses: { 200: file, 302: redirect('The output is in remote storage: it is at Location.'), ...v1ProcessErrors(400, 404, 422, 503) } },
  'GET /healthz': { operationId: 'getHealth', summary: 'Liveness: the process is up', tag: OPS_TAG, auth: 'none', responses: { 200: { description: 'Up.', schema: 'Health', example: { status: 'ok' } } } },
  'GET /readyz': {
    operationId: 'getReadiness',
    summary: 'Readiness: Redis, the file store and a live worker for every engine',
    description: 'The details (`checks`) need METRICS_KEY when it is set; the status code is for everyone.',
    tag: OPS_TAG,
    auth: 'operatorOptional',
    responses: { 200: { description: 'Ready.', schema: 'Readiness', example: { ready: true } }, 503: { description: 'Not ready.', schema: 'Readiness', example: { ready: false } } },
  },
  'GET /metrics': {
    operationId: 'getMetrics',
    summary: 'Prometheus metrics of this process',
    tag: OPS_TAG,
    auth: 'operatorOptional',
    responses: {
      200: { description: 'The metrics in the Prometheus text format.', contentType: 'text/plain', schema: 'Text', example: '# HELP openconvert_http_requests_total ...\n' },
      ...v1Errors(401),
      404: { description: 'Metrics are not enabled.', contentType: 'text/plain', schema: 'Text', example: 'metrics are not enabled\n' },
    },
  },
  'GET /version': { operationId: 'getVersion', summary: 'The version of this server', tag: OPS_TAG, auth: 'none', responses: { 200: { description: 'What runs here.', schema: 'Version', example: { name: 'openconvert', version: '1.0.0', node: 'v20.20.0' } } } },
  'GET /admin/pending': {
    operationId: 'getPendingProcesses',
    summary: 'The fair queue per API key: processes holding a slot, and waiting for one',
    description: 'Only when ADMIN_KEY is set (else 404).',
    tag: OPS_TAG,
    auth: 'operator',
    responses: { 200: { description: 'The lists.', schema: 'Pending', example: { pending: 0, running: 1, keys: [] } }, ...v1Errors(401, 503) },
  },
};
