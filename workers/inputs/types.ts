// Input adapters: each fetches one kind of input source into the job's folder.
import type { SingleInputSource } from '../../src/core/process/record.js';
import type { RemoteSecret } from '../../src/core/remote/locations.js';

export interface InputContext {
  readonly signal: AbortSignal;
  /** The owner's upload limit; a larger input is refused with TOO_LARGE. */
  readonly maxBytes: number;
  /** The credentials for an S3, FTP or SFTP input (never stored with the process record). */
  readonly secret?: RemoteSecret;
}

export interface InputAdapter<K extends SingleInputSource['kind']> {
  /** Writes the input to `destination`; returns its size in bytes. */
  fetch(source: Extract<SingleInputSource, { kind: K }>, destination: string, context: InputContext): Promise<number>;
}

export type InputAdapters = { readonly [K in SingleInputSource['kind']]: InputAdapter<K> };
