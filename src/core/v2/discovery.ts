// What GET /v2/operations and GET /v2/convert/formats list (wire spec section 9): every operation
// this server runs, per format pair and engine, generated from the same catalog as /conversiontypes
// so the lists cannot drift apart. Image conversions show the v2 option names the operations map
// onto the catalog (width, height, fit); everything else shows the catalog's names.
import { listConversionTypes, normalizeFormat, type ConversionType } from '../catalog/index.js';
import { listModeEntries, type ModeEntry } from '../catalog/mode-entries.js';
import { describeValidValues, type OptionSpec, type OptionSpecs } from '../catalog/options.js';
import { TRANSFER_PLAN } from '../catalog/resolve.js';
import { PDF_TOOL_INPUTS, PDF_TOOL_OPTIONS, PDF_TOOLS_ENGINE_ID } from '../catalog/engines/pdf-tools.js';
import { CAPTURE_URL, COMMAND_FIELDS, PDF_PASSWORD_OPTIONS, TRANSFER_FIELDS, type OperationOption, type OptionType } from './discovery-fields.js';
import { METADATA_WRITE_FIELDS, WATERMARK_FIELDS } from './discovery-edits.js';
import { EXIFTOOL_ENGINE_ID, METADATA_WRITE_INPUTS, WATERMARK_ENGINE_ID, WATERMARK_INPUTS } from '../catalog/edit-plans.js';
import { METADATA_FORMATS } from './operations/metadata.js';
import { OPERATIONS, type Operation } from './model.js';
import { PDF_TOOL_OPERATIONS, type PdfToolOperation } from './operations/pdf-tools.js';
import { FIT_MODES, THUMBNAIL_OUTPUTS } from './operations/processing.js';
import { CAPTURE_OUTPUTS } from './operations/website.js';

export { OPTION_TYPES, type OperationOption, type OptionType } from './discovery-fields.js';

export const DISCOVERY_INCLUDES = ['options', 'engine_versions'] as const;
export type DiscoveryInclude = (typeof DISCOVERY_INCLUDES)[number];

/** Filters of the lists; each compares case-insensitively, formats through their aliases (jpeg = jpg). */
export interface DiscoveryFilter {
  readonly operation?: string;
  readonly input_format?: string;
  readonly output_format?: string;
  readonly engine?: string;
  readonly engine_version?: string;
}

export interface EngineVersion {
  readonly version: string;
  readonly default: boolean;
  readonly latest: boolean;
  readonly deprecated: boolean;
  readonly experimental: boolean;
}

/** One list item; `options` and `engine_versions` only when included. */
export interface OperationItem {
  readonly operation: Operation;
  readonly input_format: string;
  readonly output_format: string;
  readonly engine: string;
  readonly deprecated: false;
  readonly experimental: false;
  /** Always empty: the Java SDK reads it as Map<String,String>, so nothing but strings may go in. */
  readonly meta: Readonly<Record<string, string>>;
  readonly options?: readonly OperationOption[];
  readonly engine_versions?: readonly EngineVersion[];
}

/** `*` stands for files of any format (imports, exports, archive inputs). */
export const ANY_FORMAT = '*';

/**
 * Each engine runs the one version installed with the workers, which the API does not know and a
 * task cannot choose; clients that pick the default version find this one.
 */
export const INSTALLED_VERSION: EngineVersion = { version: 'installed', default: true, latest: true, deprecated: false, experimental: false };

interface Entry {
  readonly operation: Operation;
  readonly input: string;
  readonly output: string;
  readonly engine: string;
  readonly options: () => readonly OperationOption[];
}

const WIRE_TYPES: Readonly<Record<OptionSpec['type'], OptionType>> = { integer: 'integer', number: 'float', boolean: 'boolean', enum: 'enum', pattern: 'string' };

/** A catalog option on the wire; the valid values go into the description where the type does not say them. */
export function wireOption(name: string, spec: OptionSpec): OperationOption {
  const type = WIRE_TYPES[spec.type];
  const description = spec.type === 'enum' || spec.type === 'boolean' ? spec.description : `${spec.description} Valid values: ${describeValidValues(spec)}.`;
  return { name, type, default: spec.default, ...(spec.type === 'enum' ? { possible_values: spec.values } : {}), description };
}

