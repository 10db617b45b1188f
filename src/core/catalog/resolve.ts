// Turns what a client asked for (mode, formats, options) into a validated conversion plan, or a
// 400 that says what is wrong and what would be accepted.
import { appError } from '../errors.js';
import { COMBINE_ENGINE_ID, ARCHIVE_ENGINE_ID } from './engines.js';
import { ARCHIVE_OPTIONS, ARCHIVE_OUTPUTS, EXTRACT_INPUTS, EXTRACT_OPTIONS } from './engines/archive.js';
import { COMPRESS_ENGINES, COMPRESS_OPTIONS } from './engine-catalog.js';
import { IMAGES_TO_PDF_INPUTS } from './engines/pdf.js';
import { PDF_TOOL_INPUTS, PDF_TOOL_OPTIONS, PDF_TOOL_REQUIRED, PDF_TOOLS_ENGINE_ID, type PdfTool, type PdfToolPlan } from './engines/pdf-tools.js';
import { OFFICE_INPUTS } from './engines/office.js';
import { ENGINE_OPTIONS, findConversionType, findInfoEngine, INFO_OPTIONS, listConversionTypes, SUPPORTED_MODES, type CompressEngineId, type EngineId, type EngineOptions, type Format, type Group, type InfoEngineId, type Mode } from './index.js';
import { FORMATS, normalizeFormat } from './formats.js';
import { validateOptions, type OptionsOf } from './options.js';
import type { EditPlan } from './edit-plans.js';

interface PlanBase {
  readonly inputFormat: Format;
  readonly group: Group;
}
/** A conversion by engine E, with E's typed options. */
export type ConvertPlanOf<E extends EngineId> = PlanBase & { readonly mode: 'convert'; readonly outputFormat: Format; readonly engine: E; readonly options: EngineOptions[E] };
/** A conversion by one engine (a union over the engines). */
export type ConvertPlan = { [E in EngineId]: ConvertPlanOf<E> }[EngineId];
export type InfoOptions = { readonly [E in InfoEngineId]: OptionsOf<(typeof INFO_OPTIONS)[E]> };
export type InfoPlanOf<E extends InfoEngineId> = PlanBase & { readonly mode: 'info'; readonly outputFormat: Format; readonly engine: E; readonly options: InfoOptions[E] };
export type InfoPlan = { [E in InfoEngineId]: InfoPlanOf<E> }[InfoEngineId];
export type CompressOptions = { readonly [E in CompressEngineId]: OptionsOf<(typeof COMPRESS_OPTIONS)[E]> };
export type CompressPlanOf<E extends CompressEngineId> = PlanBase & { readonly mode: 'compress'; readonly outputFormat: Format; readonly engine: E; readonly options: CompressOptions[E] };
/** mode=compress: the same format, smaller; the original stays when it cannot be made smaller. */
export type CompressPlan = { [E in CompressEngineId]: CompressPlanOf<E> }[CompressEngineId];
/**
 * mode=combine: several inputs (PDFs, images, office documents) become one PDF, in input order.
 * `inputFormat` is the first input's format as far as it was known at start; each input's own
 * format comes from its file name.
 */
export interface CombinePlan extends PlanBase {
  readonly mode: 'combine';
  readonly outputFormat: 'pdf';
  readonly engine: typeof COMBINE_ENGINE_ID;
  readonly options: Readonly<Record<string, never>>;
}
/** mode=archive: several inputs of any format packed into one archive of `outputFormat`. */
export interface ArchivePlan extends PlanBase {
  readonly mode: 'archive';
  readonly outputFormat: Format;
  readonly engine: typeof ARCHIVE_ENGINE_ID;
  readonly options: OptionsOf<typeof ARCHIVE_OPTIONS>;
}
/** mode=extract: one archive unpacked into its files. */
export interface ExtractPlan extends PlanBase {
  readonly mode: 'extract';
  readonly outputFormat: Format;
  readonly engine: typeof ARCHIVE_ENGINE_ID;
  readonly options: OptionsOf<typeof EXTRACT_OPTIONS>;
}
/**
 * Internal to API v2 (no v1 mode names it): the inputs become the outputs unchanged. An import
 * from a URL or the user's storage, an export to it, or a copy; the pipeline's input and output
 * steps do the work.
 */
