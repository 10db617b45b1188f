// Imports of every object under a prefix (S3, Azure Blob, GCS, Swift) or of every regular file
// in an SFTP folder (wire spec 6.1: key_prefix, blob_prefix, file_prefix, path). The process
// record keeps the place and the prefix; the worker lists it and fetches each object as one of
// several inputs, so the transfer plan hands them on as the task's files.
import type { AzureContainer, GcsBucket, SwiftContainer } from './cloud-locations.js';
import { describeTarget, type RemoteInputSource, type S3Bucket, type SftpServer } from './locations.js';

/** Most objects one listing import brings in; past it the task fails naming the limit. */
export const MAX_LISTED_OBJECTS = 100;

/** A storage place that can be listed (a single-object source without its object name). */
export type ListedPlace =
  | ({ readonly kind: 's3' } & S3Bucket)
  | ({ readonly kind: 'sftp' } & SftpServer)
  | ({ readonly kind: 'azure-blob' } & AzureContainer)
  | ({ readonly kind: 'gcs' } & GcsBucket)
  | ({ readonly kind: 'swift' } & SwiftContainer);
export type ListedKind = ListedPlace['kind'];

/**
 * Every object whose name starts with `prefix` (literally, as the stores match it; for SFTP the
 * folder's regular files, without sub-folders).
 */
export interface ListingSource {
  readonly kind: 'listing';
  readonly place: ListedPlace;
  readonly prefix: string;
}

/** The single-object source of one listed object. */
export function objectSource(place: ListedPlace, name: string): RemoteInputSource {
  switch (place.kind) {
    case 's3':
      return { ...place, key: name };
    case 'sftp':
      return { ...place, path: name };
    default:
      return { ...place, name };
  }
}

/** "under prefix p in S3 bucket b" / "in folder f on SFTP server h:22", for messages. */
export function describeListing(source: ListingSource): string {
  const where = describeTarget(objectSource(source.place, source.prefix));
  return source.place.kind === 'sftp' ? `in folder "${source.prefix}" on ${where}` : `under prefix "${source.prefix}" in ${where}`;
}
