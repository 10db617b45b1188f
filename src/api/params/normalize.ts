// Pure normalisation of CloudConvert v1 parameters as real clients send them: query string and
// body merged, PHP-style brackets already parsed (qs), null and "" meaning absent, booleans as
// strings, and the 2013-era names `format`, `link` and `options[...]`.
import { MODES, type Mode } from '../../core/catalog/index.js';
import { appError } from '../../core/errors.js';
import { INPUT_METHODS, type InputMethod } from '../../core/process/record.js';
import type { CreateParams, DownloadMode, NotYetSupported, StartParams } from '../../services/params.js';
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
    try {
      const parsed: unknown = JSON.parse(value);
      if (isObject(parsed)) return parsed;
    } catch {
      // fall through to the error below
    }
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

/** The input method and the storage features it names that are not supported yet. */
function inputMethod(params: Params): { input: InputMethod; storage: NotYetSupported[] } {
  const value = params['input'];
  const storage = inputStorageKind(value); // {s3: {...}} or {ftp: {...}}
  if (storage !== undefined) return { input: storage, storage: [] };
  const name = text(params, 'input')?.toLowerCase();
  if (name === undefined) return { input: 'upload', storage: [] };
  if (name === 'url') return { input: 'download', storage: [] };
  if ((INPUT_METHODS as readonly string[]).includes(name)) return { input: name as InputMethod, storage: [] };
  if ((STORAGE_INPUTS as readonly string[]).includes(name)) {
    throw appError('NOT_SUPPORTED_YET', `input=${name} is not supported by this server. Use input=upload, raw, base64, download, s3 or ftp.`);
  }
  throw appError('INVALID_PARAMETER', `Invalid input "${name.slice(0, 40)}". Valid values: ${INPUT_METHODS.join(', ')}.`);
}

/** Features named by the request whose issues have not landed yet. */
function notYetSupported(params: Params): NotYetSupported[] {
  const found: NotYetSupported[] = [];
  for (const name of ['files'] as const) if (!isAbsent(params[name])) found.push(name);
  return found;
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
  const { input } = inputMethod(params);
  const file = params['file'];
  return {
    mode: mode(params),
    input,
    file: typeof file === 'string' && file !== '' ? file : undefined,
    filename: text(params, 'filename'),
    tag: params['tag'],
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
    storageInput: input === 's3' || input === 'ftp' ? storageInput(params, input) : undefined,
    output: outputRequest(params),
    notYetSupported: notYetSupported(params),
  };
}

/** The API key from the parameters (`apikey`, or `apiKey` as one ad-hoc client sends it). */
export function apiKeyParam(params: Params): string | undefined {
  return text(params, 'apikey') ?? text(params, 'apiKey');
}
