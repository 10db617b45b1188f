// The inputs of mode=combine and mode=archive: several file parts of one multipart start, or the
// `files` list (URLs, raw/base64 content, or keys in the user's S3/FTP storage). Each input gets
// a unique, safe name; for combine, each must be a format that can become PDF pages.
import { Readable } from 'node:stream';
import { normalizeFormat, type Mode } from '../core/catalog/index.js';
import { assertCombinable, type CatalogPlan } from '../core/catalog/resolve.js';
import { appError } from '../core/errors.js';
import { splitFilename, uniqueNames, validateFilename } from '../core/filenames.js';
import type { InputFileInfo, InputMethod, NamedInput, SingleInputSource } from '../core/process/record.js';
import { storageKeys } from '../core/storage/file-store.js';
import type { ServiceDeps } from './deps.js';
import type { FileRef } from './params.js';
import { decideStorageInput } from './remote-storage.js';

/** Kept here too: callers and tests of the multi-input start import it from this module. */
export { uniqueNames } from '../core/filenames.js';

/** A file part already put into the store by the start. */
export interface StagedPart {
  readonly filename: string;
  readonly size: number;
  readonly key: string;
}

export interface MultiInputDecision {
  readonly input: InputFileInfo;
  readonly source: { readonly kind: 'many'; readonly files: readonly NamedInput[] };
  readonly message: string;
}

/**
 * The mode a start with several inputs runs: combine and archive as asked; plain convert to pdf
 * means combine (one Python client sends its merge that way); anything else is a clear 400.
 */
export function multiInputMode(mode: Mode, outputformat: string | undefined): Mode {
  if (mode === 'combine' || mode === 'archive') return mode;
  if (mode === 'convert' && outputformat !== undefined && normalizeFormat(outputformat) === 'pdf') return 'combine';
  throw appError('INVALID_PARAMETER', `Several input files need mode=combine (one PDF) or mode=archive (one zip, tar or 7z file); mode=${mode} converts one file. Send one file, or set the mode.`);
}

interface Context {
  readonly deps: ServiceDeps;
  readonly processId: string;
  readonly maxBytes: number;
  readonly plan: CatalogPlan;
  readonly checkUrl: (value: string, field: string) => URL;
  readonly nameFromUrl: (url: URL, fallback: string) => string;
}

/** The inputs from staged file parts or `files`, named, checked and (for content) stored. */
export async function decideMultiInput(ctx: Context, method: InputMethod, staged: readonly StagedPart[], files: readonly FileRef[] | undefined): Promise<MultiInputDecision> {
  if (staged.length > 0 && files !== undefined) throw appError('INVALID_PARAMETER', 'Give the input files either as file parts or in the parameter files, not both.');
  const entries: Array<{ source: SingleInputSource; filename: string; size?: number }> =
    staged.length > 0 ? staged.map((part) => ({ source: { kind: 'stored', key: part.key }, filename: part.filename, size: part.size })) : await fromFileRefs(ctx, method, files ?? []);
  // Combine needs each input's format: a name without a known extension takes inputformat's
  // (a URL such as .../download?id=7, an S3 key, or LARA's default filenames "1", "2").
  const combine = ctx.plan.mode === 'combine';
  const names = uniqueNames(entries.map((e) => (combine ? withFormat(e.filename, ctx.plan.inputFormat) : e.filename)));
  if (combine) for (const name of names) assertCombinable(formatOf(name));
  const named = entries.map((e, i) => ({ source: e.source, filename: names[i] ?? e.filename }));
  const first = names[0] ?? 'file';
  const sizes = entries.map((e) => e.size);
  const total = sizes.every((s) => s !== undefined) ? sizes.reduce((sum: number, s) => sum + (s ?? 0), 0) : undefined;
  const { name, ext } = splitFilename(first);
  const input: InputFileInfo = { type: staged.length > 0 ? 'upload' : method, filename: first, name, ext, ...(total === undefined ? {} : { size: total }) };
  const allStored = named.every((n) => n.source.kind === 'stored');
  return { input, source: { kind: 'many', files: named }, message: allStored ? 'Waiting in queue' : 'Preparing process' };
}

const MAX_NAME_BYTES = 255;

/** A name without a known extension gets `format`'s: `download` of pdfs is `download.pdf` (within 255 bytes). */
function withFormat(name: string, format: string): string {
  if (normalizeFormat(splitFilename(name).ext) !== undefined) return name;
  const chars = Array.from(name);
  while (chars.length > 1 && Buffer.byteLength(`${chars.join('')}.${format}`) > MAX_NAME_BYTES) chars.pop();
  return `${chars.join('')}.${format}`;
}

function formatOf(name: string) {
  const format = normalizeFormat(splitFilename(name).ext);
  if (format === undefined) throw appError('UNSUPPORTED_CONVERSION', `mode=combine cannot tell the format of "${name.slice(0, 80)}": give each file a name with its extension (files[n][filename]).`);
  return format;
}

async function fromFileRefs(ctx: Context, method: InputMethod, files: readonly FileRef[]): Promise<Array<{ source: SingleInputSource; filename: string; size?: number }>> {
  const result: Array<{ source: SingleInputSource; filename: string; size?: number }> = [];
  let storedBytes = 0;
  for (const [index, ref] of files.entries()) {
    const fallback = `file-${index + 1}`;
    const given = ref.filename === undefined ? undefined : validateFilename(ref.filename, `files[${index}].filename`);
    switch (method) {
      case 'upload': // `files` with no input method: the entries are URLs (as one Ruby client sends them)
      case 'download': {
        const url = ctx.checkUrl(ref.file, `files[${index}]`);
        result.push({ source: { kind: 'download', url: url.toString() }, filename: given ?? ctx.nameFromUrl(url, fallback) });
        break;
      }
      case 'raw':
      case 'base64': {
        if (given === undefined) throw appError('MISSING_PARAMETER', `With input=${method}, each entry of files needs a filename (e.g. {"file": ..., "filename": "${fallback}"}).`);
        const content = method === 'raw' ? Buffer.from(ref.file, 'utf8') : decodeBase64(ref.file);
        storedBytes += content.length;
        if (storedBytes > ctx.maxBytes) throw appError('TOO_LARGE', `The files add up to more than the limit of ${ctx.maxBytes} bytes.`);
        const key = storageKeys.input(ctx.processId, index);
        const stored = await ctx.deps.store.put(key, Readable.from([content]));
        result.push({ source: { kind: 'stored', key }, filename: given, size: stored.size });
        break;
      }
      case 's3':
      case 'ftp':
      case 'sftp': {
        if (ref.storage === undefined) throw appError('MISSING_PARAMETER', `With input=${method}, give the storage as input[${method}][...].`);
        const decision = decideStorageInput(ref.storage, given, fallback, ctx.deps.config);
        result.push({ source: decision.source, filename: decision.input.filename ?? fallback });
        break;
      }
    }
  }
  return result;
}

export function decodeBase64(value: string): Buffer {
  const body = value.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(body)) {
    throw appError('INVALID_PARAMETER', 'With input=base64, the parameter file must be base64-encoded content (A-Z a-z 0-9 + / =).');
  }
  return Buffer.from(body, 'base64');
}
