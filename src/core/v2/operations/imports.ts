// import/url, import/upload, import/base64, import/raw and import/s3: tasks without input that
// bring a file into the file store. url and s3 run as a transfer process (the worker's input
// adapters, with their address guard and size limit); base64 and raw are stored at creation;
// upload waits for its form post.
import { appError } from '../../errors.js';
import { TRANSFER_PLAN } from '../../catalog/resolve.js';
import { cleanFilename, validateFilename } from '../../filenames.js';
import { DEFAULT_S3_REGION } from '../../remote/locations.js';
import { FieldReader, without } from './fields.js';
import type { Checked, CheckContext, OperationHandler, TaskRun } from './types.js';

/** The file name a client chose, checked (no folders, no control characters). */
export function checkedFilename(fields: FieldReader, field = 'filename', required = false): string | undefined {
  const value = fields.string(field, { required, max: 255 });
  if (value === undefined) return undefined;
  try {
    return validateFilename(value, field);
  } catch (error) {
    return fields.fail(field, error instanceof Error ? error.message : 'The file name is invalid.');
  }
}

const nothingToStart = (): TaskRun => {
  throw appError('INTERNAL', 'This import has nothing to start.');
};

function nameFromUrl(url: URL): string {
  const last = url.pathname.split('/').pop() ?? '';
  let decoded = last;
  try {
    decoded = decodeURIComponent(last);
  } catch {
    // keep the raw segment
  }
  return cleanFilename(decoded, 'file');
}

export const importUrl: OperationHandler = {
  takesInput: false,
  check(payload, context) {
    const fields = new FieldReader(payload);
    fields.url('url', context.allowPrivateUrls, { required: true });
    checkedFilename(fields);
    // Headers often carry credentials; until they can be kept sealed beside the task, a request
    // that needs them is refused rather than fetched without them.
    const headers = fields.stringMap('headers');
    if (headers !== undefined && Object.keys(headers).length > 0) fields.fail('headers', 'Request headers for import/url are not supported yet by this server. Use a URL that needs no headers (e.g. a pre-signed URL).');
    fields.done();
    return { payload };
  },
  start(payload) {
    const url = new URL(String(payload.url));
    const filename = typeof payload.filename === 'string' && payload.filename !== '' ? payload.filename : nameFromUrl(url);
    return { kind: 'process', spec: { plan: TRANSFER_PLAN, source: { kind: 'download', url: url.toString() }, filename } };
  },
};

export const importUpload: OperationHandler = {
  takesInput: false,
  check(payload, context) {
    const fields = new FieldReader(payload);
    fields.url('redirect', true);
    fields.done();
    void context;
    return { payload };
  },
  start: nothingToStart,
};

function contentImport(encoding: 'base64' | 'raw'): OperationHandler {
  return {
    takesInput: false,
    check(payload, context: CheckContext): Checked {
      const fields = new FieldReader(payload);
      const file = fields.string('file', { required: true, max: Number.MAX_SAFE_INTEGER });
      const filename = checkedFilename(fields, 'filename', true);
      let bytes: Buffer | undefined;
      if (file !== undefined && encoding === 'base64') {
        const compact = file.replace(/^data:[^,]*,/, '').replace(/\s+/g, '');
        if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact)) fields.fail('file', 'The file field must be base64-encoded content.');
        else bytes = Buffer.from(compact, 'base64');
      } else if (file !== undefined) {
        bytes = Buffer.from(file, 'utf8');
      }
      if (bytes !== undefined && bytes.length > context.maxBytes) fields.fail('file', `The file is larger than the limit of ${context.maxBytes} bytes.`);
      fields.done();
      // The content is stored as a file; the payload keeps only its name.
      return { payload: without(payload, ['file']), ...(bytes === undefined || filename === undefined ? {} : { content: { filename, bytes } }) };
    },
    start: nothingToStart,
  };
}

export const importBase64 = contentImport('base64');
export const importRaw = contentImport('raw');

/** Fields of import/s3 and export/s3 that carry credentials: stored sealed, never shown. */
export const S3_SECRET_FIELDS = ['access_key_id', 'secret_access_key', 'session_token'] as const;

/** The bucket fields both S3 operations share; adds field errors to `fields`. */
export function readS3Bucket(fields: FieldReader, context: CheckContext): { bucket?: string; region: string; endpoint?: string; accessKeyId?: string; secretAccessKey?: string; sessionToken?: string } {
  const bucket = fields.string('bucket', { required: true, max: 255 });
  const region = fields.string('region', { max: 64 }) ?? DEFAULT_S3_REGION;
  const endpoint = fields.url('endpoint', context.allowPrivateUrls)?.toString().replace(/\/$/, '');
  const accessKeyId = fields.string('access_key_id', { required: true, max: 256 });
  const secretAccessKey = fields.string('secret_access_key', { required: true, max: 1024 });
  const sessionToken = fields.string('session_token', { max: 4096 });
  return { bucket, region, endpoint, accessKeyId, secretAccessKey, sessionToken };
}

export const importS3: OperationHandler = {
  takesInput: false,
  check(payload, context) {
    const fields = new FieldReader(payload);
    const s3 = readS3Bucket(fields, context);
    const key = fields.string('key', { max: 1024 });
    const prefix = fields.string('key_prefix', { max: 1024 });
    if (key === undefined && prefix === undefined && fields.errors.key === undefined && fields.errors.key_prefix === undefined) fields.fail('key', 'The key field (the object to import) or key_prefix (import every object whose key starts with it) is required.');
    checkedFilename(fields);
    fields.done();
    const secret = { kind: 's3' as const, accessKeyId: s3.accessKeyId ?? '', secretAccessKey: s3.secretAccessKey ?? '', ...(s3.sessionToken === undefined ? {} : { sessionToken: s3.sessionToken }) };
    return { payload: without(payload, S3_SECRET_FIELDS), secrets: { input: secret } };
  },
  start(payload) {
    const region = typeof payload.region === 'string' && payload.region !== '' ? payload.region : DEFAULT_S3_REGION;
    const endpoint = typeof payload.endpoint === 'string' && payload.endpoint !== '' ? payload.endpoint.replace(/\/$/, '') : undefined;
    const bucket = { bucket: String(payload.bucket), region, ...(endpoint === undefined ? {} : { endpoint }) };
    // Without key, every object under key_prefix (the worker lists them); key wins when both are given.
    if (payload.key === undefined || payload.key === null || payload.key === '') return { kind: 'process', spec: { plan: TRANSFER_PLAN, source: { kind: 'listing', place: { kind: 's3', ...bucket }, prefix: String(payload.key_prefix) } } };
    const key = String(payload.key);
    const filename = typeof payload.filename === 'string' && payload.filename !== '' ? payload.filename : cleanFilename(key.split('/').pop() ?? '', 'file');
    const source = { kind: 's3' as const, key, ...bucket };
    return { kind: 'process', spec: { plan: TRANSFER_PLAN, source, filename } };
  },
};
