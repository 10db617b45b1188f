// import/azure/blob, import/google-cloud-storage, import/openstack and their exports: like
// import/s3 and export/s3, `check` moves the credentials into `secrets` and `start` makes a
// transfer process whose source or target is the user's container.
import { TRANSFER_PLAN } from '../../catalog/resolve.js';
import { cleanFilename } from '../../filenames.js';
import { checkRemotePath } from '../../remote/paths.js';
import type { CloudInputSource, CloudOutputTarget, CloudStorage } from '../../remote/cloud-locations.js';
import { AZURE_FIELDS, GCS_FIELDS, SWIFT_FIELDS, type CloudOperationFields } from './cloud-fields.js';
import { FieldReader, without } from './fields.js';
import { checkedFilename } from './imports.js';
import { sourceOf } from './processing.js';
import type { OperationHandler } from './types.js';

/** An object name: a path inside the container (no "." or ".." segment, no control characters). */
function objectName(fields: FieldReader, field: string): string | undefined {
  const value = fields.string(field, { max: 1024 });
  if (value === undefined) return undefined;
  try {
    return checkRemotePath(value, field);
  } catch (error) {
    return fields.fail(field, error instanceof Error ? error.message : `The ${field} is not a valid name.`);
  }
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function cloudImport<K extends CloudStorage>(spec: CloudOperationFields<K>): OperationHandler {
  return {
    takesInput: false,
    check(payload, context) {
      const fields = new FieldReader(payload);
      spec.place(fields, context.allowPrivateUrls);
      const secret = spec.secret(fields);
      const name = objectName(fields, spec.object);
      const prefix = objectName(fields, spec.prefix);
      if (name === undefined && prefix === undefined) fields.fail(spec.object, `The ${spec.object} field is required (the object to import).`);
      // Listing a prefix needs a task with several results; until then one object is imported.
      if (name === undefined && prefix !== undefined) fields.fail(spec.prefix, `${spec.prefix} is not supported yet by this server for import: give the object name as ${spec.object}.`);
      checkedFilename(fields);
      fields.done();
      return { payload: without(payload, spec.secretFields), secrets: { input: secret } };
    },
    start(payload) {
      const name = String(payload[spec.object]).replace(/^\/+/, '');
      const place = spec.place(new FieldReader(payload), true);
      const filename = text(payload.filename) ?? cleanFilename(name.split('/').pop() ?? '', 'file');
      const source = { kind: spec.kind, name, ...place } as unknown as CloudInputSource;
      return { kind: 'process', spec: { plan: TRANSFER_PLAN, source, filename } };
    },
  };
}

export function cloudExport<K extends CloudStorage>(spec: CloudOperationFields<K>): OperationHandler {
  return {
    takesInput: true,
    check(payload, context) {
      const fields = new FieldReader(payload);
      spec.place(fields, context.allowPrivateUrls);
      const secret = spec.secret(fields);
      objectName(fields, spec.object);
      objectName(fields, spec.prefix);
      fields.done();
      return { payload: without(payload, spec.secretFields), secrets: { output: secret } };
    },
    start(payload, inputs) {
      // One file with a name: that object; else the prefix (as given: "out/" is a folder,
      // "out-" prefixes the names) plus each file's name.
      const name = text(payload[spec.object])?.replace(/^\/+/, '');
      const prefix = text(payload[spec.prefix])?.replace(/^\/+/, '');
      const place = spec.place(new FieldReader(payload), true);
      const outputTarget = { kind: spec.kind, ...place, ...(name === undefined ? {} : { name }), ...(prefix === undefined ? {} : { prefix }) } as unknown as CloudOutputTarget;
      const { source, filename } = sourceOf(inputs);
      return { kind: 'process', spec: { plan: TRANSFER_PLAN, source, ...(filename === undefined ? {} : { filename }), outputTarget } };
    },
  };
}

export const importAzureBlob = cloudImport(AZURE_FIELDS);
export const exportAzureBlob = cloudExport(AZURE_FIELDS);
export const importGcs = cloudImport(GCS_FIELDS);
export const exportGcs = cloudExport(GCS_FIELDS);
export const importOpenStack = cloudImport(SWIFT_FIELDS);
export const exportOpenStack = cloudExport(SWIFT_FIELDS);
