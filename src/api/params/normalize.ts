// Pure normalisation of CloudConvert v1 parameters as real clients send them: query string and
// body merged, PHP-style brackets already parsed (qs), null and "" meaning absent, booleans as
// strings, and the 2013-era names `format`, `link` and `options[...]`.
import { MODES, type Mode } from '../../core/catalog/index.js';
import { appError } from '../../core/errors.js';
import { isCredentialStorage } from '../../core/remote/index.js';
import { INPUT_METHODS, type InputMethod } from '../../core/process/record.js';
import { MAX_INPUT_FILES, type CreateParams, type DownloadMode, type FileRef, type StartParams } from '../../services/params.js';
import { assertShallow, checkTag } from './shape-limits.js';
import { inputStorageKind, outputRequest, storageInput } from './storage.js';

export type Params = Readonly<Record<string, unknown>>;

const isAbsent = (value: unknown): boolean => value === undefined || value === null || value === '';
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Query and body merged (the body wins), legacy names mapped, absent values dropped. */
export function mergeParams(query: unknown, body: unknown): Params {
  const merged: Record<string, unknown> = {};
  for (const source of [query, body]) {
    if (!isObject(source)) continue;
    for (const [key, value] of Object.entries(source)) if (!isAbsent(value)) merged[key] = value;
  }
  const legacy: Array<[string, string]> = [['format', 'outputformat'], ['link', 'file'], ['options', 'converteroptions']];
  for (const [old, current] of legacy) {
    if (merged[old] !== undefined && merged[current] === undefined) merged[current] = merged[old];
    delete merged[old];
  }
  return merged;
}

/** A single string value; a repeated query parameter (an array) keeps its last value. */
function text(params: Params, name: string): string | undefined {
  let value = params[name];
  if (Array.isArray(value)) value = value.filter((v) => !isAbsent(v)).pop();
  if (isAbsent(value)) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw appError('INVALID_PARAMETER', `The parameter ${name} must be a string, got ${Array.isArray(value) ? 'an array' : typeof value}.`);
}

const TRUE = /^(true|1|yes|on)$/i;
const FALSE = /^(false|0|no|off)$/i;

/** true|1|yes|on and false|0|no|off in any case, as JSON booleans, numbers or strings. */
export function flag(params: Params, name: string): boolean {
  const value = text(params, name);
  if (value === undefined) return false;
  if (TRUE.test(value)) return true;
  if (FALSE.test(value)) return false;
  throw appError('INVALID_PARAMETER', `The parameter ${name} must be true or false, got "${value.slice(0, 40)}".`);
}

function downloadMode(params: Params): DownloadMode {
  const value = text(params, 'download');
  if (value !== undefined && value.toLowerCase() === 'inline') return 'inline';
  return flag(params, 'download') ? 'attachment' : false;
}

function mode(params: Params): Mode | undefined {
  const value = text(params, 'mode')?.toLowerCase();
  if (value === undefined) return undefined;
  if (!(MODES as readonly string[]).includes(value)) throw appError('INVALID_PARAMETER', `Invalid mode "${value.slice(0, 40)}". Valid modes: ${MODES.join(', ')}.`);
  return value as Mode;
}

/** converteroptions as an object; "" / null are absent; odd shapes seen in the wild are merged. */
function converterOptions(params: Params): Record<string, unknown> | undefined {
  const value = params['converteroptions'];
  if (isAbsent(value)) return undefined;
  if (isObject(value)) return value;
  if (Array.isArray(value)) {
    // `converteroptions&converteroptions[image_dpi]=600` parses to ["", {image_dpi: "600"}]
    return Object.assign({}, ...value.filter(isObject)) as Record<string, unknown>;
  }
  if (typeof value === 'string' && value.trim().startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      // fall through to the error below
    }
    assertShallow(parsed, 'The parameter converteroptions');
    if (isObject(parsed)) return parsed;
  }
  throw appError('INVALID_PARAMETER', 'The parameter converteroptions must be an object, e.g. {"quality": 75} in JSON or converteroptions[quality]=75 in a form or query string.');
}

function timeout(params: Params): number | undefined {
  const value = text(params, 'timeout');
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) throw appError('INVALID_PARAMETER', `The parameter timeout must be a whole number of seconds, got "${value.slice(0, 40)}".`);
  const seconds = Number(value);
  return seconds === 0 ? undefined : seconds;
}

const STORAGE_INPUTS = ['openstack', 'azure', 'googlecloud'] as const;

