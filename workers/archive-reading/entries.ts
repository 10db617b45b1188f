// Pure checks over an archive's listing: which entries may be extracted, whether the archive is
// a bomb, and the flat, unique, safe name each extracted file gets.
import { appError, type AppError } from '../../src/core/errors.js';
import { splitFilename } from '../../src/core/filenames.js';

/** One entry as the archive declares it (type as tar-stream names it). */
export interface ArchiveEntry {
  readonly name: string;
  readonly type: string;
  /** Its real size in bytes (counted while reading, not the header's word). */
  readonly size: number;
  /** For links: where the link points. */
  readonly linkname?: string | null;
}

export interface ExtractLimits {
  readonly maxEntries: number;
  readonly maxTotalBytes: number;
  readonly maxRatio: number;
}

/** Below this many bytes the ratio limit does not apply: small text files compress very well. */
export const RATIO_FLOOR_BYTES = 1024 * 1024;

const FILE_TYPES = new Set(['file', 'contiguous-file']);
const REFUSED_TYPES: Readonly<Record<string, string>> = {
  symlink: 'a symbolic link',
  link: 'a hard link',
  'character-device': 'a device file',
  'block-device': 'a device file',
  fifo: 'a FIFO (named pipe)',
};

const refusal = (message: string): AppError => appError('CONVERSION_FAILED', `The archive was not extracted: ${message}`);
const shown = (name: string): string => JSON.stringify(name.length > 120 ? `${name.slice(0, 120)}...` : name);
const mb = (bytes: number): string => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;

/** Path segments of an entry name; "\" counts as a separator too (archives made on Windows). */
function segments(name: string): string[] {
  return name.split(/[/\\]/).filter((s) => s !== '' && s !== '.');
}

/** Throws when the entry must not be extracted: a path leaving the folder, a link, a device. */
export function checkEntry(entry: ArchiveEntry): void {
  if (/^[/\\]/.test(entry.name) || /^[A-Za-z]:/.test(entry.name)) {
    throw refusal(`entry ${shown(entry.name)} has an absolute path. Only relative paths inside the archive are extracted.`);
  }
  if (segments(entry.name).includes('..')) {
    throw refusal(`entry ${shown(entry.name)} has ".." in its path, which would place it outside the output folder (zip slip).`);
  }
  const refused = REFUSED_TYPES[entry.type];
  if (refused !== undefined) {
    const target = entry.linkname ? ` to ${shown(entry.linkname)}` : '';
    throw refusal(`entry ${shown(entry.name)} is ${refused}${target}. Only regular files and folders are extracted.`);
  }
  if (!FILE_TYPES.has(entry.type) && entry.type !== 'directory') {
    throw refusal(`entry ${shown(entry.name)} is of type ${entry.type}. Only regular files and folders are extracted.`);
  }
  if (FILE_TYPES.has(entry.type) && segments(entry.name).length === 0) throw refusal(`a file entry has no name (${shown(entry.name)}).`);
}

/** The most bytes an archive of `archiveSize` bytes may expand to, and which limit sets it. */
export function byteBudget(archiveSize: number, limits: ExtractLimits): { readonly bytes: number; readonly by: 'total' | 'ratio' } {
  const byRatio = Math.max(RATIO_FLOOR_BYTES, archiveSize * limits.maxRatio);
  return byRatio < limits.maxTotalBytes ? { bytes: byRatio, by: 'ratio' } : { bytes: limits.maxTotalBytes, by: 'total' };
}

/**
 * Throws when `entries` entries or `totalBytes` bytes are past a limit. Called as the archive is
 * read (so a lying header cannot make the reader run on) and again over the whole listing.
 */
export function checkTotals(entries: number, totalBytes: number, archiveSize: number, limits: ExtractLimits): void {
  if (entries > limits.maxEntries) {
    throw refusal(`it has more than ${limits.maxEntries} entries (limit ARCHIVE_MAX_ENTRIES = ${limits.maxEntries}).`);
  }
  const budget = byteBudget(archiveSize, limits);
  if (totalBytes <= budget.bytes) return;
  if (budget.by === 'total') {
    throw refusal(`its files add up to more than ${mb(limits.maxTotalBytes)} (limit ARCHIVE_MAX_TOTAL_MB = ${Math.round(limits.maxTotalBytes / (1024 * 1024))}).`);
  }
  throw refusal(
    `it expands to more than ${limits.maxRatio} times its own size of ${archiveSize} bytes (limit ARCHIVE_MAX_RATIO = ${limits.maxRatio}), as extraction bombs do.`,
  );
}

const MAX_NAME_BYTES = 255;

/** Drops characters from the front until the name fits in `bytes` (the end holds the extension). */
function fitFromEnd(name: string, bytes: number): string {
  const chars = Array.from(name);
  while (chars.length > 1 && Buffer.byteLength(chars.join('')) > bytes) chars.shift();
  return chars.join('');
}

/**
 * The flat name of a file entry: its path segments joined with "_" (`docs/en/a.txt` becomes
 * `docs_en_a.txt`), so files of the same name in different folders stay distinguishable.
 * Control characters and lone surrogates become "_".
 */
export function flatName(entryName: string): string {
  const joined = segments(entryName)
    .map((s) => Array.from(s.replace(/[\u0000-\u001f\u007f]/g, '_'), (c) => (c.isWellFormed() ? c : '_')).join(''))
    .join('_');
  const name = fitFromEnd(joined, MAX_NAME_BYTES);
  return name === '..' ? '_.' : name;
}

/** `name`, or `name-2.ext`, `name-3.ext`... : the first not in `taken` (compared case-insensitively). */
export function uniqueName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name.toLowerCase())) return name;
  const { name: stem, ext: lowerExt } = splitFilename(name);
  const ext = name.slice(name.length - lowerExt.length); // as written, not lower-cased
  for (let n = 2; ; n++) {
    const suffix = `-${n}${ext === '' ? '' : `.${ext}`}`;
    const candidate = fitFromEnd(stem, MAX_NAME_BYTES - Buffer.byteLength(suffix)) + suffix;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}

export interface PlannedFile {
  /** Position of the entry in the archive's listing. */
  readonly index: number;
  /** The flat output name. */
  readonly name: string;
  readonly size: number;
}

/**
 * Checks a whole listing (every entry, the entry count, the expanded size) and names the files
 * to write, in archive order. Folders are not outputs; an archive without files is refused.
 */
export function planExtraction(entries: readonly ArchiveEntry[], archiveSize: number, limits: ExtractLimits): PlannedFile[] {
  entries.forEach(checkEntry);
  checkTotals(entries.length, entries.reduce((sum, e) => sum + e.size, 0), archiveSize, limits);
  const taken = new Set<string>();
  const files: PlannedFile[] = [];
  entries.forEach((entry, index) => {
    if (!FILE_TYPES.has(entry.type)) return;
    const name = uniqueName(flatName(entry.name), taken);
    taken.add(name.toLowerCase());
    files.push({ index, name, size: entry.size });
  });
  if (files.length === 0) throw appError('CONVERSION_FAILED', 'The archive contains no files (only folders, or nothing).');
  return files;
}
