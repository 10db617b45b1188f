// exiftool's arguments, built without a shell and checked again here (the API checked them
// first): `-config ''` so no user config file loads, and every tag as one `-NAME=VALUE` argument,
// so a value can never start an option of its own.
import { appError } from '../../../src/core/errors.js';
import { metadataTagProblem, metadataValueProblem } from '../../../src/core/catalog/metadata-tags.js';

/** No config file: a `~/.ExifTool_config` could define tags that run Perl code. */
const SAFE_START = ['-config', ''];

/** Reads every tag as flat JSON (`-j`), numbers as numbers (`-n`); binary values stay placeholders (no `-b`). */
export function buildReadArgs(inputPath: string): string[] {
  if (!inputPath.startsWith('/')) throw new Error('exiftool reads absolute paths only');
  return [...SAFE_START, '-j', '-n', '-charset', 'filename=utf8', inputPath];
}

/** Writes `tags` into a copy at `outputPath` (`-o`: the input is never changed). */
export function buildWriteArgs(inputPath: string, outputPath: string, tags: Readonly<Record<string, string>>): string[] {
  if (!inputPath.startsWith('/') || !outputPath.startsWith('/')) throw new Error('exiftool writes absolute paths only');
  const assignments = Object.entries(tags).map(([name, value]) => {
    const problem = metadataTagProblem(name) ?? metadataValueProblem(name, value);
    if (problem !== undefined) throw appError('INVALID_OPTION', problem);
    return `-${name}=${value}`;
  });
  if (assignments.length === 0) throw appError('INVALID_OPTION', 'metadata/write needs at least one tag.');
  return [...SAFE_START, '-charset', 'filename=utf8', '-o', outputPath, ...assignments, inputPath];
}

/** Tags that describe the server's temporary copy, not the file: left out of what a client sees. */
const LOCAL_TAGS = new Set(['SourceFile', 'Directory', 'FileName', 'FilePermissions', 'FileAccessDate', 'FileInodeChangeDate', 'FileModifyDate', 'FileCreateDate', 'ExifToolVersion']);
/** Longest string value shown; longer ones end with "…". */
export const MAX_VALUE_CHARS = 1000;
const MAX_LIST_ITEMS = 100;

const bounded = (value: unknown): unknown => {
  if (typeof value === 'string') return value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}…` : value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (Array.isArray(value)) return value.slice(0, MAX_LIST_ITEMS).map((v) => (typeof v === 'object' && v !== null ? bounded(JSON.stringify(v)) : bounded(v)));
  return bounded(JSON.stringify(value));
};

/** exiftool's `-j` output as one flat object of bounded values, the local file's tags left out. */
export function parseReadOutput(stdout: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw appError('CONVERSION_FAILED', 'exiftool gave no readable metadata for this file.');
  }
  const first: unknown = Array.isArray(parsed) ? parsed[0] : undefined;
  if (typeof first !== 'object' || first === null) return {};
  return Object.fromEntries(Object.entries(first as Record<string, unknown>).filter(([name]) => !LOCAL_TAGS.has(name)).map(([name, value]) => [name, bounded(value)]));
}

/** exiftool's warnings that a tag was not written (it still writes the others and exits 0). */
export function unwrittenTag(stderr: string): string | undefined {
  return stderr.split('\n').find((line) => /Warning: .*(doesn't exist or isn't writable|not defined|Can't convert|Not a valid)/i.test(line) || /Warning: Sorry/i.test(line))?.replace(/^Warning:\s*/, '').trim();
}
