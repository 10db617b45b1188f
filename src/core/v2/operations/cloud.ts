// import/azure/blob, import/google-cloud-storage, import/openstack and their exports: like
// import/s3 and export/s3, `check` moves the credentials into `secrets` and `start` makes a
// transfer process whose source or target is the user's container.
import { TRANSFER_PLAN } from '../../catalog/resolve.js';
import { cleanFilename } from '../../filenames.js';
import { checkRemotePath } from '../../remote/paths.js';
import type { CloudInputSource, CloudOutputTarget, CloudStorage } from '../../remote/cloud-locations.js';
import type { ListedPlace } from '../../remote/listings.js';
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
      if (name === undefined && prefix === undefined && fields.errors[spec.object] === undefined && fields.errors[spec.prefix] === undefined) fields.fail(spec.object, `The ${spec.object} field (the object to import) or ${spec.prefix} (import every object whose name starts with it) is required.`);
      checkedFilename(fields);
      fields.done();
      return { payload: without(payload, spec.secretFields), secrets: { input: secret } };
    },
    start(payload) {
      const place = spec.place(new FieldReader(payload), true);
      // Without the object's name, every object under the prefix (the worker lists them).
      if (text(payload[spec.object]) === undefined) {
        const listed = { kind: spec.kind, ...place } as unknown as ListedPlace;
        return { kind: 'process', spec: { plan: TRANSFER_PLAN, source: { kind: 'listing', place: listed, prefix: String(payload[spec.prefix]).replace(/^\/+/, '') } } };
      }
      const name = String(payload[spec.object]).replace(/^\/+/, '');
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
