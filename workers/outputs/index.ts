// Output deliverers (the `output` parameter), built from config and selected in one place.
import type { StorageConfig } from '../../src/config/storage.js';
import { appError } from '../../src/core/errors.js';
import { CLOUD_STORAGE_NAMES } from '../../src/core/remote/cloud-locations.js';
import type { DeliveredOutput, OutputKind, OutputTarget } from '../../src/core/remote/locations.js';
import { azureBlobStore } from '../cloud/azure-blob.js';
import { gcsStore } from '../cloud/gcs.js';
import { cloudOutput } from '../cloud/io.js';
import { swiftStore } from '../cloud/swift.js';
import type { RemoteSettings } from '../remote/settings.js';
import { dropboxOutput } from './dropbox.js';
import { ftpOutput } from './ftp.js';
import { googleDriveOutput } from './google-drive.js';
import { s3Output } from './s3.js';
import { sftpOutput } from './sftp.js';
import type { DeliveryContext, OutputDeliverers, OutputFileRef } from './types.js';

export type { DeliveryContext, OutputDeliverers, OutputFileRef } from './types.js';

export function createOutputDeliverers(storage: StorageConfig, remote: RemoteSettings): OutputDeliverers {
  const { dropbox, googledrive } = storage.drives;
  const timeoutMs = storage.remote.timeoutMs;
  return {
    s3: s3Output(remote),
    ftp: ftpOutput(remote),
    sftp: sftpOutput(remote),
    dropbox: dropbox === undefined ? undefined : dropboxOutput(dropbox, { timeoutMs }),
    googledrive: googledrive === undefined ? undefined : googleDriveOutput(googledrive, { timeoutMs }),
    'azure-blob': cloudOutput('azure-blob', azureBlobStore, remote),
    gcs: cloudOutput('gcs', gcsStore, remote),
    swift: cloudOutput('swift', swiftStore, remote),
  };
}

const NAMES: Readonly<Record<OutputKind, string>> = { s3: 'S3', ftp: 'FTP', sftp: 'SFTP', dropbox: 'Dropbox', googledrive: 'Google Drive', ...CLOUD_STORAGE_NAMES };

const notConfigured = (kind: OutputKind) => appError('OUTPUT_FAILED', `This worker has no ${NAMES[kind]} account configured (the API that accepted the process has one). Ask the operator to configure every worker alike.`);

type TargetOf<K extends OutputKind> = Extract<OutputTarget, { kind: K }>;

/** The deliverer of kind K delivers; K ties the deliverer to its target's type. */
function deliverWith<K extends OutputKind>(deliverers: OutputDeliverers, kind: K, target: TargetOf<K>, files: readonly OutputFileRef[], context: DeliveryContext): Promise<DeliveredOutput> {
  const deliverer = deliverers[kind];
  if (deliverer === undefined) throw notConfigured(kind);
  return deliverer.deliver(target, files, context);
}

/** Delivers `files` to `target` with its deliverer. */
export function deliverOutputs(deliverers: OutputDeliverers, target: OutputTarget, files: readonly OutputFileRef[], context: DeliveryContext): Promise<DeliveredOutput> {
  return deliverWith(deliverers, target.kind, target, files, context);
}
