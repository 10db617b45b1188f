// The operations that transform files: convert, optimize, merge, archive and thumbnail
// (capture-website: website.ts; watermark and metadata: watermark.ts, metadata.ts). Each becomes
// a plan of the v1 catalog (the same engines, options and checks) run as an internal process;
// the v2 option names map onto the catalog's.
import { appError, isAppError } from '../../errors.js';
import { normalizeFormat } from '../../catalog/index.js';
import { resolvePlan, type CatalogPlan, type ConversionPlan, type PlanRequest } from '../../catalog/resolve.js';
import { splitFilename } from '../../filenames.js';
import type { InputSource } from '../../process/record.js';
import type { TaskFile } from '../model.js';
import { FieldReader } from './fields.js';
import { checkedFilename } from './imports.js';
import type { OperationHandler, ProcessSpec, TaskRun } from './types.js';

/** Fields every processing operation may carry that are not engine options. */
export const COMMON_FIELDS = ['operation', 'input', 'input_format', 'output_format', 'engine', 'engine_version', 'filename', 'timeout', 'ignore_error', 'name'];

/** Longest `timeout` a task may ask for (the key's maxtime still applies). */
const MAX_TIMEOUT_SECONDS = 5 * 3600;

/** v2's `fit` values and the catalog's `resizemode` each stands for (GET /v2/operations shows `fit`). */
export const FIT_MODES = { max: 'maximum', crop: 'minimum', scale: 'exact' } as const;

/** What a thumbnail task writes. */
export const THUMBNAIL_OUTPUTS = ['png', 'jpg', 'webp'] as const;

/** v2 option names that have another name (or shape) in the catalog. */
function catalogOptions(payload: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(payload)) if (!COMMON_FIELDS.includes(name)) options[name] = value;
  const { width, height, fit } = payload;
  const size = (v: unknown): string => (typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v)) ? String(v) : '');
  if (size(width) !== '' || size(height) !== '') {
    options.resize = `${size(width)}x${size(height)}`;
    options.resizeenlarge ??= true;
    delete options.width;
    delete options.height;
  }
  const fits: Readonly<Record<string, string>> = FIT_MODES;
  if (typeof fit === 'string' && fits[fit] !== undefined) options.resizemode = fits[fit];
  delete options.fit;
  if (options.pages !== undefined && options.page_range === undefined) options.page_range = options.pages;
  return options;
}

/**
 * Resolves a plan; a 400 of the catalog becomes a 422 naming the field: the format fields, or
 * the option the message names.
 */
export function planOrFieldError(fields: FieldReader, request: PlanRequest): CatalogPlan | undefined {
  try {
    return resolvePlan(request);
  } catch (error) {
    if (!isAppError(error)) throw error;
    const option = /converter option (\w+)/.exec(error.message)?.[1];
    const field = error.code === 'INVALID_OPTION' ? (option ?? 'options') : /inputformat/.test(error.message) ? 'input_format' : 'output_format';
    return fields.fail(field, error.message.replace('inputformat', 'input_format').replace('outputformat', 'output_format'));
  }
}

/** The common fields: filename, timeout; errors are recorded in `fields`. */
export function readCommon(fields: FieldReader): void {
  checkedFilename(fields);
  fields.integer('timeout', { min: 1, max: MAX_TIMEOUT_SECONDS });
  fields.string('engine', { max: 64 });
  fields.string('engine_version', { max: 64 });
}

/** Where the process finds the input tasks' files: one, or several in order. */
export function sourceOf(inputs: readonly TaskFile[]): { source: InputSource; filename?: string } {
  const first = inputs[0];
  if (first === undefined) throw appError('INPUT_UNAVAILABLE', 'The input tasks made no file to work on.');
  if (inputs.length === 1) return { source: { kind: 'stored', key: first.key }, filename: first.filename };
  return { source: { kind: 'many', files: inputs.map((f) => ({ source: { kind: 'stored' as const, key: f.key }, filename: f.filename })) } };
}

