// The server's own file store (uploads, outputs) behind one small interface. Every backend
// (local disk, S3) passes the same conformance suite in test/storage.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

export interface StoredFile {
  readonly size: number;
}

/** A stored file being read, with its size as the look-up that opened it found it. */
export interface StoredStream {
  readonly stream: Readable;
  /** Bytes of the file; undefined when the backend did not say. */
  readonly size: number | undefined;
}

export interface FileStore {
  /**
   * Streams `source` into `key`. Atomic: readers see the whole file or nothing, and a failed or
   * too large write leaves nothing behind. Rejects with TOO_LARGE once `maxBytes` is exceeded.
   */
  put(key: string, source: Readable, options?: { readonly maxBytes?: number }): Promise<StoredFile>;
  /** Copies a local file (a worker's temp file) into `key`, atomically. */
  putFile(key: string, localPath: string): Promise<StoredFile>;
  /** A stream of the file and its size; rejects with FILE_NOT_FOUND when it does not exist. */
  get(key: string): Promise<StoredStream>;
  /** Copies `key` to a local path (a worker's temp folder). Rejects with FILE_NOT_FOUND. */
  getToFile(key: string, localPath: string): Promise<StoredFile>;
  /** Size of the file, or undefined when it does not exist. */
  stat(key: string): Promise<StoredFile | undefined>;
  /** Removes every file whose key starts with `prefix` + "/". Missing files are not an error. */
  deleteFolder(prefix: string): Promise<void>;
  /** Rejects when the store cannot be used (folder or bucket missing, no access); never writes. For readiness. */
  probe(): Promise<void>;
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

/** Longest key segment made from a file name: file systems allow 255 bytes per name. */
const MAX_NAME_SEGMENT = 240;

/**
 * A client's file name as one key segment: URI-encoded (ASCII, no "/"), or, when that would be too
 * long for a file system (a valid 255-byte name grows up to threefold when encoded), its SHA-256.
 */
function nameSegment(filename: string): { folder: string; segment: string } {
  const encoded = encodeURIComponent(filename);
  if (encoded.length <= MAX_NAME_SEGMENT) return { folder: 'output', segment: encoded };
  // A folder of their own, so a hash can never collide with the encoding of another name.
  return { folder: 'output-hashed', segment: createHash('sha256').update(filename).digest('hex') };
}

/** Where each process keeps its files. File names are URI-encoded into one segment. */
export const storageKeys = {
  folder: (processId: string): string => `processes/${processId}`,
  /** The first (or only) input is `input`; further inputs of mode=combine/archive are `input-<n>`. */
  input: (processId: string, index = 0): string => (index === 0 ? `processes/${processId}/input` : `processes/${processId}/input-${index}`),
  output: (processId: string, filename: string): string => {
    const { folder, segment } = nameSegment(filename);
    return `processes/${processId}/${folder}/${segment}`;
  },
  archive: (processId: string): string => `processes/${processId}/archive.zip`,
};
