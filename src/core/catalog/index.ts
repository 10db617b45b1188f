// The conversion catalog: the single list of engines, format pairs, groups and option schemas.
// /conversiontypes is generated from it and /process validates against it. Pure data and
// lookups, so the API loads it without loading sharp, ffmpeg or Chromium.
import { ENGINE_PRECEDENCE, type EngineId, type InfoEngineId } from './engines.js';
import { IMAGE_INPUTS, IMAGE_OPTIONS, IMAGE_OUTPUTS } from './engines/image.js';
import { FORMATS, type Format, type Group } from './formats.js';
import type { OptionSpecs, OptionsOf } from './options.js';

export { ENGINE_IDS, INFO_ENGINE_IDS, type EngineId, type InfoEngineId } from './engines.js';
export { FORMATS, normalizeFormat, mimeForFilename, type Format, type Group } from './formats.js';

/** CloudConvert's modes. Only the ones in SUPPORTED_MODES run here; others answer 400. */
export const MODES = ['convert', 'info', 'combine', 'archive', 'extract', 'compress'] as const;
export type Mode = (typeof MODES)[number];
export const SUPPORTED_MODES = ['convert', 'info'] as const satisfies readonly Mode[];
export type SupportedMode = (typeof SUPPORTED_MODES)[number];

export const ENGINE_OPTIONS = {
  sharp: IMAGE_OPTIONS,
} as const satisfies Record<EngineId, OptionSpecs>;

/** Typed options per engine, as a converter receives them. */
export type EngineOptions = { readonly [E in EngineId]: OptionsOf<(typeof ENGINE_OPTIONS)[E]> };

export interface ConversionType {
  readonly inputformat: Format;
  readonly outputformat: Format;
  readonly engine: EngineId;
  /** CloudConvert's group: the input format's group. */
  readonly group: Group;
  readonly note: string;
  readonly options: OptionSpecs;
}

/** Which engines can report `mode=info` for an input format. */
const INFO_ENGINES: Readonly<Partial<Record<Format, InfoEngineId>>> = Object.fromEntries(IMAGE_INPUTS.map((f) => [f, 'sharp']));

function imageTypes(): ConversionType[] {
  return IMAGE_INPUTS.flatMap((input) =>
    IMAGE_OUTPUTS.map((output) => ({
      inputformat: input,
      outputformat: output,
      engine: 'sharp' as const,
      group: FORMATS[input].group,
      note: input === 'heif' ? 'Only AVIF-coded HEIF files are readable.' : '',
      options: IMAGE_OPTIONS,
    })),
  );
}

const ALL_TYPES: readonly ConversionType[] = [...imageTypes()].sort(
  (a, b) => ENGINE_PRECEDENCE.indexOf(a.engine) - ENGINE_PRECEDENCE.indexOf(b.engine),
);

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

/** The preferred engine's entry for a pair, following ENGINE_PRECEDENCE. */
export function findConversionType(input: Format, output: Format): ConversionType | undefined {
  return ALL_TYPES.find((t) => t.inputformat === input && t.outputformat === output);
}

export function findInfoEngine(input: Format): InfoEngineId | undefined {
  return INFO_ENGINES[input];
}