/** Reverse of FIT_MODES: the v2 fit for a catalog resizemode. */
const fitOf = (resizemode: string | null): string | null => Object.entries(FIT_MODES).find(([, mode]) => mode === resizemode)?.[0] ?? null;

/**
 * The options of a catalog entry under their v2 names. Only the image engine's size options have
 * other names in v2 (operations/processing.ts maps them back): `resize` becomes width and height,
 * `resizemode` becomes fit, and resizeenlarge defaults to true there because a v2 size enlarges.
 */
export function v2Options(specs: OptionSpecs): OperationOption[] {
  const sized = specs['resize'] !== undefined && specs['resizemode']?.type === 'enum';
  return Object.entries(specs).flatMap(([name, spec]): OperationOption[] => {
    if (!sized) return [wireOption(name, spec)];
    if (name === 'resize') {
      return [
        { name: 'width', type: 'integer', default: null, description: 'Width of the output in pixels (empty: from the height, keeping the aspect ratio).' },
        { name: 'height', type: 'integer', default: null, description: 'Height of the output in pixels (empty: from the width, keeping the aspect ratio).' },
      ];
    }
    if (name === 'resizemode' && spec.type === 'enum') {
      return [{ name: 'fit', type: 'enum', default: fitOf(spec.default), possible_values: Object.keys(FIT_MODES), description: 'max: fit inside width x height; crop: cover it and cut the rest; scale: stretch to it.' }];
    }
    if (name === 'resizeenlarge') return [{ ...wireOption(name, spec), default: true, description: 'Allow enlarging images smaller than width x height.' }];
    return [wireOption(name, spec)];
  });
}

const fromSpecs = (specs: OptionSpecs) => (): readonly OperationOption[] => v2Options(specs);

function conversionEntry(operation: Operation, type: ConversionType): Entry {
  return { operation, input: type.inputformat, output: type.outputformat, engine: type.engine, options: fromSpecs(type.options) };
}

function modeEntry(operation: Operation, entry: ModeEntry): Entry {
  return { operation, input: entry.inputformat, output: entry.outputformat, engine: entry.engine, options: fromSpecs(entry.options) };
}

/** The entries of one operation, in the catalog's order. */
function entriesOf(operation: Operation): Entry[] {
  const modes = (mode: ModeEntry['mode']): ModeEntry[] => listModeEntries().filter((e) => e.mode === mode);
  switch (operation) {
    case 'convert':
      return listConversionTypes().map((t) => conversionEntry(operation, t));
    case 'optimize':
      return modes('compress').map((e) => modeEntry(operation, e));
    case 'merge':
      return modes('combine').map((e) => modeEntry(operation, e));
    case 'archive':
      return modes('archive').map((e) => modeEntry(operation, e));
    case 'thumbnail':
      return listConversionTypes()
        .filter((t) => (THUMBNAIL_OUTPUTS as readonly string[]).includes(t.outputformat))
        .map((t) => conversionEntry(operation, t));
    case 'capture-website':
      return listConversionTypes({ inputformat: 'website' })
        .filter((t) => (CAPTURE_OUTPUTS as readonly string[]).includes(t.outputformat))
        .map((t) => ({ ...conversionEntry(operation, t), options: () => [CAPTURE_URL, ...v2Options(t.options)] }));
    case 'metadata':
      // A metadata task writes no file: the output format is the input's, as in the catalog's info plan.
      return METADATA_FORMATS.map((format) => ({ operation, input: format, output: format, engine: EXIFTOOL_ENGINE_ID, options: () => [] }));
    case 'metadata/write':
      return METADATA_WRITE_INPUTS.map((format) => ({ operation, input: format, output: format, engine: EXIFTOOL_ENGINE_ID, options: () => METADATA_WRITE_FIELDS }));
    case 'watermark':
      return WATERMARK_INPUTS.map((format) => ({ operation, input: format, output: format, engine: WATERMARK_ENGINE_ID, options: () => WATERMARK_FIELDS }));
    case 'archive/extract':
      return modes('extract').map((e) => modeEntry(operation, e));
    case 'pdf/a':
    case 'pdf/x':
    case 'pdf/ocr':
    case 'pdf/encrypt':
    case 'pdf/decrypt':
    case 'pdf/split-pages':
    case 'pdf/extract-pages':
    case 'pdf/rotate-pages':
      return pdfToolEntries(operation);
    case 'command':
      return (['ffmpeg', 'imagemagick'] as const).map((engine) => ({ operation, input: ANY_FORMAT, output: ANY_FORMAT, engine, options: () => COMMAND_FIELDS[engine] }));
    default: {
      const fields = TRANSFER_FIELDS[operation];
      return [{ operation, input: ANY_FORMAT, output: ANY_FORMAT, engine: TRANSFER_PLAN.engine, options: () => fields }];
    }
  }
}

