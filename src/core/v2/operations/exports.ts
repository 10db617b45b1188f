// export/url: the input tasks' files get download URLs (no conversion; several files may become
// one ZIP); export/s3: a transfer process uploads them to the user's bucket.
import { TRANSFER_PLAN, resolvePlan } from '../../catalog/resolve.js';
import { S3_ACLS } from '../../remote/locations.js';
import { uniqueNames } from '../../filenames.js';
import { FieldReader, without } from './fields.js';
import { readS3Bucket, S3_SECRET_FIELDS } from './imports.js';
import { processFor, sourceOf } from './processing.js';
import { readS3ObjectFields } from './s3-object-fields.js';
import type { OperationHandler } from './types.js';

export const exportUrl: OperationHandler = {
  takesInput: true,
  check(payload) {
    const fields = new FieldReader(payload);
    fields.boolean('inline');
    fields.boolean('archive_multiple_files');
    fields.done();
    return { payload };
  },
  start(payload, inputs) {
    const zip = payload.archive_multiple_files === true || payload.archive_multiple_files === 'true';
    if (zip && inputs.length > 1) {
      const plan = resolvePlan({ mode: 'archive', inputformat: undefined, outputformat: 'zip', converteroptions: undefined });
      return processFor(plan, inputs, { filename: 'archive' });
    }
    // Each file's URL ends in its name: two inputs named alike (two imports of a.txt) get a-2.txt.
    const names = uniqueNames(inputs.map((f) => f.filename));
    return { kind: 'files', files: inputs.map((f, i) => ({ ...f, filename: names[i] ?? f.filename })) };
  },
};

export const exportS3: OperationHandler = {
  takesInput: true,
  check(payload, context) {
    const fields = new FieldReader(payload);
    const s3 = readS3Bucket(fields, context);
    fields.string('key', { max: 1024 });
    fields.string('key_prefix', { max: 1024 });
    fields.oneOf('acl', S3_ACLS);
    readS3ObjectFields(fields);
    fields.done();
    const secret = { kind: 's3' as const, accessKeyId: s3.accessKeyId ?? '', secretAccessKey: s3.secretAccessKey ?? '', ...(s3.sessionToken === undefined ? {} : { sessionToken: s3.sessionToken }) };
    return { payload: without(payload, S3_SECRET_FIELDS), secrets: { output: secret } };
  },
  start(payload, inputs) {
    const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
    const key = text(payload.key);
    const prefix = text(payload.key_prefix);
    // One file with `key` (several with a %d in it: numbered); else each file under the prefix
    // with its own name.
    const path = key !== undefined && (inputs.length === 1 || key.includes('%d')) ? key : prefix !== undefined ? (prefix.endsWith('/') ? prefix : `${prefix}/`) : undefined;
    const endpoint = text(payload.endpoint)?.replace(/\/$/, '');
    const acl = text(payload.acl) as (typeof S3_ACLS)[number] | undefined;
    // Checked at creation: read again from the stored payload.
    const object = readS3ObjectFields(new FieldReader(payload));
    const outputTarget = { kind: 's3' as const, ...(object === undefined ? {} : { object }), bucket: String(payload.bucket), region: text(payload.region) ?? 'us-east-1', ...(endpoint === undefined ? {} : { endpoint }), ...(path === undefined ? {} : { path }), ...(acl === undefined ? {} : { acl }) };
    const { source, filename } = sourceOf(inputs);
    return { kind: 'process', spec: { plan: TRANSFER_PLAN, source, ...(filename === undefined ? {} : { filename }), outputTarget } };
  },
};
