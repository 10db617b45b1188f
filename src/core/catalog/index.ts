// The conversion catalog: the single list of engines, format pairs, groups and option schemas.
// /conversiontypes is generated from it and /process validates against it. Pure data and
// lookups, so the API loads it without loading sharp, ffmpeg or Chromium.
import { ENGINE_CATALOG, ENGINE_IDS, INFO_ENGINES, type EngineId, type InfoEngineId } from './engine-catalog.js';
import type { PairGroup } from './pair-groups.js';
import { FORMATS, type Format, type Group } from './formats.js';
import type { OptionSpecs } from './options.js';

export { ALL_ENGINE_IDS, type AnyEngineId } from './engines.js';
export { COMPRESS_ENGINE_IDS, ENGINE_CATALOG, ENGINE_IDS, ENGINE_OPTIONS, INFO_ENGINE_IDS, INFO_OPTIONS, type CompressEngineId, type EngineId, type EngineOptions, type InfoEngineId } from './engine-catalog.js';
export { FORMATS, normalizeFormat, mimeForFilename, type Format, type Group } from './formats.js';

/** CloudConvert's modes. Only the ones in SUPPORTED_MODES run here; others answer 400. */
export const MODES = ['convert', 'info', 'combine', 'archive', 'extract', 'compress'] as const;
export type Mode = (typeof MODES)[number];
export const SUPPORTED_MODES = ['convert', 'info', 'combine', 'archive', 'extract', 'compress'] as const satisfies readonly Mode[];
export type SupportedMode = (typeof SUPPORTED_MODES)[number];
/** Modes that take several input files (`files`, or several uploads). */
export const MULTI_INPUT_MODES = ['combine', 'archive'] as const satisfies readonly Mode[];

export interface ConversionType {
  readonly inputformat: Format;
  readonly outputformat: Format;
  readonly engine: EngineId;
  /** CloudConvert's group: the input format's group. */
  readonly group: Group;
  readonly note: string;
  readonly options: OptionSpecs;
}

/** An engine's pair groups expanded into conversion types. */
function typesOf(engine: EngineId, groups: readonly PairGroup[]): ConversionType[] {
  return groups.flatMap((g) =>
    g.inputs.flatMap((input) =>
      g.outputs
        .filter((output) => output !== input || g.sameFormat === true)
        .map((output) => ({ inputformat: input, outputformat: output, engine, group: FORMATS[input].group, note: g.note ?? '', options: g.options })),
    ),
  );
}

/** Every pair of every engine, in precedence order (ENGINE_IDS is). */
const ALL_TYPES: readonly ConversionType[] = ENGINE_IDS.flatMap((engine) => typesOf(engine, ENGINE_CATALOG[engine].convert.pairs));

/** Every pair, filtered by either format; the first per pair is the preferred engine. */
export function listConversionTypes(filter: { inputformat?: Format; outputformat?: Format } = {}): readonly ConversionType[] {
  const seen = new Set<string>();
  return ALL_TYPES.filter((t) => {
    if (filter.inputformat !== undefined && t.inputformat !== filter.inputformat) return false;
    if (filter.outputformat !== undefined && t.outputformat !== filter.outputformat) return false;
    const pair = `${t.inputformat}>${t.outputformat}`;
    if (seen.has(pair)) return false;
    seen.add(pair);
    return true;
  });
}

/** The preferred engine's entry for a pair (the first engine of the precedence order). */
export function findConversionType(input: Format, output: Format): ConversionType | undefined {
  return ALL_TYPES.find((t) => t.inputformat === input && t.outputformat === output);
}

export function findInfoEngine(input: Format): InfoEngineId | undefined {
  return INFO_ENGINES[input];
}
