// Azure Blob Storage through @azure/storage-blob: an account key (Shared Key) or a SAS token.
// Downloads stream the blob; uploads stream the file from disk in 8 MiB blocks, 4 at a time
// (so memory stays near 32 MiB whatever the size), committed only when all blocks are there.
import { AnonymousCredential, BlobServiceClient, RestError, StorageSharedKeyCredential, type ContainerClient, type StoragePipelineOptions } from '@azure/storage-blob';
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { guardedLookup } from '../../src/core/net/address-guard.js';
import { assertHostResolvesPublic } from './http.js';
import { CloudStoreError, reasonOfStatus, type CloudListingSession, type CloudPlace, type ListableCloudStore } from './types.js';

const BLOCK_BYTES = 8 * 1024 * 1024;
const CONCURRENCY = 4;

/** The account's blob service URL: the given endpoint (Azurite, Azure Stack) or Azure's. */
export const azureAccountUrl = (place: CloudPlace<'azure-blob'>): string => place.endpoint ?? `https://${place.account}.blob.core.windows.net`;

function failure(error: unknown): CloudStoreError {
  if (error instanceof CloudStoreError) return error;
  if (error instanceof RestError) {
    const code = typeof error.code === 'string' ? error.code : undefined;
    // The message of a 403 repeats the string-to-sign; the status and code say enough.
    const detail = `HTTP ${error.statusCode ?? '?'}${code === undefined ? '' : ` ${code}`}`;
    return new CloudStoreError(reasonOfStatus(error.statusCode), detail, { cause: error });
  }
  return new CloudStoreError('failed', error instanceof Error ? error.message.split('\n')[0] ?? 'error' : String(error), { cause: error });
}

function session(container: ContainerClient, agent: http.Agent): CloudListingSession {
  return {
    async list(prefix, limit, signal) {
      const objects: { name: string; size: number }[] = [];
      try {
        // listBlobsFlat follows the continuation marker page by page.
        for await (const blob of container.listBlobsFlat({ prefix, abortSignal: signal })) {
          if (blob.name.endsWith('/')) continue;
          objects.push({ name: blob.name, size: blob.properties.contentLength ?? 0 });
          if (objects.length >= limit) break;
        }
        return objects;
      } catch (error) {
        throw failure(error);
      }
    },
    async read(name, signal) {
      try {
        const answer = await container.getBlobClient(name).download(0, undefined, { abortSignal: signal });
        const body = answer.readableStreamBody as Readable | undefined;
        if (body === undefined) throw new CloudStoreError('failed', 'the blob has no body');
        return { body, ...(answer.contentLength === undefined ? {} : { size: answer.contentLength }) };
      } catch (error) {
        throw failure(error);
      }
    },
    async write(name, file, signal, onProgress) {
      try {
        await container.getBlockBlobClient(name).uploadFile(file.path, {
          blockSize: BLOCK_BYTES,
          concurrency: CONCURRENCY,
          maxSingleShotSize: BLOCK_BYTES,
          abortSignal: signal,
          blobHTTPHeaders: { blobContentType: file.contentType },
          onProgress: (progress) => onProgress(progress.loadedBytes),
        });
      } catch (error) {
        throw failure(error);
      }
    },
    async remove(name) {
      await container.getBlobClient(name).deleteIfExists();
    },
    close: () => agent.destroy(),
  };
}

export const azureBlobStore: ListableCloudStore<'azure-blob'> = {
  who: (place) => `account ${place.account}`,
  async connect(place, secret, settings) {
    const base = new URL(azureAccountUrl(place));
    await assertHostResolvesPublic(base, settings);
    // Every connection resolves through the guard (the check above gives the early, clear
    // message; the agent closes the gap of a name that resolves differently later).
    const agentOptions = { keepAlive: true, lookup: guardedLookup(settings) };
    const agent = base.protocol === 'https:' ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
    // No redirects: a Location (an IP literal needs no lookup) would skip the guard above.
    const options = { retryOptions: { maxTries: 2, tryTimeoutInMs: settings.timeoutMs }, agent, redirectOptions: { maxRetries: 0 } } as StoragePipelineOptions;
    const client =
      secret.sasToken !== undefined
        ? new BlobServiceClient(`${base.toString().replace(/\/$/, '')}?${secret.sasToken.replace(/^\?/, '')}`, new AnonymousCredential(), options)
        : new BlobServiceClient(base.toString().replace(/\/$/, ''), new StorageSharedKeyCredential(place.account, secret.accessKey ?? ''), options);
    return session(client.getContainerClient(place.container), agent);
  },
};
