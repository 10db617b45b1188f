// Inputs that the API already put into the file store (upload, raw, base64).
import { setTimeout as sleep } from 'node:timers/promises';
import { appError } from '../../src/core/errors.js';
import type { FileStore } from '../../src/core/storage/file-store.js';
import type { InputAdapter } from './types.js';

/**
 * A file the API has just stored can still be invisible to a GET on some S3-compatible
 * servers (seen with s3rver under load: NoSuchKey milliseconds after the PUT returned), so a
 * missing input is looked for a few more times before the process fails.
 */
const MISSING_RETRIES_MS = [100, 300, 600, 1000] as const;

const isMissing = (error: unknown): boolean => (error as { code?: string }).code === 'FILE_NOT_FOUND';

export function storedInput(store: FileStore): InputAdapter<'stored'> {
  return {
    async fetch(source, destination, context) {
      for (const delay of [...MISSING_RETRIES_MS, undefined]) {
        try {
          return (await store.getToFile(source.key, destination)).size;
        } catch (error) {
          if (!isMissing(error)) throw error;
          if (delay === undefined) break;
          await sleep(delay, undefined, { signal: context.signal });
        }
      }
      throw appError('INPUT_UNAVAILABLE', 'The uploaded input file is gone (the process was deleted or expired).');
    },
  };
}
