// The one way every input adapter writes a user's file into the job's folder: a size the source
// announces is refused before any byte arrives, and the bytes themselves are counted against
// the owner's limit while they are written (an announced size can lie or be missing).
import { createWriteStream } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { appError } from '../../src/core/errors.js';
import { byteLimit } from '../../src/core/storage/local-file-store.js';

/** Refuses a size announced by the source (Content-Length, stat, SIZE) over the limit. */
export function refuseAnnouncedSize(size: number | undefined, maxBytes: number, source?: { destroy(): void }): void {
  if (size === undefined || !(size > maxBytes)) return;
  source?.destroy();
  throw appError('TOO_LARGE', `The input file (${size} bytes) is larger than the limit of ${maxBytes} bytes.`);
}

/** Streams a readable to `destination` within `maxBytes`; resolves to the bytes written. */
export async function writeWithinLimit(source: Readable, destination: string, maxBytes: number, signal?: AbortSignal): Promise<number> {
  const counter = byteLimit(maxBytes);
  await pipeline(source, counter, createWriteStream(destination), signal === undefined ? {} : { signal });
  return counter.bytes;
}

/**
 * For clients that write into a stream they are given (basic-ftp's downloadTo, ssh2-sftp-client's
 * get): `receive` writes into the sink, which counts and stores the bytes. When `receive` fails,
 * the file is closed before the error goes on, so the caller's unlink comes after it.
 */
export async function receiveWithinLimit(destination: string, maxBytes: number, receive: (sink: Writable) => Promise<unknown>): Promise<number> {
  const counter = byteLimit(maxBytes);
  const writing = pipeline(counter, createWriteStream(destination));
  try {
    await receive(counter);
  } catch (error) {
    counter.destroy();
    await writing.catch(() => undefined);
    throw error;
  }
  await writing;
  return counter.bytes;
}
