// Describes a conversion's options for people and tools (the API console): each option's type,
// default and valid values, read from the same specs that validate requests.
import { appError } from '../errors.js';
import { findConversionType, findInfoEngine, INFO_OPTIONS, listConversionTypes, SUPPORTED_MODES, type EngineId, type Format, type SupportedMode } from './index.js';
import { normalizeFormat } from './formats.js';
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
  readonly converter: EngineId;
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

function known(value: string | undefined, field: 'inputformat' | 'outputformat'): Format {
  if (value === undefined) throw appError('MISSING_PARAMETER', `The parameter ${field} is missing. Give the file format, e.g. ${field}=png.`);
  const format = normalizeFormat(value);
  if (format === undefined) throw appError('UNSUPPORTED_CONVERSION', `This conversiontype is not supported! Unknown ${field} "${value.slice(0, 40)}". GET /conversiontypes lists the supported formats.`);
  return format;
}

/** The options of one conversion (or of `mode=info` on a format), or the 400 /process would give. */
export function describeConversion(request: { mode?: string | undefined; inputformat?: string | undefined; outputformat?: string | undefined }): ConversionDoc {
  const mode = (request.mode ?? 'convert').toLowerCase();
  if (!(SUPPORTED_MODES as readonly string[]).includes(mode)) {
    throw appError('NOT_SUPPORTED_YET', `mode=${mode.slice(0, 40)} is not supported yet by this server. Supported modes: ${SUPPORTED_MODES.join(', ')}.`);
  }
  const input = known(request.inputformat, 'inputformat');
  if (mode === 'info') {
    const engine = findInfoEngine(input);
    if (engine === undefined) throw appError('UNSUPPORTED_CONVERSION', `This conversiontype is not supported! mode=info is not available for ${input} files.`);
    return { mode: 'info', inputformat: input, outputformat: input, converter: engine, options: describeOptions(INFO_OPTIONS[engine]) };
  }
  const output = known(request.outputformat, 'outputformat');
  const type = findConversionType(input, output);
  if (type === undefined) {
    const outputs = listConversionTypes({ inputformat: input }).map((t) => t.outputformat);
    throw appError('UNSUPPORTED_CONVERSION', `This conversiontype is not supported! ${input} to ${output} is not available.${outputs.length > 0 ? ` ${input} converts to: ${outputs.join(', ')}.` : ''}`);
  }
  return { mode: 'convert', inputformat: input, outputformat: output, converter: type.engine, options: describeOptions(type.options) };
}

/** Input formats that `mode=info` can describe. */
export function infoInputFormats(): Format[] {
  const inputs = new Set(listConversionTypes().map((t) => t.inputformat));
  return [...inputs].filter((format) => findInfoEngine(format) !== undefined);
}
