// Turns what a client asked for (mode, formats, options) into a validated conversion plan, or a
// 400 that says what is wrong and what would be accepted.
import { appError } from '../errors.js';
import { ENGINE_OPTIONS, findConversionType, findInfoEngine, INFO_OPTIONS, listConversionTypes, SUPPORTED_MODES, type EngineId, type EngineOptions, type Format, type Group, type InfoEngineId, type Mode } from './index.js';
import { FORMATS, normalizeFormat } from './formats.js';
import { validateOptions, type OptionsOf } from './options.js';

interface PlanBase {
  readonly inputFormat: Format;
  readonly group: Group;
}
/** A conversion by one engine, with that engine's typed options (a union over the engines). */
export type ConvertPlan = { [E in EngineId]: PlanBase & { readonly mode: 'convert'; readonly outputFormat: Format; readonly engine: E; readonly options: EngineOptions[E] } }[EngineId];
export type InfoOptions = { readonly [E in InfoEngineId]: OptionsOf<(typeof INFO_OPTIONS)[E]> };
export type InfoPlan = { [E in InfoEngineId]: PlanBase & { readonly mode: 'info'; readonly outputFormat: Format; readonly engine: E; readonly options: InfoOptions[E] } }[InfoEngineId];
export type ConversionPlan = ConvertPlan | InfoPlan;

export interface PlanRequest {
  readonly mode: Mode;
  readonly inputformat: string | undefined;
  readonly outputformat: string | undefined;
  readonly converteroptions: Readonly<Record<string, unknown>> | undefined;
}

function knownFormat(value: string | undefined, field: 'inputformat' | 'outputformat'): Format {
  if (value === undefined) throw appError('MISSING_PARAMETER', `The parameter ${field} is missing. Give the file format, e.g. ${field}=png.`);
  const format = normalizeFormat(value);
  if (format === undefined) {
    throw appError('UNSUPPORTED_CONVERSION', `This conversiontype is not supported! Unknown ${field} "${value.slice(0, 40)}". GET /conversiontypes lists the supported formats.`);
  }
  return format;
}

export function resolvePlan(request: PlanRequest): ConversionPlan {
  if (!(SUPPORTED_MODES as readonly string[]).includes(request.mode)) {
    throw appError('NOT_SUPPORTED_YET', `mode=${request.mode} is not supported yet by this server. Supported modes: ${SUPPORTED_MODES.join(', ')}.`);
  }
  const input = knownFormat(request.inputformat, 'inputformat');
  if (request.mode === 'info') {
    const engine = findInfoEngine(input);
    if (engine === undefined) throw appError('UNSUPPORTED_CONVERSION', `This conversiontype is not supported! mode=info is not available for ${input} files.`);
    const { values } = validateOptions(INFO_OPTIONS[engine], request.converteroptions, `mode=info on ${input}`);
    return { mode: 'info', inputFormat: input, outputFormat: input, engine, group: FORMATS[input].group, options: values } as InfoPlan;
  }
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
