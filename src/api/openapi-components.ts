// What the OpenAPI document says beyond the route schemas: the shape of an operation's words
// (OperationDoc), the shared component schemas (v1 and v2 bodies and errors) and the error
// responses with their examples. Documentation only: nothing here validates or serializes a
// request or reply, so describing a body never changes what the server accepts or sends.
import { Type, type TSchema } from '@sinclair/typebox';
import {
  ConversionOptionsResponse,
  ConversionTypesResponse,
  CreateResponse,
  ErrorBody,
  ListResponse,
  MessageBody,
  PresetListResponse,
  PresetResponse,
  StatusObject,
  UploadResponse,
  UserResponse,
} from './schemas.js';

/** Who may call an operation: the security requirement it gets in the document. */
export const AUTH = {
  /** v1 key routes: `Authorization: Bearer <key>`, or `apikey` in the query (or the body). */
  v1Key: [{ bearer: [] }, { apikey: [] }],
  /** API v2: `Authorization: Bearer <key>` only. */
  bearer: [{ bearer: [] }],
  /** Operator routes: the operator key (METRICS_KEY, ADMIN_KEY) as Bearer or `?key=`; open when it is not set. */
  operatorOptional: [{}, { bearer: [] }, { operatorKey: [] }],
  /** /admin: ADMIN_KEY as Bearer or `?key=`. */
  operator: [{ bearer: [] }, { operatorKey: [] }],
  /** Reached by URL: the id, token or signature in it is the capability. */
  none: [],
} as const;
export type Auth = keyof typeof AUTH;

export const SECURITY_SCHEMES = {
  bearer: { type: 'http', scheme: 'bearer', description: 'An API key (API_KEYS or KEYS_FILE) as `Authorization: Bearer <key>`; on operator routes, METRICS_KEY or ADMIN_KEY.' },
  apikey: { type: 'apiKey', in: 'query', name: 'apikey', description: 'API v1 only: the API key as the `apikey` parameter, in the query string or as a body field (JSON, form or multipart).' },
  operatorKey: { type: 'apiKey', in: 'query', name: 'key', description: 'Operator routes only: METRICS_KEY (/metrics, /readyz details) or ADMIN_KEY (/admin) as `?key=`.' },
} as const;

export interface ResponseDoc {
  readonly description: string;
  /** The body's component schema; absent when there is no body (redirects, 204). */
  readonly schema?: SchemaName;
  readonly example?: unknown;
  /** Another content type than application/json (a file, text). */
  readonly contentType?: string;
  /** A redirect: the Location header says where. */
  readonly redirect?: true;
}

export interface BodyDoc {
  readonly schema: SchemaName;
  readonly example: unknown;
  /** The content types the route reads, application/json first. */
  readonly types: readonly string[];
  readonly required?: boolean;
}

/** One operation's words in the document, keyed by `METHOD /path` in the tables. */
export interface OperationDoc {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  readonly auth: Auth;
  readonly body?: BodyDoc;
  /** Query parameters with their words and an example: added, or merged into the route schema's own. */
  readonly query?: Readonly<Record<string, { readonly description: string; readonly example: string }>>;
  readonly responses: Readonly<Record<number, ResponseDoc>>;
}

const Loose = (properties: Record<string, TSchema>, description: string) => Type.Object(properties, { additionalProperties: true, description });
const Any = Type.Optional(Type.Unknown());
const Str = (description: string) => Type.Optional(Type.String({ description }));

