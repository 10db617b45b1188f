// Describes a conversion's options for people and tools (the API console): each option's type,
// default and valid values, read from the same specs that validate requests.
import { appError } from '../errors.js';
import { ARCHIVE_OPTIONS, EXTRACT_OPTIONS } from './engines/archive.js';
import { COMPRESS_OPTIONS } from './engine-catalog.js';
import { findConversionType, findInfoEngine, INFO_OPTIONS, listConversionTypes, SUPPORTED_MODES, type AnyEngineId, type Format, type SupportedMode } from './index.js';
import { resolvePlan, type CatalogPlan } from './resolve.js';
import { describeValidValues, type OptionSpec, type OptionSpecs } from './options.js';

/** One option as GET /conversiontypes/options shows it; fields beyond `valid` depend on `type`. */
export interface OptionDoc {
  readonly name: string;
  readonly type: OptionSpec['type'];
  readonly default: string | number | boolean | null;
  readonly description: string;
  /** The valid values in words, as error messages give them. */
  readonly valid: string;
  readonly min?: number;
  readonly max?: number;
  readonly values?: readonly string[];
  /** The pattern's JavaScript source (for `type: 'pattern'`). */
  readonly pattern?: string;
}

export interface ConversionDoc {
  readonly mode: SupportedMode;
  readonly inputformat: Format;
  readonly outputformat: Format;
  readonly converter: AnyEngineId;
  readonly options: readonly OptionDoc[];
}

export function describeOptions(specs: OptionSpecs): OptionDoc[] {
  return Object.entries(specs).map(([name, spec]) => {
    const base = { name, type: spec.type, default: spec.default, description: spec.description, valid: describeValidValues(spec) };
    switch (spec.type) {
      case 'integer':
      case 'number':
        return { ...base, min: spec.min, max: spec.max };
      case 'enum':
        return { ...base, values: spec.values };
      case 'pattern':
        return { ...base, pattern: spec.pattern.source };
      case 'boolean':
        return base;
    }
  });
}

/** The option specs a plan validates against (what /conversiontypes/options shows for it). */
function specsOf(plan: CatalogPlan): OptionSpecs {
  switch (plan.mode) {
    case 'convert':
      return findConversionType(plan.inputFormat, plan.outputFormat)?.options ?? {};
    case 'info':
      return INFO_OPTIONS[plan.engine];
    case 'compress':
      return COMPRESS_OPTIONS[plan.engine];
    case 'archive':
      return ARCHIVE_OPTIONS;
    case 'extract':
      return EXTRACT_OPTIONS;
    case 'combine':
      return {};
  }
}

/** The options of one conversion (or of another mode on a format), or the 400 /process would give. */
export function describeConversion(request: { mode?: string | undefined; inputformat?: string | undefined; outputformat?: string | undefined }): ConversionDoc {
  const mode = (request.mode ?? 'convert').toLowerCase();
  if (!(SUPPORTED_MODES as readonly string[]).includes(mode)) {
    throw appError('NOT_SUPPORTED_YET', `mode=${mode.slice(0, 40)} is not supported yet by this server. Supported modes: ${SUPPORTED_MODES.join(', ')}.`);
  }
  const plan = resolvePlan({ mode: mode as SupportedMode, inputformat: request.inputformat, outputformat: request.outputformat, converteroptions: undefined });
  return { mode: plan.mode, inputformat: plan.inputFormat, outputformat: plan.outputFormat, converter: plan.engine, options: describeOptions(specsOf(plan)) };
}

/** Input formats that `mode=info` can describe. */
export function infoInputFormats(): Format[] {
  const inputs = new Set(listConversionTypes().map((t) => t.inputformat));
  return [...inputs].filter((format) => findInfoEngine(format) !== undefined);
}
