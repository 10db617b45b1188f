// User-side object storages of API v2 (Azure Blob, Google Cloud Storage, OpenStack Swift) behind
// one small interface; cloudInput and cloudOutput turn any of them into the worker's input
// adapter and output deliverer, so size limits, cleanup and messages live in one place.
import type { Readable } from 'node:stream';
import type { CloudInputSource, CloudOutputTarget, CloudSecret, CloudStorage } from '../../src/core/remote/cloud-locations.js';
import type { ListedObject } from '../inputs/types.js';
import type { RemoteSettings } from '../remote/settings.js';

export type CloudPlace<K extends CloudStorage> = Extract<CloudInputSource | CloudOutputTarget, { readonly kind: K }>;
export type CloudSecretOf<K extends CloudStorage> = Extract<CloudSecret, { readonly kind: K }>;

/** A local file to upload. */
export interface CloudLocalFile {
  readonly path: string;
  readonly size: number;
  readonly contentType: string;
}

/** One authenticated connection to a container or bucket. */
export interface CloudSession {
  /** Opens the object for reading (streamed); `size` when the store tells it. Rejects with CloudStoreError. */
  read(name: string, signal: AbortSignal): Promise<{ readonly body: Readable; readonly size?: number }>;
  /** Streams the file into the object; the object is only visible once complete. Rejects with CloudStoreError. */
  write(name: string, file: CloudLocalFile, signal: AbortSignal, onProgress: (bytes: number) => void): Promise<void>;
  /** Removes the object if it exists (cleanup after a failed delivery); never rejects for a missing one. */
  remove(name: string): Promise<void>;
  /** Releases its connections; called once, after the last call above. */
  close(): void;
}

export interface CloudStore<K extends CloudStorage> {
  /** Who presents the credentials, for messages: "account devstoreaccount1" (never a secret). */
  who(place: CloudPlace<K>, secret: CloudSecretOf<K>): string;
  /** Authenticates (where the store needs a token first); rejects with CloudStoreError. */
  connect(place: CloudPlace<K>, secret: CloudSecretOf<K>, settings: RemoteSettings, signal: AbortSignal): Promise<CloudSession>;
}

/** A session that can also list (imports of a prefix). */
export interface CloudListingSession extends CloudSession {
  /**
   * The objects whose names start with `prefix`, folder markers (names ending in "/") left out,
   * following the store's paging until `limit` objects or the end. Rejects with CloudStoreError.
   */
  list(prefix: string, limit: number, signal: AbortSignal): Promise<ListedObject[]>;
}

/** A store whose sessions list too. */
export interface ListableCloudStore<K extends CloudStorage> extends CloudStore<K> {
  connect(place: CloudPlace<K>, secret: CloudSecretOf<K>, settings: RemoteSettings, signal: AbortSignal): Promise<CloudListingSession>;
}

/** Why a storage call failed, so one place words the message. */
export const CLOUD_FAILURES = ['credentials', 'not-found', 'failed'] as const;
export type CloudFailure = (typeof CLOUD_FAILURES)[number];

export class CloudStoreError extends Error {
  constructor(
    readonly reason: CloudFailure,
    /** The store's own words (status, code); secrets are cut out before it is shown. */
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${reason}: ${detail}`, options);
    this.name = 'CloudStoreError';
  }
}

/** The reason for an HTTP status of a storage API. */
export const reasonOfStatus = (status: number | undefined): CloudFailure => (status === 401 || status === 403 ? 'credentials' : status === 404 ? 'not-found' : 'failed');