const V1Params = {
  apikey: Str('The API key, when not sent as `Authorization: Bearer`.'),
  inputformat: Str('The input format (extension), e.g. `svg`. GET /conversiontypes lists the pairs.'),
  outputformat: Str('The output format, e.g. `png`.'),
  mode: Str('`convert` (default), `info`, `combine`, `archive`, `extract`, `compress`.'),
};
const StartParams = {
  input: Str('`upload` (default: then PUT the file to `upload.url`), `download` (a URL in `file`), `raw`, `base64`, `s3`, `ftp`, ... or an object such as `{"s3": {...}}`.'),
  file: Type.Optional(Type.Unknown({ description: 'As `input` says: a URL (download), the text (raw), base64 text, a storage path; in a multipart body, the file part itself.' })),
  filename: Str('The input file name with its extension; required for raw and base64.'),
  files: Type.Optional(Type.Unknown({ description: 'Several inputs (combine, archive): URLs, or objects `{file, filename}`.' })),
  outputformat: V1Params.outputformat,
  converteroptions: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Engine options: GET /conversiontypes/options lists them with their valid values.' })),
  preset: Str('A preset id (POST /presets) whose converteroptions apply.'),
  wait: Type.Optional(Type.Union([Type.Boolean(), Type.String()], { description: 'Answer only when the process has ended.' })),
  download: Type.Optional(Type.Union([Type.Boolean(), Type.String()], { description: '`true` or `inline`: answer with a redirect to the output file once it is ready.' })),
  save: Type.Optional(Type.Union([Type.Boolean(), Type.String()])),
  callback: Str('A URL notified when the process has ended.'),
  output: Any,
  timeout: Any,
  email: Any,
  tag: Any,
};

const V2Error = Type.Object(
  {
    message: Type.String(),
    code: Type.String({ description: 'UPPER_SNAKE: UNAUTHENTICATED, INVALID_DATA, NOT_FOUND, FORBIDDEN, TOO_MANY_REQUESTS, SERVICE_UNAVAILABLE, ...' }),
    errors: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()), { description: 'With 422: the bad fields and what is wrong with each.' })),
    error: Type.Optional(Type.String({ description: 'The same text as `message`.' })),
  },
  { additionalProperties: true },
);
const Nullable = (schema: TSchema) => Type.Union([schema, Type.Null()]);
const V2Task = Loose(
  {
    id: Type.String(),
    name: Type.Optional(Type.String()),
    job_id: Nullable(Type.String()),
    status: Type.String({ description: '`waiting`, `processing`, `finished` or `error`.' }),
    operation: Type.String(),
    result: Nullable(Type.Record(Type.String(), Type.Unknown(), { description: '`form` of an import/upload task, `files` of an export/url task (with their URLs).' })),
    created_at: Nullable(Type.String()),
    links: Type.Object({ self: Type.String() }),
  },
  'A task.',
);
const V2Job = Loose(
  { id: Type.String(), tag: Nullable(Type.String()), status: Type.String(), created_at: Nullable(Type.String()), tasks: Type.Optional(Type.Array(V2Task)), links: Type.Object({ self: Type.String() }) },
  'A job and (where shown) its tasks.',
);
const V2Page = (item: TSchema) => Type.Object({ data: Type.Array(item), links: Type.Record(Type.String(), Type.Unknown()), meta: Type.Record(Type.String(), Type.Unknown()) });
const V2Webhook = Loose({ id: Type.String(), url: Type.String(), events: Type.Array(Type.String()), signing_secret: Type.String(), links: Type.Object({ self: Type.String() }) }, 'A webhook.');

