// The file store in an S3 bucket (STORAGE_URL=s3://bucket/prefix), so API and worker processes
// on different machines share uploads and outputs. An object appears only when its upload has
// completed (a failed multipart upload is aborted), which gives the same all-or-nothing writes
// as the local store's rename.
import { createWriteStream } from 'node:fs';
import { stat as statFile, unlink } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeleteObjectsCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { AppError, appError } from '../errors.js';
import { s3ErrorCode, uploadObject } from '../remote/s3.js';
import { uploadFile } from '../remote/s3-upload-file.js';
import { assertSafeKey, type DownloadLinks, type FileStore, type StoredFile, type StoredStream } from './file-store.js';
import { byteLimit } from './local-file-store.js';

export interface S3FileStoreSettings {
  readonly client: S3Client;
  readonly bucket: string;
  /** Key prefix inside the bucket, without leading or trailing "/"; "" for the bucket root. */
  readonly prefix: string;
  /** Bytes per part of multipart uploads. */
  readonly partSize: number;
}

// A missing bucket (NoSuchBucket) is a broken deployment, not a missing file.
const isMissing = (error: unknown): boolean => ['NoSuchKey', 'NotFound'].includes(s3ErrorCode(error));

/** The operator's store failing is the server's problem: a 503 for the API, a retry for a job. */
function unavailable(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return appError('UNAVAILABLE', `The server's file store (S3) failed: ${s3ErrorCode(error)}. Please try again later.`);
}

export class S3FileStore implements FileStore, DownloadLinks {
  constructor(private readonly settings: S3FileStoreSettings) {}

  private objectKey(key: string): string {
    assertSafeKey(key);
    return this.settings.prefix === '' ? key : `${this.settings.prefix}/${key}`;
  }

  private get client(): S3Client {
    return this.settings.client;
  }

  async put(key: string, source: Readable, options: { readonly maxBytes?: number } = {}): Promise<StoredFile> {
    const objectKey = this.objectKey(key);
    const counter = byteLimit(options.maxBytes ?? Number.MAX_SAFE_INTEGER);
    // The source feeds the counter, the upload reads it; whichever fails first stops the other.
    const feeding = pipeline(source, counter);
    const uploading = uploadObject(this.client, { bucket: this.settings.bucket, key: objectKey, body: counter, size: options.maxBytes, partSize: this.settings.partSize });
    uploading.catch((error: unknown) => counter.destroy(error instanceof Error ? error : new Error(String(error))));
    const [fed, uploaded] = await Promise.allSettled([feeding, uploading]);
    if (fed.status === 'rejected') throw fed.reason; // the source broke or was too large
    if (uploaded.status === 'rejected') throw unavailable(uploaded.reason);
    return { size: counter.bytes };
  }

  async putFile(key: string, localPath: string): Promise<StoredFile> {
    const objectKey = this.objectKey(key);
    const { size } = await statFile(localPath);
    try {
      await uploadFile(this.client, { bucket: this.settings.bucket, key: objectKey, path: localPath, size, partSize: this.settings.partSize });
    } catch (error) {
      throw unavailable(error);
    }
    return { size };
  }

  private async open(key: string): Promise<{ body: Readable; size: number | undefined }> {
    const objectKey = this.objectKey(key);
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: objectKey }));
      return { body: answer.Body as Readable, size: answer.ContentLength };
    } catch (error) {
      throw isMissing(error) ? appError('FILE_NOT_FOUND') : unavailable(error);
    }
  }

  async get(key: string): Promise<StoredStream> {
    const { body, size } = await this.open(key);
    return { stream: body, size };
  }

  async getToFile(key: string, localPath: string): Promise<StoredFile> {
    const { body } = await this.open(key);
    try {
      await pipeline(body, createWriteStream(localPath));
    } catch (error) {
      await unlink(localPath).catch(() => undefined);
      throw unavailable(error);
    }
    return { size: (await statFile(localPath)).size };
  }

  async probe(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.settings.bucket }));
    } catch (error) {
      throw appError('UNAVAILABLE', `The file store's bucket ${this.settings.bucket} cannot be used: ${s3ErrorCode(error)}.`);
    }
  }

  async stat(key: string): Promise<StoredFile | undefined> {
    const objectKey = this.objectKey(key);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key: objectKey }));
      return { size: head.ContentLength ?? 0 };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw unavailable(error);
    }
  }

  async deleteFolder(prefix: string): Promise<void> {
    const folder = `${this.objectKey(prefix)}/`;
    try {
      let token: string | undefined;
      do {
        const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.settings.bucket, Prefix: folder, ContinuationToken: token }));
        const keys = (page.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [{ Key: o.Key }]));
        if (keys.length > 0) await this.client.send(new DeleteObjectsCommand({ Bucket: this.settings.bucket, Delete: { Objects: keys, Quiet: true } }));
        token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
    } catch (error) {
      throw unavailable(error);
    }
  }

  async downloadLink(key: string, options: { readonly filename: string; readonly contentType: string; readonly inline: boolean; readonly expiresSeconds: number }): Promise<string> {
    const ascii = options.filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
    const disposition = `${options.inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(options.filename)}`;
    const command = new GetObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key), ResponseContentDisposition: disposition, ResponseContentType: options.contentType });
    return getSignedUrl(this.client, command, { expiresIn: options.expiresSeconds });
  }
}