/** The process for a plan over the inputs, with the task's filename and timeout. */
export function processFor(plan: ConversionPlan, inputs: readonly TaskFile[], payload: Readonly<Record<string, unknown>>): TaskRun {
  const { source, filename } = sourceOf(inputs);
  const asked = typeof payload.filename === 'string' && payload.filename !== '' ? splitFilename(payload.filename).name : undefined;
  const timeout = typeof payload.timeout === 'number' ? payload.timeout : typeof payload.timeout === 'string' && /^\d+$/.test(payload.timeout) ? Number(payload.timeout) : undefined;
  const spec: ProcessSpec = { plan, source, ...(filename === undefined ? {} : { filename }), ...(asked === undefined ? {} : { outputName: asked }), ...(timeout === undefined ? {} : { timeoutSeconds: timeout }) };
  return { kind: 'process', spec };
}

/** The input format: the field, else the first input's extension. */
export function inputFormatOf(payload: Readonly<Record<string, unknown>>, inputs: readonly TaskFile[]): string | undefined {
  if (typeof payload.input_format === 'string' && payload.input_format !== '') return payload.input_format;
  const ext = splitFilename(inputs[0]?.filename ?? '').ext;
  return ext === '' ? undefined : ext;
}

/** Turns a catalog 400 at start into the task's failure (the client sees its message). */
export function atStart<P extends ConversionPlan>(make: () => P): P {
  try {
    return make();
  } catch (error) {
    if (isAppError(error)) throw appError('UNSUPPORTED_CONVERSION', error.message.replace('inputformat', 'input_format').replace('outputformat', 'output_format'));
    throw error;
  }
}

/** An operation that is one catalog mode over its inputs. */
function modeOperation(mode: PlanRequest['mode'], options: { outputRequired: boolean; outputFormats?: readonly string[]; defaultOutput?: (p: Readonly<Record<string, unknown>>) => string | undefined }): OperationHandler {
  const request = (payload: Readonly<Record<string, unknown>>, inputformat: string | undefined): PlanRequest => ({
    mode,
    inputformat,
    outputformat: (typeof payload.output_format === 'string' && payload.output_format !== '' ? payload.output_format : undefined) ?? options.defaultOutput?.(payload),
    converteroptions: catalogOptions(payload),
  });
  return {
    takesInput: true,
    check(payload) {
      const fields = new FieldReader(payload);
      readCommon(fields);
      const output = options.outputFormats === undefined ? fields.string('output_format', { required: options.outputRequired }) : fields.oneOf('output_format', options.outputFormats, { required: options.outputRequired });
      if (output !== undefined && normalizeFormat(output) === undefined) fields.fail('output_format', `The output_format "${output.slice(0, 40)}" is not a format of this server. GET /v2/convert/formats lists them.`);
      const input = fields.string('input_format', { max: 40 });
      if (input !== undefined && normalizeFormat(input) === undefined) fields.fail('input_format', `The input_format "${input.slice(0, 40)}" is not a format of this server. GET /v2/convert/formats lists them.`);
      // With the input format known now, the whole conversion is checked now.
      if (Object.keys(fields.errors).length === 0 && (input !== undefined || mode === 'combine' || mode === 'archive')) planOrFieldError(fields, request(payload, input));
      fields.done();
      return { payload };
    },
    start(payload, inputs) {
      const several = mode === 'combine' || mode === 'archive';
      if (!several && inputs.length > 1) throw appError('INVALID_PARAMETER', `${mode === 'convert' ? 'convert' : 'This operation'} takes one file, and its input tasks made ${inputs.length}. Use one task per file.`);
      const plan = atStart(() => resolvePlan(request(payload, several ? undefined : inputFormatOf(payload, inputs))));
      return processFor(plan, inputs, payload);
    },
  };
}

export const convert = modeOperation('convert', { outputRequired: true });
export const optimize = modeOperation('compress', { outputRequired: false });
export const merge = modeOperation('combine', { outputRequired: false, outputFormats: ['pdf'] });
export const archive = modeOperation('archive', { outputRequired: true });
/** archive/extract: the v1 mode=extract (safe extraction: no paths leaving the folder, no links, bomb limits). */
export const archiveExtract = modeOperation('extract', { outputRequired: false });
export const thumbnail = modeOperation('convert', { outputRequired: false, outputFormats: THUMBNAIL_OUTPUTS, defaultOutput: () => 'png' });
