// Output deliverers (the `output` parameter), built from config and selected in one place.
import type { StorageConfig } from '../../src/config/storage.js';
import { appError } from '../../src/core/errors.js';
import type { DeliveredOutput, OutputTarget } from '../../src/core/remote/locations.js';
import type { RemoteSettings } from '../remote/settings.js';
import { dropboxOutput } from './dropbox.js';
import { ftpOutput } from './ftp.js';
import { googleDriveOutput } from './google-drive.js';
import { s3Output } from './s3.js';
import type { DeliveryContext, OutputDeliverers, OutputFileRef } from './types.js';

export type { DeliveryContext, OutputDeliverers, OutputFileRef } from './types.js';

export function createOutputDeliverers(storage: StorageConfig, remote: RemoteSettings): OutputDeliverers {
  const { dropbox, googledrive } = storage.drives;
  const timeoutMs = storage.remote.timeoutMs;
  return {
    s3: s3Output(remote),
    ftp: ftpOutput(remote),
    dropbox: dropbox === undefined ? undefined : dropboxOutput(dropbox, { timeoutMs }),
    googledrive: googledrive === undefined ? undefined : googleDriveOutput(googledrive, { timeoutMs }),
  };
}

const notConfigured = (drive: string) => appError('OUTPUT_FAILED', `This worker has no ${drive} account configured (the API that accepted the process has one). Ask the operator to configure every worker alike.`);

/** Delivers `files` to `target` with its deliverer. */
export function deliverOutputs(deliverers: OutputDeliverers, target: OutputTarget, files: readonly OutputFileRef[], context: DeliveryContext): Promise<DeliveredOutput> {
  switch (target.kind) {
    case 's3':
      return deliverers.s3.deliver(target, files, context);
    case 'ftp':
      return deliverers.ftp.deliver(target, files, context);
    case 'dropbox':
      if (deliverers.dropbox === undefined) throw notConfigured('Dropbox');
      return deliverers.dropbox.deliver(target, files, context);
    case 'googledrive':
      if (deliverers.googledrive === undefined) throw notConfigured('Google Drive');
      return deliverers.googledrive.deliver(target, files, context);
  }
}
