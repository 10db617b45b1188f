// File names from clients: validated where a client names a file on purpose (upload, filename),
// cleaned where the server derives one (a URL's last segment). Names never become paths on
// their own; storage keys are built from them only after these checks.
import { appError } from './errors.js';

const FORBIDDEN = /[\u0000-\u001f\u007f/\\]/;
const MAX_BYTES = 255;

export function isSafeFilename(name: string): boolean {
  return name.isWellFormed() && name !== '' && name !== '.' && name !== '..' && !FORBIDDEN.test(name) && Buffer.byteLength(name) <= MAX_BYTES;
}

/** For names a client chose: a clear 400 instead of silently changing what they asked for. */
export function validateFilename(name: string, field: string): string {
  const trimmed = name.trim();
  if (!isSafeFilename(trimmed)) {
    throw appError(
      'INVALID_FILENAME',
      `Invalid ${field} "${name.slice(0, 80)}": a file name must be 1 to 255 bytes without "/", "\\" or control characters, and not "." or "..".`,
    );
  }
  return trimmed;
}

/** For names the server derives: keeps what is safe, replaces the rest, falls back if empty. */
export function cleanFilename(candidate: string, fallback: string): string {
  // Lone surrogates become "_"; shortening drops whole code points, never half a character.
  const chars = Array.from(candidate.replace(/[\u0000-\u001f\u007f/\\]/g, '_').trim(), (c) => (c.isWellFormed() ? c : '_'));
  while (Buffer.byteLength(chars.join('')) > MAX_BYTES) chars.pop();
  const name = chars.join('');
  return isSafeFilename(name) && name.replace(/[._]/g, '') !== '' ? name : fallback;
}

/**
 * Bytes of a name left for what converters append to the output's base name (`-<page>.<ext>`,
 * `.tar.bz2`): a valid 255-byte input name must still give output names the file system takes.
 */
const OUTPUT_SUFFIX_BYTES = 40;

/** The base name of output files: cleaned like a derived name, and short enough for any suffix. */
export function outputBaseName(candidate: string, fallback: string): string {
  const chars = Array.from(cleanFilename(candidate, fallback));
  while (Buffer.byteLength(chars.join('')) > MAX_BYTES - OUTPUT_SUFFIX_BYTES) chars.pop();
  const name = chars.join('').trim();
  return name === '' ? fallback : name;
}

/** Extensions of two parts: `backup.tar.gz` has ext `tar.gz`, not `gz`. */
const COMPOUND_EXT = /\.(tar\.(?:gz|bz2|xz|zst|lz|lz4))$/i;

/** `photo.final.JPG` → name `photo.final`, ext `jpg`; `a.tar.gz` → `a`, `tar.gz`. A name without a dot has ext "". */
export function splitFilename(filename: string): { name: string; ext: string } {
  const compound = COMPOUND_EXT.exec(filename);
  if (compound?.[1] !== undefined && compound.index > 0) return { name: filename.slice(0, compound.index), ext: compound[1].toLowerCase() };
  const dot = filename.lastIndexOf('.');
  if (dot <= 0) return { name: filename, ext: '' };
  return { name: filename.slice(0, dot), ext: filename.slice(dot + 1).toLowerCase() };
}

/** `<base>-<n>.<ext>`, the base shortened (whole characters) so the name stays within 255 bytes. */
function numbered(base: string, n: number, ext: string): string {
  const suffix = ext === '' ? `-${n}` : `-${n}.${ext}`;
  const chars = Array.from(base);
  while (chars.length > 1 && Buffer.byteLength(chars.join('') + suffix) > MAX_BYTES) chars.pop();
  return chars.join('') + suffix;
}

/** Names made unique in order: a second `a.pdf` becomes `a-2.pdf` (never longer than 255 bytes). */
export function uniqueNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((original) => {
    let name = original;
    const { name: base, ext } = splitFilename(original);
    for (let n = 2; seen.has(name.toLowerCase()); n++) name = numbered(base, n, ext);
    seen.add(name.toLowerCase());
    return name;
  });
}
