// The server's own file store (uploads, outputs) behind one small interface. Every backend
// (local disk, S3) passes the same conformance suite in test/storage.
import type { Readable } from 'node:stream';

export interface StoredFile {
  readonly size: number;
}

export interface FileStore {
  /**
   * Streams `source` into `key`. Atomic: readers see the whole file or nothing, and a failed or
   * too large write leaves nothing behind. Rejects with TOO_LARGE once `maxBytes` is exceeded.
   */
  put(key: string, source: Readable, options?: { readonly maxBytes?: number }): Promise<StoredFile>;
  /** Copies a local file (a worker's temp file) into `key`, atomically. */
  putFile(key: string, localPath: string): Promise<StoredFile>;
  /** A stream of the file; rejects with FILE_NOT_FOUND when it does not exist. */
  get(key: string): Promise<Readable>;
  /** Copies `key` to a local path (a worker's temp folder). Rejects with FILE_NOT_FOUND. */
  getToFile(key: string, localPath: string): Promise<StoredFile>;
  /** Size of the file, or undefined when it does not exist. */
  stat(key: string): Promise<StoredFile | undefined>;
  /** Removes every file whose key starts with `prefix` + "/". Missing files are not an error. */
  deleteFolder(prefix: string): Promise<void>;
}

/** An optional ability: a time-limited URL a client can download a file from directly. */
export interface DownloadLinks {
  /** A URL valid for `expiresSeconds` that serves `key` with this name and type. */
  downloadLink(key: string, options: { readonly filename: string; readonly contentType: string; readonly inline: boolean; readonly expiresSeconds: number }): Promise<string>;
}

export const hasDownloadLinks = (store: FileStore): store is FileStore & DownloadLinks => typeof (store as Partial<DownloadLinks>).downloadLink === 'function';

const SEGMENT = /^[^\u0000-\u001f\u007f/\\]+$/;

/** Keys are "/"-separated segments; none may be empty, "." or "..". */
export function assertSafeKey(key: string): void {
  const segments = key.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..' || !SEGMENT.test(s))) {
    throw new Error(`Unsafe storage key: ${JSON.stringify(key)}`);
  }
}

/** Where each process keeps its files. File names are URI-encoded into one segment. */
export const storageKeys = {
  folder: (processId: string): string => `processes/${processId}`,
  /** The first (or only) input is `input`; further inputs of mode=combine/archive are `input-<n>`. */
  input: (processId: string, index = 0): string => (index === 0 ? `processes/${processId}/input` : `processes/${processId}/input-${index}`),
  output: (processId: string, filename: string): string => `processes/${processId}/output/${encodeURIComponent(filename)}`,
  archive: (processId: string): string => `processes/${processId}/archive.zip`,
};
