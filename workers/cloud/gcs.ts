// Google Cloud Storage through @google-cloud/storage (JSON API and multipart upload API), with
// the access token of gcs-token.ts. Downloads and uploads stream; an upload sends the file in one
// request that GCS commits only when complete.
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiError, Storage, type Bucket, type File, type GetFilesOptions, type StorageOptions } from '@google-cloud/storage';
import { assertHostResolvesPublic } from './http.js';
import { fetchAccessToken, GOOGLE_TOKEN_URI } from './gcs-token.js';
import { CloudStoreError, reasonOfStatus, type CloudListingSession, type ListableCloudStore } from './types.js';

function failure(error: unknown): CloudStoreError {
  if (error instanceof CloudStoreError) return error;
  if (error instanceof ApiError) return new CloudStoreError(reasonOfStatus(error.code), `HTTP ${error.code ?? '?'}: ${error.message.split('\n')[0] ?? ''}`.slice(0, 300), { cause: error });
  const status = (error as { code?: unknown; status?: unknown }).code ?? (error as { status?: unknown }).status;
  return new CloudStoreError(reasonOfStatus(typeof status === 'number' ? status : undefined), error instanceof Error ? (error.message.split('\n')[0] ?? 'error') : String(error), { cause: error });
}

/** The smallest auth client the library needs: it only asks for request headers. */
function tokenAuth(token: string): NonNullable<StorageOptions['authClient']> {
  const client = {
    universeDomain: 'googleapis.com',
    getRequestHeaders: async () => ({ Authorization: `Bearer ${token}` }),
    getUniverseDomain: async () => 'googleapis.com',
    getClient: async () => client,
    getProjectId: async () => undefined,
    authorizeRequest: async (options: { headers?: Record<string, string> }) => ({ ...options, headers: { ...options.headers, Authorization: `Bearer ${token}` } }),
  };
  return client as unknown as NonNullable<StorageOptions['authClient']>;
}

function session(bucket: Bucket): CloudListingSession {
  return {
    async list(prefix, limit, signal) {
      const objects: { name: string; size: number }[] = [];
      try {
        // One page at a time (nextPageToken), so a huge bucket is never listed whole.
        let query: GetFilesOptions | undefined = { prefix, autoPaginate: false, maxResults: Math.min(1000, limit + 10) };
        while (query !== undefined && objects.length < limit) {
          const [files, next]: [File[], GetFilesOptions | null | undefined] = (await bucket.getFiles(query)) as unknown as [File[], GetFilesOptions | null | undefined];
          signal.throwIfAborted();
          for (const file of files) if (!file.name.endsWith('/') && objects.length < limit) objects.push({ name: file.name, size: Number(file.metadata.size ?? 0) || 0 });
          query = next?.pageToken === undefined ? undefined : { ...query, pageToken: next.pageToken };
        }
        return objects;
      } catch (error) {
        throw failure(error);
      }
    },
    async read(name, signal) {
      try {
        const file = bucket.file(name);
        const [metadata] = await file.getMetadata();
        signal.throwIfAborted();
        const size = metadata.size === undefined ? undefined : Number(metadata.size);
        const body = file.createReadStream({ validation: false });
        return { body, ...(size === undefined || !Number.isFinite(size) ? {} : { size }) };
      } catch (error) {
        throw failure(error);
      }
    },
    async write(name, file, signal, onProgress) {
      let bytes = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          bytes += chunk.length;
          onProgress(bytes);
          callback(null, chunk);
        },
      });
      try {
        const target = bucket.file(name).createWriteStream({ resumable: false, validation: false, contentType: file.contentType, metadata: { contentType: file.contentType } });
        await pipeline(createReadStream(file.path), counter, target, { signal });
      } catch (error) {
        throw failure(error);
      }
    },
    async remove(name) {
      await bucket.file(name).delete({ ignoreNotFound: true });
    },
    // gaxios keeps no per-session sockets worth closing (its agent is shared and bounded).
    close: () => undefined,
  };
}

export const gcsStore: ListableCloudStore<'gcs'> = {
  who: (place, secret) => `service account ${secret.clientEmail} (project ${place.projectId})`,
  async connect(place, secret, settings, signal) {
    const tokenUri = place.tokenUri ?? GOOGLE_TOKEN_URI;
    if (place.endpoint !== undefined) await assertHostResolvesPublic(new URL(place.endpoint), settings);
    const token = await fetchAccessToken(secret, tokenUri, settings, signal).catch((error: unknown) => {
      throw failure(error);
    });
    const storage = new Storage({
      projectId: place.projectId,
      authClient: tokenAuth(token),
      ...(place.endpoint === undefined ? {} : { apiEndpoint: place.endpoint, useAuthWithCustomEndpoint: true }),
      retryOptions: { maxRetries: 1, totalTimeout: Math.ceil(settings.timeoutMs / 1000) * 4 },
    });
    return session(storage.bucket(place.bucket));
  },
};
