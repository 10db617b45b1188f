// S3 clients for the user's buckets: their credentials, their endpoint behind the
// private-address guard, short retries (a wrong key will not become right by waiting).
import type { S3Client } from '@aws-sdk/client-s3';
import type { RemoteSecret, S3Bucket } from '../../src/core/remote/locations.js';
import { createS3Client } from '../../src/core/remote/s3.js';
import type { RemoteSettings } from './settings.js';

export function userS3Client(place: S3Bucket, secret: Extract<RemoteSecret, { kind: 's3' }>, settings: RemoteSettings): S3Client {
  return createS3Client({
    region: place.region,
    endpoint: place.endpoint,
    credentials: secret.sessionToken === undefined ? { accessKeyId: secret.accessKeyId, secretAccessKey: secret.secretAccessKey } : { accessKeyId: secret.accessKeyId, secretAccessKey: secret.secretAccessKey, sessionToken: secret.sessionToken },
    timeoutMs: settings.timeoutMs,
    addressPolicy: settings,
    maxAttempts: 2,
  });
}

/** For messages: the endpoint's host, or AWS's S3 of the region. */
export const endpointLabel = (place: S3Bucket): string => (place.endpoint === undefined ? `AWS S3 (${place.region})` : new URL(place.endpoint).host);
