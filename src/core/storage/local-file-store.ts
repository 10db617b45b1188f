// The file store on local disk (DATA_DIR): writes go to a temp file in the same folder and are
// renamed into place, so a crash or an oversized upload never leaves a half-written file.
import { constants, createReadStream, createWriteStream, fstat } from 'node:fs';
import { once } from 'node:events';
import { access, copyFile, link, mkdir, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { appError } from '../errors.js';
import { assertSafeKey, type FileStore, type StoredFile, type StoredStream } from './file-store.js';

/** Counts bytes and fails with TOO_LARGE past the limit. */
export function byteLimit(maxBytes: number): Transform & { readonly bytes: number } {
  let bytes = 0;
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > maxBytes) callback(appError('TOO_LARGE', `The file is larger than the limit of ${maxBytes} bytes.`));
      else callback(null, chunk);
    },
  });
  return Object.defineProperty(transform, 'bytes', { get: () => bytes }) as Transform & { readonly bytes: number };
}

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * A hard link where the two paths share a file system (no bytes copied: a worker's temp folder
 * under DATA_DIR), else a copy. Files in the store are never written in place, so sharing the
 * inode is safe.
 */
async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (error) {
    if (isMissing(error)) throw error;
    await copyFile(from, to);
  }
}

export class LocalFileStore implements FileStore {
  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    assertSafeKey(key);
    const full = path.resolve(this.root, key);
    if (!full.startsWith(path.resolve(this.root) + path.sep)) throw new Error(`Storage key escapes the store: ${key}`);
    return full;
  }

  /** `write` fills the temporary file and answers its size. */
  private async atomically(key: string, write: (tempPath: string) => Promise<number>): Promise<StoredFile> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    // A short name of its own, not the target's plus a suffix: a target name near the file
    // system's 255-byte limit would push the temporary name over it (ENAMETOOLONG).
    const temp = path.join(path.dirname(target), `.partial-${randomBytes(8).toString('hex')}`);
    try {
      const size = await write(temp);
      await rename(temp, target);
      return { size };
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  }

  put(key: string, source: Readable, options: { readonly maxBytes?: number } = {}): Promise<StoredFile> {
    return this.atomically(key, async (temp) => {
      const out = createWriteStream(temp);
      try {
        if (options.maxBytes === undefined) await pipeline(source, out);
        else await pipeline(source, byteLimit(options.maxBytes), out);
      } catch (error) {
        // The file may still be opening when the pipeline fails: wait until it is closed, so
        // the cleanup's unlink comes after its creation and no .partial file is left behind.
        if (!out.closed) await once(out, 'close');
        throw error;
      }
      // Counted as written, so storing an upload takes no stat.
      return out.bytesWritten;
    });
  }

  putFile(key: string, localPath: string): Promise<StoredFile> {
    return this.atomically(key, async (temp) => {
      await linkOrCopy(localPath, temp);
      return (await stat(temp)).size;
    });
  }

  async get(key: string): Promise<StoredStream> {
    const file = this.pathOf(key);
    // Open first so a missing file is a clean FILE_NOT_FOUND, not a stream error mid-response;
    // the size is the open file's, so it is the size of what is sent.
    return new Promise((resolve, reject) => {
      const stream = createReadStream(file);
      stream.once('open', (fd: number) =>
        fstat(fd, (error, stats) => {
          if (error === null) return resolve({ stream, size: stats.size });
          stream.destroy();
          reject(error);
        }),
      );
      stream.once('error', (error) => reject(isMissing(error) ? appError('FILE_NOT_FOUND') : error));
    });
  }

  async getToFile(key: string, localPath: string): Promise<StoredFile> {
    try {
      await linkOrCopy(this.pathOf(key), localPath);
    } catch (error) {
      throw isMissing(error) ? appError('FILE_NOT_FOUND') : error;
    }
    return { size: (await stat(localPath)).size };
  }

  /** The folder exists, or can be made on the first write, and this process may write into it. */
  async probe(): Promise<void> {
    let folder = path.resolve(this.root);
    // A DATA_DIR not made yet is fine when its parent takes it: the first write creates it.
    while (!(await stat(folder).then(() => true, () => false))) {
      const parent = path.dirname(folder);
      if (parent === folder) break;
      folder = parent;
    }
    try {
      await access(folder, constants.W_OK | constants.X_OK);
    } catch (error) {
      throw appError('UNAVAILABLE', `The file store's folder ${folder} is not writable: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
    }
  }

  async stat(key: string): Promise<StoredFile | undefined> {
    try {
      const info = await stat(this.pathOf(key));
      return info.isFile() ? { size: info.size } : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async deleteFolder(prefix: string): Promise<void> {
    await rm(this.pathOf(prefix), { recursive: true, force: true });
  }
}