export interface TransferPlan {
  readonly mode: 'transfer';
  readonly engine: 'transfer';
  readonly inputFormat?: undefined;
  readonly outputFormat?: undefined;
  readonly group?: undefined;
  readonly options: Readonly<Record<string, never>>;
}
export const TRANSFER_PLAN: TransferPlan = { mode: 'transfer', engine: 'transfer', options: {} };
/**
 * Internal to API v2's `command` operation: the client's own ffmpeg/ffprobe or ImageMagick
 * command line, already split and checked (src/core/v2/command-line.ts), over the input tasks'
 * files laid out as `/input/<task>/<filename>`.
 */
export interface CommandPlan {
  readonly mode: 'command';
  /** The engine whose tools run (and whose class of queue and limits the process takes). */
  readonly engine: 'ffmpeg' | 'imagemagick';
  readonly inputFormat?: undefined;
  readonly outputFormat?: undefined;
  readonly group?: undefined;
  readonly options: {
    readonly command: 'ffmpeg' | 'ffprobe' | 'convert' | 'identify';
    /** argv with the client's `/input/` and `/output/` paths, mapped only when it runs. */
    readonly arguments: readonly string[];
    /** Put stdout and stderr (bounded) into the task's `result.output`. */
    readonly captureOutput: boolean;
    /** Each input file's task name and file name, in the order the process fetches them. */
    readonly inputs: readonly { readonly task: string; readonly filename: string }[];
  };
}
/** The plans a client can ask for by mode (v1) or operation (v2). */
export type CatalogPlan = ConvertPlan | InfoPlan | CompressPlan | CombinePlan | ArchivePlan | ExtractPlan;
/** What a process runs: a v1 plan, or one of API v2's own (transfers, PDF tools, watermark, metadata, command). */
export type ConversionPlan = CatalogPlan | PdfToolPlan | TransferPlan | EditPlan | CommandPlan;
export type { PdfToolPlan } from './engines/pdf-tools.js';

export interface PlanRequest {
  readonly mode: Mode;
  readonly inputformat: string | undefined;
  readonly outputformat: string | undefined;
  readonly converteroptions: Readonly<Record<string, unknown>> | undefined;
}

/** What mode=combine turns into PDF pages before merging. */
export const COMBINE_INPUTS: readonly Format[] = ['pdf', ...IMAGES_TO_PDF_INPUTS, ...OFFICE_INPUTS];

/** The inputformat of mode=archive as /conversiontypes lists it: files of any format. */
export const ANY_INPUT = '*';

/** The 400 for "*" where a real format is needed: only mode=archive takes files of any format. */
export function anyInputRefused(field: 'inputformat' | 'outputformat', mode: string | undefined): Error {
  if (field === 'outputformat') return appError('UNSUPPORTED_CONVERSION', 'This conversiontype is not supported! outputformat "*" is not a format: name the format to write, e.g. outputformat=zip.');
  return appError(
    'UNSUPPORTED_CONVERSION',
    `This conversiontype is not supported! inputformat "*" (files of any format) is only for mode=archive${mode === undefined ? '' : `, not mode=${mode}`}. Name the input's format, e.g. inputformat=png, or leave inputformat out.`,
  );
}

function knownFormat(value: string | undefined, field: 'inputformat' | 'outputformat', mode?: Mode): Format {
  if (value === undefined) throw appError('MISSING_PARAMETER', `The parameter ${field} is missing. Give the file format, e.g. ${field}=png.`);
  if (value.trim() === ANY_INPUT) throw anyInputRefused(field, mode);
  const format = normalizeFormat(value);
  if (format === undefined) {
    throw appError('UNSUPPORTED_CONVERSION', `This conversiontype is not supported! Unknown ${field} "${value.slice(0, 40)}". GET /conversiontypes lists the supported formats.`);
  }
  return format;
}

