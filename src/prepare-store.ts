// Entry: prepares the file store before the API and workers start (compose runs it once, as the
// `prepare-store` service). With STORAGE_URL it waits for the S3 service to answer and creates the
// bucket when it is missing; the local store (DATA_DIR) needs nothing: its folders are made on use.
import { ConfigError, loadConfig } from './config/index.js';
import { createLogger } from './runtime/index.js';
import { ensureBucket } from './runtime/bucket.js';
import { fileStoreClient } from './runtime/file-store.js';

/** An S3 service started alongside (compose) may take a while on a first start. */
const WAIT_MS = 120_000;
const RETRY_MS = 1000;

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel, 'prepare-store');
  const store = config.storage.fileStore;
  if (store.kind === 'local') {
    log.info({ dir: store.dir }, 'local file store: nothing to prepare');
    return;
  }
  const client = fileStoreClient(config, store);
  try {
    const onRetry = (error: Error): void => log.info({ bucket: store.bucket, endpoint: store.endpoint, error: error.message }, 'the S3 store does not answer yet; trying again');
    const result = await ensureBucket(client, store.bucket, { region: store.region, waitMs: WAIT_MS, retryMs: RETRY_MS, onRetry });
    log.info({ bucket: store.bucket, endpoint: store.endpoint }, result === 'created' ? 'bucket created' : 'bucket already there');
  } finally {
    client.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
