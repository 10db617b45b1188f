// The operations of API v2, one handler each, in one table the compiler checks against the list
// of operations.
import type { Operation } from '../model.js';
import { exportAzureBlob, exportGcs, exportOpenStack, importAzureBlob, importGcs, importOpenStack } from './cloud.js';
import { exportS3, exportUrl } from './exports.js';
import { importBase64, importRaw, importS3, importUpload, importUrl } from './imports.js';
import { archive, convert, merge, metadata, optimize, thumbnail } from './processing.js';
import type { OperationHandler } from './types.js';
import { captureWebsite } from './website.js';

export { InvalidDataError, type CheckContext, type Checked, type FieldErrors, type OperationHandler, type ProcessSpec, type TaskRun } from './types.js';

export const OPERATION_HANDLERS = {
  'import/url': importUrl,
  'import/upload': importUpload,
  'import/base64': importBase64,
  'import/raw': importRaw,
  'import/s3': importS3,
  'import/azure/blob': importAzureBlob,
  'import/google-cloud-storage': importGcs,
  'import/openstack': importOpenStack,
  convert,
  optimize,
  merge,
  archive,
  thumbnail,
  'capture-website': captureWebsite,
  metadata,
  'export/url': exportUrl,
  'export/s3': exportS3,
  'export/azure/blob': exportAzureBlob,
  'export/google-cloud-storage': exportGcs,
  'export/openstack': exportOpenStack,
} as const satisfies Record<Operation, OperationHandler>;