/** For modes where inputformat is optional: the named format, if any. */
function optionalFormat(value: string | undefined, field: 'inputformat' | 'outputformat', mode: Mode): Format | undefined {
  return value === undefined ? undefined : knownFormat(value, field, mode);
}

export function resolvePlan(request: PlanRequest): CatalogPlan {
  if (!(SUPPORTED_MODES as readonly string[]).includes(request.mode)) {
    throw appError('NOT_SUPPORTED_YET', `mode=${request.mode} is not supported yet by this server. Supported modes: ${SUPPORTED_MODES.join(', ')}.`);
  }
  switch (request.mode) {
    case 'info':
      return infoPlan(request);
    case 'compress':
      return compressPlan(request);
    case 'combine':
      return combinePlan(request);
    case 'archive':
      return archivePlan(request);
    case 'extract':
      return extractPlan(request);
    case 'convert':
      return convertPlan(request);
  }
}

function infoPlan(request: PlanRequest): InfoPlan {
  const input = knownFormat(request.inputformat, 'inputformat', request.mode);
  const engine = findInfoEngine(input);
  if (engine === undefined) throw appError('UNSUPPORTED_CONVERSION', `This conversiontype is not supported! mode=info is not available for ${input} files.`);
  const { values } = validateOptions(INFO_OPTIONS[engine], request.converteroptions, `mode=info on ${input}`);
  return { mode: 'info', inputFormat: input, outputFormat: input, engine, group: FORMATS[input].group, options: values } as InfoPlan;
}

function convertPlan(request: PlanRequest): ConvertPlan {
  const input = knownFormat(request.inputformat, 'inputformat', request.mode);
  const output = knownFormat(request.outputformat, 'outputformat');
  const type = findConversionType(input, output);
  if (type === undefined) {
    const outputs = listConversionTypes({ inputformat: input }).map((t) => t.outputformat);
    const hint = outputs.length > 0 ? `${input} converts to: ${outputs.join(', ')}.` : `No conversion reads ${input}.`;
    throw appError('UNSUPPORTED_CONVERSION', `This conversiontype is not supported! ${input} to ${output} is not available. ${hint}`);
  }
  // The pair's own options are validated and shown; the engine's others are null for it.
  const { values } = validateOptions(type.options, request.converteroptions, `${input} to ${output}`);
  const allNull = Object.fromEntries(Object.keys(ENGINE_OPTIONS[type.engine]).map((name) => [name, null]));
  return { mode: 'convert', inputFormat: input, outputFormat: output, engine: type.engine, group: type.group, options: { ...allNull, ...values } } as ConvertPlan;
}

function compressPlan(request: PlanRequest): CompressPlan {
  const input = knownFormat(request.inputformat, 'inputformat', request.mode);
  const engine = COMPRESS_ENGINES[input];
  const formats = Object.keys(COMPRESS_ENGINES).join(', ');
  if (engine === undefined) throw appError('UNSUPPORTED_CONVERSION', `This conversiontype is not supported! mode=compress reads ${formats}, not ${input}.`);
  const output = request.outputformat === undefined ? input : knownFormat(request.outputformat, 'outputformat');
  if (output !== input) throw appError('UNSUPPORTED_CONVERSION', `This conversiontype is not supported! mode=compress keeps the format: outputformat must be ${input} (or absent), not ${output}.`);
  const { values } = validateOptions(COMPRESS_OPTIONS[engine], request.converteroptions, `mode=compress on ${input}`);
  return { mode: 'compress', inputFormat: input, outputFormat: input, engine, group: FORMATS[input].group, options: values } as CompressPlan;
}

function combinePlan(request: PlanRequest): CombinePlan {
  const output = request.outputformat === undefined ? 'pdf' : knownFormat(request.outputformat, 'outputformat');
  if (output !== 'pdf') throw appError('UNSUPPORTED_CONVERSION', `This conversiontype is not supported! mode=combine makes one PDF: outputformat must be pdf, not ${output}. To pack files together, use mode=archive.`);
  const input = optionalFormat(request.inputformat, 'inputformat', request.mode) ?? 'pdf';
  assertCombinable(input);
  return { mode: 'combine', inputFormat: input, outputFormat: 'pdf', engine: COMBINE_ENGINE_ID, group: FORMATS[input].group, options: {} };
}

