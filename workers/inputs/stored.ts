// Inputs that the API already put into the file store (upload, raw, base64).
import { appError } from '../../src/core/errors.js';
import type { FileStore } from '../../src/core/storage/file-store.js';
import type { InputAdapter } from './types.js';

export function storedInput(store: FileStore): InputAdapter<'stored'> {
  return {
    async fetch(source, destination) {
      try {
        return (await store.getToFile(source.key, destination)).size;
      } catch (error) {
        if ((error as { code?: string }).code === 'FILE_NOT_FOUND') throw appError('INPUT_UNAVAILABLE', 'The uploaded input file is gone (the process was deleted or expired).');
        throw error;
      }
    },
  };
}