/** The input method: a name, or a storage object ({s3: {...}} / {ftp: {...}}). */
function inputMethod(params: Params): InputMethod {
  const value = params['input'];
  const storage = inputStorageKind(value);
  if (storage !== undefined) return storage;
  const name = text(params, 'input')?.toLowerCase();
  if (name === undefined) return 'upload';
  if (name === 'url') return 'download';
  if ((INPUT_METHODS as readonly string[]).includes(name)) return name as InputMethod;
  if ((STORAGE_INPUTS as readonly string[]).includes(name)) {
    throw appError('NOT_SUPPORTED_YET', `input=${name} is not supported by this server. Use input=upload, raw, base64, download, s3, ftp or sftp.`);
  }
  throw appError('INVALID_PARAMETER', `Invalid input "${name.slice(0, 40)}". Valid values: ${INPUT_METHODS.join(', ')}.`);
}

/**
 * `files`: URL strings or {file, filename} objects (wire spec 4.2), as a JSON array, `files[]=`
 * form fields, or `files[0][file]=` brackets (qs makes an object of many indexes). One Python
 * client sends the object array under `file` instead; that is accepted too.
 */
function fileRefs(params: Params, input: InputMethod): FileRef[] | undefined {
  const raw = !isAbsent(params['files']) ? params['files'] : Array.isArray(params['file']) || isObject(params['file']) ? params['file'] : undefined;
  if (raw === undefined) return undefined;
  const list = Array.isArray(raw) ? raw : isObject(raw) ? Object.values(raw) : [raw];
  const entries = list.filter((entry) => !isAbsent(entry));
  if (entries.length === 0) throw appError('INVALID_PARAMETER', 'The parameter files is empty. Give a list of URLs, or of {"file": ..., "filename": ...} objects.');
  if (entries.length > MAX_INPUT_FILES) throw appError('INVALID_PARAMETER', `The parameter files lists ${entries.length} files; at most ${MAX_INPUT_FILES} are accepted.`);
  return entries.map((entry, index) => {
    const ref = fileRef(entry, index);
    return isCredentialStorage(input) ? { ...ref, storage: storageInput({ ...params, file: ref.file }, input) } : ref;
  });
}

function fileRef(entry: unknown, index: number): FileRef {
  if (typeof entry === 'string') return { file: entry, filename: undefined };
  if (isObject(entry)) {
    const file = entry['file'];
    const filename = entry['filename'];
    if (typeof file !== 'string' || file === '') throw appError('INVALID_PARAMETER', `files[${index}].file is missing: each entry needs "file" (a URL, or the content with input=raw/base64).`);
    if (!isAbsent(filename) && typeof filename !== 'string') throw appError('INVALID_PARAMETER', `files[${index}].filename must be a string such as "page.pdf".`);
    return { file, filename: isAbsent(filename) ? undefined : (filename as string) };
  }
  throw appError('INVALID_PARAMETER', `files[${index}] must be a URL string or an object {"file": ..., "filename": ...}.`);
}

/** `email=true` (the key's address), `email=<address>`, or absent (also `email=false`). */
function email(params: Params): true | string | undefined {
  const value = text(params, 'email');
  if (value === undefined || FALSE.test(value)) return undefined;
  return TRUE.test(value) ? true : value;
}

export function toCreateParams(params: Params): CreateParams {
  return { mode: mode(params), inputformat: text(params, 'inputformat'), outputformat: text(params, 'outputformat') };
}

export function toStartParams(params: Params): StartParams {
  const input = inputMethod(params);
  const file = params['file'];
  const files = fileRefs(params, input);
  return {
    mode: mode(params),
    input,
    file: typeof file === 'string' && file !== '' ? file : undefined,
    filename: text(params, 'filename'),
    tag: checkTag(params['tag']),
    inputformat: text(params, 'inputformat'),
    outputformat: text(params, 'outputformat'),
    converteroptions: converterOptions(params),
    timeout: timeout(params),
    wait: flag(params, 'wait'),
    download: downloadMode(params),
    save: flag(params, 'save'),
    callback: text(params, 'callback'),
    email: email(params),
    preset: text(params, 'preset'),
    storageInput: isCredentialStorage(input) && files === undefined ? storageInput(params, input) : undefined,
    output: outputRequest(params),
    files,
  };
}

/** The API key from the parameters (`apikey`, or `apiKey` as one ad-hoc client sends it). */
export function apiKeyParam(params: Params): string | undefined {
  return text(params, 'apikey') ?? text(params, 'apiKey');
}
