// input=s3: streams the object `file` from the user's bucket into the job's folder, with the
// owner's size limit. Endpoints go through the private-address guard.
import { unlink } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { secretValues } from '../../src/core/remote/redact.js';
import { explainS3Error } from '../../src/core/remote/s3-errors.js';
import { endpointLabel, userS3Client } from '../remote/s3.js';
import { requireSecret, type RemoteSettings } from '../remote/settings.js';
import type { InputAdapter, InputLister, ListedObject } from './types.js';
import { refuseAnnouncedSize, writeWithinLimit } from './within-limit.js';

export function s3Input(settings: RemoteSettings): InputAdapter<'s3'> {
  return {
    async fetch(source, destination, context) {
      const secret = requireSecret(context.secret, 's3', 'input');
      const client = userS3Client(source, secret, settings);
      const failure = { direction: 'input', bucket: source.bucket, key: source.key, endpoint: endpointLabel(source), secrets: secretValues(secret) } as const;
      try {
        const answer = await client.send(new GetObjectCommand({ Bucket: source.bucket, Key: source.key }), { abortSignal: context.signal });
        refuseAnnouncedSize(answer.ContentLength, context.maxBytes, answer.Body as Readable | undefined);
        return await writeWithinLimit(answer.Body as Readable, destination, context.maxBytes, context.signal);
      } catch (error) {
        await unlink(destination).catch(() => undefined);
        if (context.signal.aborted) throw error;
        throw explainS3Error(error, failure);
      } finally {
        client.destroy();
      }
    },
  };
}

/** key_prefix: ListObjectsV2, page by page (ContinuationToken) until `limit` objects. */
export function s3Lister(settings: RemoteSettings): InputLister<'s3'> {
  return {
    async list(place, prefix, limit, context) {
      const secret = requireSecret(context.secret, 's3', 'input');
      const client = userS3Client(place, secret, settings);
      const objects: ListedObject[] = [];
      try {
        let token: string | undefined;
        do {
          const page = await client.send(new ListObjectsV2Command({ Bucket: place.bucket, Prefix: prefix, MaxKeys: Math.min(1000, limit + 10), ContinuationToken: token }), { abortSignal: context.signal });
          for (const item of page.Contents ?? []) if (item.Key !== undefined && !item.Key.endsWith('/') && objects.length < limit) objects.push({ name: item.Key, size: item.Size ?? 0 });
          token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
        } while (token !== undefined && objects.length < limit);
        return objects;
      } catch (error) {
        if (context.signal.aborted) throw error;
        throw explainS3Error(error, { direction: 'input', bucket: place.bucket, key: prefix, endpoint: endpointLabel(place), secrets: secretValues(secret) });
      } finally {
        client.destroy();
      }
    },
  };
}
