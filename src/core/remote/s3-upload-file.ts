// Uploads a local file to S3 with every part streamed from disk (a read stream per byte range),
// so memory stays at a few read buffers whatever the size; lib-storage's Upload would hold up to
// 4 whole parts in memory. Small files go in one PUT. A multipart upload that fails or is
// aborted is aborted at S3 too, so no object and no stray parts are left.
import { createReadStream } from 'node:fs';
import { AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand, UploadPartCommand, type S3Client } from '@aws-sdk/client-s3';
import { MIN_PART_BYTES } from './s3.js';
import type { S3Acl, S3ObjectFields } from './locations.js';

export interface FileUpload {
  readonly bucket: string;
  readonly key: string;
  readonly path: string;
  readonly size: number;
  readonly acl?: S3Acl;
  readonly contentType?: string;
  /** Cache-Control, metadata, encryption and tags, sent with the object. */
  readonly object?: S3ObjectFields;
  /** Bytes per part (at least 5 MiB); raised when the file would need more than 9,000 parts. */
  readonly partSize: number;
  readonly signal?: AbortSignal;
  /** Bytes acknowledged by S3 so far. */
  readonly onProgress?: (bytes: number) => void;
}

const CONCURRENCY = 4;

/** The object's headers as PutObject and CreateMultipartUpload take them. */
function objectHeaders(upload: FileUpload): { ACL?: S3Acl; ContentType?: string; CacheControl?: string; Metadata?: Record<string, string>; ServerSideEncryption?: 'AES256' | 'aws:kms'; Tagging?: string } {
  const o = upload.object ?? {};
  return {
    ACL: upload.acl,
    ContentType: upload.contentType,
    ...(o.cacheControl === undefined ? {} : { CacheControl: o.cacheControl }),
    ...(o.metadata === undefined ? {} : { Metadata: { ...o.metadata } }),
    ...(o.serverSideEncryption === undefined ? {} : { ServerSideEncryption: o.serverSideEncryption }),
    ...(o.tagging === undefined ? {} : { Tagging: new URLSearchParams(Object.entries(o.tagging)).toString() }),
  };
}
const PART_ATTEMPTS = 3;

/**
 * One part, retried here with a fresh stream: the SDK does not retry streamed bodies. `stop`
 * tells it another part failed, so it does not try again.
 */
async function uploadPart(client: S3Client, upload: FileUpload, uploadId: string, part: number, range: { start: number; end: number }, stop: () => boolean): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const body = createReadStream(upload.path, { ...range, highWaterMark: 256 * 1024 });
    try {
      const answer = await client.send(
        new UploadPartCommand({ Bucket: upload.bucket, Key: upload.key, UploadId: uploadId, PartNumber: part, ContentLength: range.end - range.start + 1, Body: body }),
        { abortSignal: upload.signal },
      );
      return answer.ETag ?? '';
    } catch (error) {
      if (attempt >= PART_ATTEMPTS || stop() || upload.signal?.aborted === true || (error as { $fault?: string }).$fault === 'client') throw error;
    } finally {
      body.destroy(); // a body the request never read would keep its file open
    }
  }
}

async function multipart(client: S3Client, upload: FileUpload, partSize: number): Promise<void> {
  const created = await client.send(new CreateMultipartUploadCommand({ Bucket: upload.bucket, Key: upload.key, ...objectHeaders(upload) }), { abortSignal: upload.signal });
  const uploadId = created.UploadId ?? '';
  const count = Math.ceil(upload.size / partSize);
  const etags: string[] = new Array<string>(count);
  let next = 0;
  let done = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    while (next < count && !failed) {
      const index = next++;
      const start = index * partSize;
      const end = Math.min(upload.size, start + partSize) - 1;
      try {
        etags[index] = await uploadPart(client, upload, uploadId, index + 1, { start, end }, () => failed);
      } catch (error) {
        failed = true; // the other lanes finish their part and take no more
        throw error;
      }
      done += end - start + 1;
      upload.onProgress?.(done);
    }
  };
  try {
    // Every lane settles before the upload is completed or aborted: no part is sent afterwards.
    const lanes = await Promise.allSettled(Array.from({ length: Math.min(CONCURRENCY, count) }, lane));
    const failure = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
    if (failure !== undefined) throw failure.reason;
    const parts = etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 }));
    await client.send(new CompleteMultipartUploadCommand({ Bucket: upload.bucket, Key: upload.key, UploadId: uploadId, MultipartUpload: { Parts: parts } }), { abortSignal: upload.signal });
  } catch (error) {
    await client.send(new AbortMultipartUploadCommand({ Bucket: upload.bucket, Key: upload.key, UploadId: uploadId })).catch(() => undefined);
    throw error;
  }
}

export async function uploadFile(client: S3Client, upload: FileUpload): Promise<void> {
  const partSize = Math.max(upload.partSize, MIN_PART_BYTES, Math.ceil(upload.size / 9000));
  if (upload.size > partSize) return multipart(client, upload, partSize);
  await client.send(
    new PutObjectCommand({ Bucket: upload.bucket, Key: upload.key, ...objectHeaders(upload), ContentLength: upload.size, Body: createReadStream(upload.path) }),
    { abortSignal: upload.signal },
  );
  upload.onProgress?.(upload.size);
}
