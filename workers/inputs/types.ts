// Input adapters: each fetches one kind of input source into the job's folder.
import type { SingleInputSource } from '../../src/core/process/record.js';
import type { ListedKind, ListedPlace } from '../../src/core/remote/listings.js';
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

/** One object a listing found: its full name in the store (or path on the server) and size. */
export interface ListedObject {
  readonly name: string;
  readonly size: number;
}

/** The listing ability of a storage (imports of a prefix or folder); separate from fetching. */
export interface InputLister<K extends ListedKind> {
  /**
   * The regular objects whose names start with `prefix` (an SFTP folder's regular files, no
   * sub-folders), folder markers (names ending in "/") left out, in the store's order, at most
   * `limit` of them (callers ask one more than they accept, to tell "too many"). Rejects with an
   * AppError naming the storage, never a secret.
   */
  list(place: Extract<ListedPlace, { kind: K }>, prefix: string, limit: number, context: InputContext): Promise<ListedObject[]>;
}

export type InputListers = { readonly [K in ListedKind]: InputLister<K> };
