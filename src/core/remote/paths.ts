// Paths in user storage (S3 keys, FTP and Dropbox paths): what a request may name, and where each
// output file goes for a given `path`. Pure, so the rules are unit-tested apart.
import { appError } from '../errors.js';
import { splitFilename } from '../filenames.js';

const MAX_LENGTH = 1024;
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Checks a user-given path: no "." or ".." segment (with "/" or "\" as separator), no control
 * characters (they would split FTP commands), well-formed, at most 1024 characters. Returns it
 * unchanged; throws INVALID_PARAMETER naming `field`.
 */
export function checkRemotePath(value: string, field: string): string {
  const problem =
    value === '' ? 'is empty'
    : value.length > MAX_LENGTH ? `is longer than ${MAX_LENGTH} characters`
    : !value.isWellFormed() || CONTROL.test(value) ? 'contains control characters'
    : value.split(/[/\\]/).some((s) => s === '.' || s === '..') ? 'contains a "." or ".." segment'
    : undefined;
  if (problem !== undefined) {
    throw appError('INVALID_PARAMETER', `The parameter ${field} ${problem}. Give a path inside the bucket or server, e.g. "folder/file.png", or "folder/" for a folder.`);
  }
  return value;
}

/** S3 keys do not start with "/": `/out/a.png` names the key `out/a.png`. */
export const s3Key = (path: string): string => path.replace(/^\/+/, '');

/** The last segment of a path: the input's file name for `file=folder/photo.png`. */
export const lastSegment = (path: string): string => path.split('/').filter((s) => s !== '').pop() ?? '';

/**
 * Where each output goes for the request's `path`:
 * - absent: each file's own name;
 * - with "%d" (printf style, wire spec 6): each file numbered from 1 in its place, even one;
 * - ending in "/": the folder plus each file's name;
 * - otherwise, one file: exactly `path`; several files: next to it, `<path without its
 *   extension>-<n>.<file's extension>` (n from 1), so `out/page.png` gives `out/page-1.png`...
 */
export function targetPaths(path: string | undefined, names: readonly string[]): string[] {
  if (path === undefined || path === '') return [...names];
  if (path.includes('%d')) return names.map((_, i) => path.replaceAll('%d', String(i + 1)));
  if (path.endsWith('/')) return names.map((name) => `${path}${name}`);
  if (names.length === 1) return [path];
  const slash = path.lastIndexOf('/');
  const folder = path.slice(0, slash + 1);
  const base = splitFilename(path.slice(slash + 1)).name;
  return names.map((name, i) => {
    const ext = splitFilename(name).ext;
    return `${folder}${base}-${i + 1}${ext === '' ? '' : `.${ext}`}`;
  });
}
