// Builds the server's file store from config: DATA_DIR on local disk, or the S3 bucket of
// STORAGE_URL (shared by every API and worker machine).
import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config/index.js';
import { createS3Client } from '../core/remote/s3.js';
import type { FileStore } from '../core/storage/file-store.js';
import { LocalFileStore } from '../core/storage/local-file-store.js';
import { S3FileStore } from '../core/storage/s3-file-store.js';

type S3StoreConfig = Extract<Config['storage']['fileStore'], { kind: 's3' }>;

export function createFileStore(config: Config): FileStore {
  const settings = config.storage.fileStore;
  if (settings.kind === 'local') return new LocalFileStore(settings.dir);
  return new S3FileStore({ client: fileStoreClient(config, settings), bucket: settings.bucket, prefix: settings.prefix, partSize: config.storage.remote.partSizeBytes });
}

/** The client of the STORAGE_URL bucket (also used to create it: src/prepare-store.ts). */
export function fileStoreClient(config: Config, settings: S3StoreConfig): S3Client {
  return createS3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    credentials: settings.credentials,
    timeoutMs: config.storage.remote.timeoutMs,
  });
}
