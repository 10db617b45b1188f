// Builds the server's file store from config: DATA_DIR on local disk, or the S3 bucket of
// STORAGE_URL (shared by every API and worker machine).
import type { Config } from '../config/index.js';
import { createS3Client } from '../core/remote/s3.js';
import type { FileStore } from '../core/storage/file-store.js';
import { LocalFileStore } from '../core/storage/local-file-store.js';
import { S3FileStore } from '../core/storage/s3-file-store.js';

export function createFileStore(config: Config): FileStore {
  const settings = config.storage.fileStore;
  if (settings.kind === 'local') return new LocalFileStore(settings.dir);
  const client = createS3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    credentials: settings.credentials,
    timeoutMs: config.storage.remote.timeoutMs,
  });
  return new S3FileStore({ client, bucket: settings.bucket, prefix: settings.prefix, partSize: config.storage.remote.partSizeBytes });
}