/** A PDF tool per input it reads; its options, and the passwords of encrypt and decrypt. */
function pdfToolEntries(operation: PdfToolOperation): Entry[] {
  const tool = PDF_TOOL_OPERATIONS[operation];
  const passwords = operation === 'pdf/encrypt' || operation === 'pdf/decrypt' ? PDF_PASSWORD_OPTIONS[operation] : [];
  return PDF_TOOL_INPUTS[tool].map((input) => ({ operation, input, output: 'pdf', engine: PDF_TOOLS_ENGINE_ID, options: () => [...passwords, ...v2Options(PDF_TOOL_OPTIONS[tool])] }));
}

let everything: readonly Entry[] | undefined;

/** Every entry, built on first use (the catalog does not change while the server runs). */
function allEntries(): readonly Entry[] {
  everything ??= OPERATIONS.flatMap(entriesOf);
  return everything;
}

/** A filter value as entries spell it: lower case, formats by their catalog name; undefined when empty. */
function wanted(value: string | undefined, format: boolean): string | undefined {
  const trimmed = value?.trim().toLowerCase();
  if (trimmed === undefined || trimmed === '') return undefined;
  return format && trimmed !== ANY_FORMAT ? (normalizeFormat(trimmed) ?? trimmed) : trimmed;
}

function matches(entry: Entry, filter: DiscoveryFilter): boolean {
  const checks: Array<[string | undefined, string]> = [
    [wanted(filter.operation, false), entry.operation],
    [wanted(filter.input_format, true), entry.input],
    [wanted(filter.output_format, true), entry.output],
    [wanted(filter.engine, false), entry.engine],
    [wanted(filter.engine_version, false), INSTALLED_VERSION.version],
  ];
  return checks.every(([want, have]) => want === undefined || want === have);
}

/** What the operator turned on: the command operation shows it as `meta.enabled`. */
export interface DiscoveryState {
  readonly commandEnabled?: boolean;
}

function itemOf(entry: Entry, include: readonly DiscoveryInclude[], state: DiscoveryState): OperationItem {
  return {
    operation: entry.operation,
    input_format: entry.input,
    output_format: entry.output,
    engine: entry.engine,
    deprecated: false,
    experimental: false,
    meta: entry.operation === 'command' ? { enabled: String(state.commandEnabled === true) } : {},
    ...(include.includes('options') ? { options: entry.options() } : {}),
    ...(include.includes('engine_versions') ? { engine_versions: [INSTALLED_VERSION] } : {}),
  };
}

/** GET /v2/operations: every operation, per format pair and engine, matching the filter. */
export function listOperations(filter: DiscoveryFilter = {}, include: readonly DiscoveryInclude[] = [], state: DiscoveryState = {}): OperationItem[] {
  return allEntries().filter((e) => matches(e, filter)).map((e) => itemOf(e, include, state));
}

/** GET /v2/convert/formats: the convert operation only. */
export function listConvertFormats(filter: DiscoveryFilter = {}, include: readonly DiscoveryInclude[] = []): OperationItem[] {
  return listOperations(filter, include).filter((item) => item.operation === 'convert');
}

/** `include=options,engine_versions` (a list, or repeated); unknown and empty names are ignored. */
export function includesOf(value: unknown): DiscoveryInclude[] {
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : []));
  return DISCOVERY_INCLUDES.filter((name) => parts.some((p) => p.trim().toLowerCase() === name));
}