/** A clear 400 for an input mode=combine cannot turn into PDF pages. */
export function assertCombinable(format: Format): void {
  if (!COMBINE_INPUTS.includes(format)) {
    throw appError('UNSUPPORTED_CONVERSION', `This conversiontype is not supported! mode=combine cannot add ${format} files to a PDF. It reads: ${COMBINE_INPUTS.join(', ')}.`);
  }
}

function archivePlan(request: PlanRequest): ArchivePlan {
  const output = knownFormat(request.outputformat, 'outputformat');
  if (!ARCHIVE_OUTPUTS.includes(output)) {
    throw appError('UNSUPPORTED_CONVERSION', `This conversiontype is not supported! mode=archive writes ${ARCHIVE_OUTPUTS.join(', ') || 'no format yet'}, not ${output}.`);
  }
  // "*" (as listed) or nothing: files of any format, each packed as it is. The plan's inputFormat
  // then names the archive's own format; no step reads it as the inputs' format in this mode.
  const asked = request.inputformat?.trim() === ANY_INPUT ? undefined : request.inputformat;
  const input = optionalFormat(asked, 'inputformat', request.mode) ?? output;
  const { values } = validateOptions(ARCHIVE_OPTIONS, request.converteroptions, `mode=archive to ${output}`);
  return { mode: 'archive', inputFormat: input, outputFormat: output, engine: ARCHIVE_ENGINE_ID, group: 'archive', options: values };
}

function extractPlan(request: PlanRequest): ExtractPlan {
  const input = knownFormat(request.inputformat, 'inputformat', request.mode);
  if (!EXTRACT_INPUTS.includes(input)) {
    throw appError('UNSUPPORTED_CONVERSION', `This conversiontype is not supported! mode=extract reads ${EXTRACT_INPUTS.join(', ') || 'no format yet'}, not ${input}.`);
  }
  const { values } = validateOptions(EXTRACT_OPTIONS, request.converteroptions, `mode=extract of ${input}`);
  return { mode: 'extract', inputFormat: input, outputFormat: input, engine: ARCHIVE_ENGINE_ID, group: 'archive', options: values };
}

/**
 * A PDF tool of API v2 over one input: the input format is one the tool reads, the options fit
 * its schema, and the options it cannot do without are given (INVALID_OPTION names the first).
 */
export function resolvePdfToolPlan(tool: PdfTool, inputformat: string | undefined, options: Readonly<Record<string, unknown>>): PdfToolPlan {
  const input = optionalFormat(inputformat, 'inputformat', 'convert') ?? 'pdf';
  const reads = PDF_TOOL_INPUTS[tool];
  if (!reads.includes(input)) throw appError('UNSUPPORTED_CONVERSION', `This conversiontype is not supported! This PDF tool reads ${reads.join(', ')}, not ${input}.`);
  const { values } = validateOptions(PDF_TOOL_OPTIONS[tool], options, `this PDF tool`);
  const missing = PDF_TOOL_REQUIRED[tool].find((name) => (values as Readonly<Record<string, unknown>>)[name] === null);
  if (missing !== undefined) throw appError('INVALID_OPTION', `The converter option ${missing} is required for this PDF tool.`);
  return { mode: 'pdftool', engine: PDF_TOOLS_ENGINE_ID, tool, inputFormat: input, outputFormat: 'pdf', group: FORMATS[input].group, options: values } as PdfToolPlan;
}

/** The v1 mode a process record shows for a plan (API v2's own plans have none of their own). */
export function recordModeOf(plan: ConversionPlan): Mode {
  switch (plan.mode) {
    case 'transfer':
    case 'pdftool':
    case 'command':
    case 'watermark':
    case 'metadata-write':
      return 'convert';
    case 'metadata':
      return 'info';
    default:
      return plan.mode;
  }
}
