// S3 clients and uploads shared by the server's own S3 file store and the user's S3 inputs and
// outputs. Checksums are sent only where S3 requires them, so S3-compatible services that do not
// know the newer checksum headers keep working. User-given endpoints go through the
// private-address guard in the socket's own lookup.
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { guardedLookup, type AddressPolicy } from '../net/address-guard.js';
import type { S3Acl } from './locations.js';

export interface S3ClientSettings {
  readonly region: string;
  /** An S3-compatible endpoint; without it, AWS's endpoint for the region. */
  readonly endpoint?: string;
  /** Path-style addressing (bucket in the path); default: whenever an endpoint is set. */
  readonly forcePathStyle?: boolean;
  /** Without credentials, the AWS SDK's default chain (environment, instance role) is used. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  /** Connection timeout and longest idle time of a socket, in ms. */
  readonly timeoutMs: number;
  /** The private-address guard for endpoints a user gave; undefined for the operator's own. */
  readonly addressPolicy?: AddressPolicy;
  readonly maxAttempts?: number;
}

/** The SDK prints some warnings with console.warn unless given a logger; failures are reported by us. */
const SILENT = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export function createS3Client(settings: S3ClientSettings): S3Client {
  const lookup = settings.addressPolicy === undefined ? undefined : guardedLookup(settings.addressPolicy);
  return new S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle ?? settings.endpoint !== undefined,
    // A copy: the SDK writes its bookkeeping ($source) onto the object, and the Config's is frozen.
    credentials: settings.credentials === undefined ? undefined : { ...settings.credentials },
    maxAttempts: settings.maxAttempts ?? 3,
    logger: SILENT,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      connectionTimeout: settings.timeoutMs,
      socketTimeout: settings.timeoutMs,
      httpAgent: new http.Agent({ keepAlive: true, lookup }),
      httpsAgent: new https.Agent({ keepAlive: true, lookup }),
    },
  });
}

/** S3 allows 10,000 parts; stay below so a size estimate that is a little off still fits. */
const MAX_PARTS = 9000;
export const MIN_PART_BYTES = 5 * 1024 * 1024;

export interface UploadRequest {
  readonly bucket: string;
  readonly key: string;
  readonly body: Readable;
  /** Known size (a local file) or the most it can be (a size-limited stream); sets the part size. */
  readonly size?: number;
  readonly acl?: S3Acl;
  readonly contentType?: string;
  /** Bytes per part of a multipart upload (at least 5 MiB); smaller bodies go in one PUT. */
  readonly partSize: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (loadedBytes: number) => void;
}

/**
 * Streams `body` into one object: a single PUT when it fits one part, else a multipart upload
 * of at most 4 parts in flight (memory: about 4 x partSize). The object appears only when the
 * upload completes; on failure or abort the multipart upload is aborted, so nothing is left.
 */
export async function uploadObject(client: S3Client, request: UploadRequest): Promise<void> {
  const partSize = Math.max(request.partSize, MIN_PART_BYTES, Math.ceil((request.size ?? 0) / MAX_PARTS));
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  request.signal?.addEventListener('abort', onAbort, { once: true });
  const upload = new Upload({
    client,
    params: { Bucket: request.bucket, Key: request.key, Body: request.body, ACL: request.acl, ContentType: request.contentType },
    partSize,
    queueSize: 4,
    leavePartsOnError: false,
    abortController: controller,
  });
  if (request.onProgress !== undefined) {
    const report = request.onProgress;
    upload.on('httpUploadProgress', (progress) => report(progress.loaded ?? 0));
  }
  try {
    await upload.done();
  } finally {
    request.signal?.removeEventListener('abort', onAbort);
  }
}

/** The S3 error code (`NoSuchKey`, `AccessDenied`...) or network code of a failed call. */
export function s3ErrorCode(error: unknown): string {
  const e = error as { name?: string; Code?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  if (typeof e.code === 'string' && /^E[A-Z_]+$/.test(e.code)) return e.code;
  return e.Code ?? e.name ?? 'Error';
}

/** The HTTP status S3 answered, when it answered. */
export const s3HttpStatus = (error: unknown): number | undefined => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
