// Creates the S3 file store's bucket when it is missing. Compose's `s3` profile starts an empty
// S3-compatible service, and its `prepare-store` service (src/prepare-store.ts) runs this once
// before the API and workers start; the service may still be starting, so failures are retried
// until a deadline.
import { setTimeout as delay } from 'node:timers/promises';
import { CreateBucketCommand, HeadBucketCommand, type BucketLocationConstraint, type S3Client } from '@aws-sdk/client-s3';

export interface EnsureBucketOptions {
  /** The bucket's region: outside us-east-1, AWS wants it named in the creation request. */
  readonly region: string;
  /** How long the service may take to answer and the bucket to be made, in ms. */
  readonly waitMs: number;
  /** Pause between attempts, in ms. */
  readonly retryMs: number;
  /** Hears of every failed attempt that will be retried (for a log line). */
  readonly onRetry?: (error: Error) => void;
}

/** `present` when the bucket existed (or another process made it meanwhile), `created` when this call made it. */
export async function ensureBucket(client: S3Client, bucket: string, options: EnsureBucketOptions): Promise<'present' | 'created'> {
  const deadline = Date.now() + options.waitMs;
  for (;;) {
    try {
      return await ensureOnce(client, bucket, options.region);
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      if (Date.now() + options.retryMs > deadline) {
        throw new Error(`The file store's bucket "${bucket}" could not be checked or created within ${Math.round(options.waitMs / 1000)} s: ${failure.name}: ${failure.message}. Check STORAGE_URL, STORAGE_S3_ENDPOINT and the credentials.`, { cause: failure });
      }
      options.onRetry?.(failure);
      await delay(options.retryMs);
    }
  }
}

async function ensureOnce(client: S3Client, bucket: string, region: string): Promise<'present' | 'created'> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return 'present';
  } catch (error) {
    if (httpStatus(error) !== 404) throw error;
  }
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket, ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }) }));
    return 'created';
  } catch (error) {
    // Another process made it between the two requests.
    if ((error as Error).name === 'BucketAlreadyOwnedByYou') return 'present';
    throw error;
  }
}

const httpStatus = (error: unknown): number | undefined => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
