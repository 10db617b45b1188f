// The operations of API v2, one handler each, in one table the compiler checks against the list
// of operations.
import type { Operation } from '../model.js';
import { exportAzureBlob, exportGcs, exportOpenStack, importAzureBlob, importGcs, importOpenStack } from './cloud.js';
import { exportS3, exportUrl } from './exports.js';
import { importBase64, importRaw, importS3, importUpload, importUrl } from './imports.js';
import { PDF_TOOL_HANDLERS } from './pdf-tools.js';
import { metadata, metadataWrite } from './metadata.js';
import { archive, archiveExtract, convert, merge, optimize, thumbnail } from './processing.js';
import { watermark } from './watermark.js';
import { exportSftp, importSftp } from './sftp.js';
import type { OperationHandler } from './types.js';
import { captureWebsite } from './website.js';
import { command } from './command.js';

export { InvalidDataError, type CheckContext, type Checked, type FieldErrors, type InputTaskFile, type OperationHandler, type ProcessSpec, type TaskRun } from './types.js';

export const OPERATION_HANDLERS = {
  'import/url': importUrl,
  'import/upload': importUpload,
  'import/base64': importBase64,
  'import/raw': importRaw,
  'import/s3': importS3,
  'import/sftp': importSftp,
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
  'archive/extract': archiveExtract,
  ...PDF_TOOL_HANDLERS,
  'metadata/write': metadataWrite,
  watermark,
  command,
  'export/url': exportUrl,
  'export/s3': exportS3,
  'export/sftp': exportSftp,
  'export/azure/blob': exportAzureBlob,
  'export/google-cloud-storage': exportGcs,
  'export/openstack': exportOpenStack,
} as const satisfies Record<Operation, OperationHandler>;