/** The component schemas, by name. The operation tables refer to them by these names. */
export const COMPONENT_SCHEMAS = {
  V1Error: ErrorBody,
  V1ErrorOrStatus: Type.Union([ErrorBody, StatusObject], { description: 'An error, or the status object of a process that failed (its `code` is the status).' }),
  ProcessCreated: CreateResponse,
  ProcessStatus: StatusObject,
  ProcessList: ListResponse,
  Message: MessageBody,
  Uploaded: UploadResponse,
  ConversionTypes: ConversionTypesResponse,
  ConversionOptions: ConversionOptionsResponse,
  User: UserResponse,
  Preset: PresetResponse,
  PresetList: PresetListResponse,
  CreateProcessRequest: Loose(V1Params, 'Any further parameter of the start may come along (clients send all of them); unknown ones are ignored.'),
  StartProcessRequest: Loose(StartParams, 'The start of a process. Nested fields also arrive as form brackets: `converteroptions[quality]=75`.'),
  ConvertRequest: Loose({ ...V1Params, ...StartParams }, 'Create and start in one: the parameters of both.'),
  PresetRequest: Loose({ name: Type.String(), converteroptions: Type.Optional(Type.Record(Type.String(), Type.Unknown())), inputformat: V1Params.inputformat, outputformat: V1Params.outputformat, shared: Any, apikey: V1Params.apikey }, 'A named set of converteroptions.'),
  FileUpload: Type.Object({ file: Type.String({ contentMediaType: 'application/octet-stream', description: 'The file.' }) }, { additionalProperties: true }),
  RawFile: Type.String({ contentMediaType: 'application/octet-stream', description: 'The file bytes.' }),
  Health: Type.Object({ status: Type.Literal('ok') }),
  Readiness: Loose({ ready: Type.Boolean(), checks: Type.Optional(Type.Record(Type.String(), Type.Unknown())) }, '`checks` only with the operator key.'),
  Version: Loose({ name: Type.String(), version: Type.String(), node: Type.String(), commit: Type.Optional(Type.String()) }, 'What runs here.'),
  Pending: Loose({ pending: Type.Integer(), running: Type.Integer(), keys: Type.Array(Type.Record(Type.String(), Type.Unknown())) }, 'Per API key and engine class: processes holding a slot of the fair queue, and waiting for one.'),
  Text: Type.String(),
  V2Error,
  V2Job: Type.Object({ data: V2Job }),
  V2JobList: V2Page(V2Job),
  V2Task: Type.Object({ data: V2Task }),
  V2TaskList: V2Page(V2Task),
  V2OperationList: V2Page(Loose({ operation: Type.String(), input_format: Type.String(), output_format: Type.String(), engine: Type.String() }, 'An operation and its formats.')),
  V2User: Type.Object({ data: Loose({ id: Type.Integer(), username: Type.String(), credits: Type.Integer() }, 'The account of the key.') }),
  V2Webhook: Type.Object({ data: V2Webhook }),
  V2WebhookList: V2Page(V2Webhook),
  V2CreateJobRequest: Type.Object(
    {
      tasks: Type.Record(Type.String(), Type.Object({ operation: Type.String() }, { additionalProperties: true }), { description: 'Up to 50 named tasks; `input` names other tasks of the job.' }),
      tag: Type.Optional(Type.String()),
      webhook_url: Type.Optional(Type.String()),
      redirect: Type.Optional(Type.Boolean({ description: 'Under /sync/v2: answer 302 to the first exported file.' })),
    },
    { additionalProperties: true },
  ),
  V2TaskRequest: Loose({ input: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description: 'The task ids to read from.' })) }, "The operation's fields (GET /v2/operations?include=options lists them)."),
  V2WebhookRequest: Type.Object({ url: Type.String(), events: Type.Array(Type.String()) }, { additionalProperties: true }),
  V2UploadForm: Type.Object({ signature: Type.String({ description: 'From the task\'s `result.form.parameters`, sent first.' }), file: Type.String({ contentMediaType: 'application/octet-stream', description: 'The file, the last part.' }) }, { additionalProperties: true }),
} satisfies Record<string, TSchema>;
export type SchemaName = keyof typeof COMPONENT_SCHEMAS;

const V1_ERROR_EXAMPLES: Readonly<Record<number, { error: string; code: number }>> = {
  400: { error: 'This conversiontype is not supported!', code: 400 },
  401: { error: 'No API Key provided!', code: 401 },
  402: { error: 'No conversion minutes left for this API key.', code: 402 },
  403: { error: 'The API key is invalid.', code: 403 },
  404: { error: 'Process not found', code: 404 },
  413: { error: 'The file is larger than allowed.', code: 413 },
  422: { error: 'The conversion failed.', code: 422 },
  429: { error: 'Too many requests. Retry after the number of seconds in the Retry-After header.', code: 429 },
  503: { error: 'The service is temporarily unavailable. Please try later.', code: 503 },
};
const V1_ERROR_WORDS: Readonly<Record<number, string>> = {
  400: 'Wrong or missing parameters',
  401: 'No API key',
  402: 'No conversion minutes left',
  403: 'Unknown API key',
  404: 'Not found',
  413: 'Too large',
  422: 'The conversion failed',
  429: 'Too many requests (Retry-After)',
  503: 'Unavailable for now (Retry-After)',
};

/** v1 error responses (`{error, code, hint?}`) for these statuses. */
export function v1Errors(...statuses: number[]): Record<number, ResponseDoc> {
  return Object.fromEntries(statuses.map((s) => [s, { description: V1_ERROR_WORDS[s] ?? 'Error', schema: 'V1Error', example: V1_ERROR_EXAMPLES[s] }]));
}

