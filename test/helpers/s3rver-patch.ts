// A fix for the test S3 server, not for the product. s3rver's filesystem store cleans up after
// a delete by checking that a folder is empty and then removing it with `rm -rf`; a PUT that
// lands in that folder between the check and the removal is wiped with it (seen: an input
// stored under processes/<Y>/ vanished while processes/<X>/ was being deleted). Real S3 has
// no folders. The cleanup here removes only folders that are empty at the moment of removal.
import { readdir, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';

interface FilesystemStore {
  getResourcePath(bucket: string, key: string, resource: string): string;
  getBucketPath(bucket: string): string;
  deleteObject(bucket: string, key: string): Promise<void>;
}

let patched = false;

export function patchS3rverDeleteRace(): void {
  if (patched) return;
  patched = true;
  const require = createRequire(import.meta.url);
  const Store = require('@20minutes/s3rver/lib/stores/filesystem.js') as { prototype: FilesystemStore };
  Store.prototype.deleteObject = async function deleteObject(this: FilesystemStore, bucket: string, key: string): Promise<void> {
    await Promise.all(
      ['object', 'object.md5', 'metadata.json'].map((resource) =>
        unlink(this.getResourcePath(bucket, key, resource)).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        }),
      ),
    );
    const parts = key.split('/');
    parts.pop();
    while (parts.length > 0) {
      const dir = path.join(this.getBucketPath(bucket), ...parts);
      if ((await readdir(dir).catch(() => ['?'])).length > 0) return;
      // rmdir (not rm -rf) fails if a concurrent PUT has just put something here: keep it then.
      if (!(await rmdir(dir).then(() => true, () => false))) return;
      parts.pop();
    }
  };
}
