// output=s3: each file becomes one object (multipart for large files, each part streamed from
// disk), with the asked canned ACL and its content type. A failure removes the objects this
// delivery already wrote; an object being written only appears when its upload completes.
import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { mimeForFilename } from '../../src/core/catalog/index.js';
import { targetPaths } from '../../src/core/remote/paths.js';
import { secretValues } from '../../src/core/remote/redact.js';
import { explainS3Error } from '../../src/core/remote/s3-errors.js';
import { uploadFile } from '../../src/core/remote/s3-upload-file.js';
import { endpointLabel, userS3Client } from '../remote/s3.js';
import { requireSecret, type RemoteSettings } from '../remote/settings.js';
import type { OutputDeliverer } from './types.js';

async function removeAll(client: S3Client, bucket: string, keys: readonly string[]): Promise<void> {
  for (const key of keys) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
}

export function s3Output(settings: RemoteSettings): OutputDeliverer<'s3'> {
  return {
    async deliver(target, files, context) {
      const secret = requireSecret(context.secret, 's3', 'output');
      const client = userS3Client(target, secret, settings);
      const keys = targetPaths(target.path, files.map((f) => f.name));
      const written: string[] = [];
      let done = 0;
      try {
        for (const [i, file] of files.entries()) {
          const key = keys[i] ?? file.name;
          await uploadFile(client, {
            bucket: target.bucket,
            key,
            path: file.path,
            size: file.size,
            ...(target.acl === undefined ? {} : { acl: target.acl }),
            ...(target.object === undefined ? {} : { object: target.object }),
            contentType: mimeForFilename(file.name),
            partSize: settings.partSizeBytes,
            signal: context.signal,
            onProgress: (loaded) => context.progress(done + loaded),
          });
          written.push(key);
          done += file.size;
        }
      } catch (error) {
        await removeAll(client, target.bucket, written);
        client.destroy();
        if (context.signal.aborted) throw error;
        throw explainS3Error(error, { direction: 'output', bucket: target.bucket, key: keys[written.length] ?? '', endpoint: endpointLabel(target), secrets: secretValues(secret) });
      }
      client.destroy();
      const place = { bucket: target.bucket, region: target.region, ...(target.endpoint === undefined ? {} : { endpoint: target.endpoint }) };
      return { type: 's3', place, files: keys };
    },
  };
}