/** v1 errors where a failed process answers with its status object instead (400, 422, 503). */
export function v1ProcessErrors(...statuses: number[]): Record<number, ResponseDoc> {
  const plain = v1Errors(...statuses);
  for (const s of [400, 422, 503]) {
    const entry = plain[s];
    if (entry !== undefined) plain[s] = { ...entry, description: `${entry.description}, or the failed process's status object`, schema: 'V1ErrorOrStatus' };
  }
  return plain;
}

const V2_ERROR_EXAMPLES: Readonly<Record<number, unknown>> = {
  400: { message: 'The request body is not valid JSON.', code: 'INVALID_DATA', error: 'The request body is not valid JSON.' },
  401: { message: 'Unauthenticated.', code: 'UNAUTHENTICATED', error: 'Unauthenticated.' },
  402: { message: 'No conversion minutes left for this API key.', code: 'CREDITS_EXCEEDED', error: 'No conversion minutes left for this API key.' },
  403: { message: 'The signature does not match.', code: 'FORBIDDEN', error: 'The signature does not match.' },
  404: { message: 'No job with this id for this API key.', code: 'NOT_FOUND', error: 'No job with this id for this API key.' },
  413: { message: 'The file is larger than allowed.', code: 'FILE_TOO_LARGE', error: 'The file is larger than allowed.' },
  422: { message: 'The given data was invalid.', code: 'INVALID_DATA', errors: { 'tasks.convert.output_format': ['Unknown output format.'] }, error: 'The given data was invalid.' },
  429: { message: 'Too many requests.', code: 'TOO_MANY_REQUESTS', error: 'Too many requests.' },
  503: { message: 'The service is temporarily unavailable. Please try later.', code: 'SERVICE_UNAVAILABLE', error: 'The service is temporarily unavailable. Please try later.' },
  504: { message: 'The job did not end in time.', code: 'GATEWAY_TIMEOUT', error: 'The job did not end in time.' },
};

/** v2 error responses (`{message, code, errors?}`) for these statuses. */
export function v2Errors(...statuses: number[]): Record<number, ResponseDoc> {
  return Object.fromEntries(statuses.map((s) => [s, { description: V1_ERROR_WORDS[s] ?? (s === 504 ? 'Took too long' : 'Error'), schema: 'V2Error', example: V2_ERROR_EXAMPLES[s] }]));
}

/** What each path parameter is and where a client finds its value, by the path it appears in. */
export const PATH_PARAMETERS: ReadonlyArray<{ readonly path: RegExp; readonly name: string; readonly description: string }> = [
  { path: /^\/process\/\{id\}/, name: 'id', description: 'The process id: the last segment of the process `url`.' },
  { path: /^\/presets\/\{id\}/, name: 'id', description: 'The preset id (POST /presets answered it).' },
  { path: /^\/upload\/\{token\}/, name: 'token', description: 'The last segment of `upload.url` (with its `~`).' },
  { path: /^\/upload\/\{token\}\/\{file\}/, name: 'file', description: 'The input file name, URL-encoded.' },
  { path: /^\/download\/\{token\}/, name: 'token', description: 'The last segment of `output.url`.' },
  { path: /^\/download\/\{token\}\/\{file\}/, name: 'file', description: 'One of `output.files`, URL-encoded.' },
  { path: /^\/(?:sync\/)?v2\/jobs\/\{id\}/, name: 'id', description: 'The job id.' },
  { path: /^\/(?:sync\/)?v2\/tasks\/\{id\}/, name: 'id', description: 'The task id.' },
  { path: /^\/v2\/upload\/\{id\}/, name: 'id', description: 'The import/upload task id: `result.form.url` is this URL.' },
  { path: /^\/v2\/files\//, name: 'id', description: 'From a `result.files[].url` of an export/url task: the task id.' },
  { path: /^\/v2\/files\//, name: 'token', description: 'From a `result.files[].url`: the download token.' },
  { path: /^\/v2\/files\//, name: 'filename', description: 'From a `result.files[].url`: the file name, URL-encoded.' },
  { path: /^\/v2\/webhooks\/\{id\}/, name: 'id', description: 'The webhook id.' },
  { path: /^\/v2\/signed-urls\/\{id\}/, name: 'id', description: 'The id of a signed URL base the operator configured (SIGNED_URLS).' },
];
