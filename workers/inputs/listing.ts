// A listing source (API v2's key_prefix, blob_prefix, file_prefix, SFTP path) becomes several
// named inputs: the storage lists the objects, bounded in count and total size, and each object
// is fetched as one input named after its last segment (unique and safe, whatever the object's
// name: "../x" and "a/../../b" are only names there, here they become "x" and "b").
import { appError } from '../../src/core/errors.js';
import { cleanFilename, uniqueNames } from '../../src/core/filenames.js';
import type { NamedInput } from '../../src/core/process/record.js';
import { describeListing, MAX_LISTED_OBJECTS, objectSource, type ListedKind, type ListedPlace, type ListingSource } from '../../src/core/remote/listings.js';
import { lastSegment } from '../../src/core/remote/paths.js';
import type { InputContext, InputListers, ListedObject } from './types.js';

type PlaceOf<K extends ListedKind> = Extract<ListedPlace, { kind: K }>;

function listWith<K extends ListedKind>(listers: InputListers, kind: K, place: PlaceOf<K>, prefix: string, limit: number, context: InputContext): Promise<ListedObject[]> {
  return listers[kind].list(place, prefix, limit, context);
}

/** Whether a listed name is a "folder" placeholder some consoles create (nothing to import). */
export const isFolderMarker = (name: string): boolean => name.endsWith('/');

/** Lists the source and names each object; fails with a clear message when there is nothing or too much. */
export async function expandListing(listers: InputListers, source: ListingSource, context: InputContext, maxObjects = MAX_LISTED_OBJECTS): Promise<NamedInput[]> {
  const listed = await listWith(listers, source.place.kind, source.place, source.prefix, maxObjects + 1, context);
  const objects = listed.filter((o) => !isFolderMarker(o.name));
  const where = describeListing(source);
  if (objects.length === 0) throw appError('INPUT_UNAVAILABLE', `There is no object ${where}. Check the prefix (it matches the start of object names, case-sensitively) and the container or bucket.`);
  if (objects.length > maxObjects) throw appError('TOO_LARGE', `There are more than ${maxObjects} objects ${where}; one import brings at most ${maxObjects}. Use a longer prefix, or several import tasks.`);
  const total = objects.reduce((sum, o) => sum + o.size, 0);
  if (total > context.maxBytes) throw appError('TOO_LARGE', `The ${objects.length} objects ${where} have ${total} bytes together, more than the limit of ${context.maxBytes} bytes for one task's input. Use a longer prefix, or several import tasks.`);
  const names = uniqueNames(objects.map((o, i) => cleanFilename(lastSegment(o.name), `file-${i + 1}`)));
  return objects.map((o, i) => ({ source: objectSource(source.place, o.name), filename: names[i] ?? `file-${i + 1}` }));
}
