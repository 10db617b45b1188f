// The checks of API v2's metadata/write: which tag names and values may reach exiftool. Pure, so
// the API refuses bad ones with a 422 and the worker's command builder checks them again.
import { EXIFTOOL_UNSAFE_TAGS } from './metadata-unsafe-tags.js';

/** Most tags one task writes. */
export const MAX_METADATA_TAGS = 50;
/** Longest value, in characters. */
export const MAX_METADATA_VALUE = 2000;

/**
 * `[Group:[Group:]]Name`: letters and digits, `-` only inside a part (`XMP-dc:Title`, `Title-de`).
 * Nothing exiftool reads as syntax gets through: no `<` (copy from a file or tag), no `+-^` before
 * `=` (add, remove, delete), no `#`, `*`, `@`, spaces or leading `-`.
 */
const PART = '[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*';
export const METADATA_TAG_NAME = new RegExp(`^(?:${PART}:){0,2}${PART}$`);

/**
 * exiftool's pseudo-tags that act instead of being stored: writing them renames, moves, links
 * or re-dates the file, reads a GPS track from disk (Geotag), or replaces whole blocks.
 */
const ACTING_TAGS = ['Adobe', 'CanonDR4', 'CanonVRD', 'Directory', 'EXIF', 'ExifByteOrder', 'ExifUnicodeByteOrder', 'FileAccessDate', 'FileAttributes', 'FileCreateDate', 'FileGroupID', 'FileInodeChangeDate', 'FileModifyDate', 'FileName', 'FilePermissions', 'FileUserID', 'ForceWrite', 'Geosync', 'Geotag', 'Geotime', 'HardLink', 'ICC_Profile', 'IPTC', 'JpgFromRaw', 'OtherImage', 'PreviewImage', 'SphericalVideoXML', 'SymLink', 'TestName', 'ThumbnailImage', 'Trailer', 'XMP', 'ZoneIdentifier', 'All'];
/** Groups that describe the file or exiftool rather than the metadata inside it. */
const REFUSED_GROUPS = ['file', 'system', 'composite', 'exiftool', 'extra'];

const REFUSED = new Set([...ACTING_TAGS, ...EXIFTOOL_UNSAFE_TAGS].map((t) => t.toLowerCase()));

/** Why a tag name may not be written, or undefined when it may. */
export function metadataTagProblem(name: string): string | undefined {
  if (name.length > 100 || !METADATA_TAG_NAME.test(name)) {
    return `The tag name "${name.slice(0, 40)}" is not valid: use letters and digits, "-" inside a name, and at most two "Group:" prefixes (e.g. "Author", "XMP-dc:Title").`;
  }
  const parts = name.toLowerCase().split(':');
  const base = parts.at(-1) ?? '';
  if (REFUSED.has(base) || base.startsWith('mditem') || base.startsWith('xattr')) {
    return `The tag "${name}" cannot be written here: it renames, moves or re-dates the file, reads other files, or is a structural tag exiftool marks unsafe. Write descriptive tags such as Title, Author, Subject, Keywords, Copyright or Artist.`;
  }
  if (parts.slice(0, -1).some((group) => REFUSED_GROUPS.includes(group))) {
    return `The tag "${name}" names a group (${REFUSED_GROUPS.join(', ')}) that describes the file system or exiftool, not the file's metadata.`;
  }
  return undefined;
}

/** Why a value may not be written, or undefined; numbers are written as their decimal text. */
export function metadataValueProblem(name: string, value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `The value of "${name}" must be a finite number or a string.`;
  if (typeof value !== 'string') return `The value of "${name}" must be a string or a number.`;
  if (value.length > MAX_METADATA_VALUE) return `The value of "${name}" may have at most ${MAX_METADATA_VALUE} characters.`;
  if (/[\u0000-\u001f\u007f]/.test(value)) return `The value of "${name}" may not hold line breaks or other control characters.`;
  return undefined;
}

/**
 * The tags as exiftool receives them, or every problem by tag. Values stay strings; exiftool's
 * `-NAME=VALUE` form keeps each in one argument, so no value can start an option.
 */
export function checkMetadataTags(value: unknown): { tags: Record<string, string> } | { problems: string[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problems: ['The metadata field must be an object of tag names and string or number values, e.g. {"Title": "Report", "Author": "Ann"}.'] };
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return { problems: ['The metadata field must name at least one tag, e.g. {"Title": "Report"}.'] };
  if (entries.length > MAX_METADATA_TAGS) return { problems: [`The metadata field may name at most ${MAX_METADATA_TAGS} tags; it names ${entries.length}.`] };
  const problems = entries.flatMap(([name, v]) => [metadataTagProblem(name), metadataTagProblem(name) === undefined ? metadataValueProblem(name, v) : undefined]).filter((p): p is string => p !== undefined);
  if (problems.length > 0) return { problems };
  return { tags: Object.fromEntries(entries.map(([name, v]) => [name, String(v)])) };
}
