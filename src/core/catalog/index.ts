// The conversion catalog: the single list of engines, format pairs, groups and option schemas.
// /conversiontypes is generated from it and /process validates against it. Pure data and
// lookups, so the API loads it without loading sharp, ffmpeg or Chromium.
import { ENGINE_PRECEDENCE, type EngineId, type InfoEngineId } from './engines.js';
import { IMAGE_INPUTS, IMAGE_OPTIONS, IMAGE_OUTPUTS } from './engines/image.js';
import { AUDIO_FORMATS, AUDIO_OPTIONS, AUDIO_OUTPUTS, MEDIA_INFO_OPTIONS, MEDIA_OPTIONS, THUMBNAIL_OPTIONS, THUMBNAIL_OUTPUTS, VIDEO_FORMATS, VIDEO_OPTIONS, VIDEO_OUTPUTS } from './engines/media.js';
import { LIBREOFFICE_OPTIONS, OFFICE_INPUTS, OFFICE_OPTIONS, OFFICE_PDF_OPTIONS, PDF_TO_OFFICE_OUTPUTS, PRESENTATIONS, SPREADSHEETS, TEXT_DOCUMENTS } from './engines/office.js';
import { IMAGES_TO_PDF_INPUTS, MUPDF_OPTIONS, PDF_EDIT_OPTIONS, PDF_IMAGE_OPTIONS, PDF_IMAGE_OUTPUTS, PDF_TEXT_OPTIONS, PDF_TEXT_OUTPUTS, PDF_VECTOR_OUTPUTS } from './engines/pdf.js';
import { CALIBRE_OPTIONS, CALIBRE_PAIRS } from './engines/ebook.js';
import { INKSCAPE_OPTIONS, INKSCAPE_PAIRS } from './engines/vector.js';
import { CHROMIUM_OPTIONS, CHROMIUM_PAIRS } from './engines/website.js';
import { FORMATS, type Format, type Group } from './formats.js';
import type { OptionSpecs, OptionsOf } from './options.js';
import type { PairGroup } from './pair-groups.js';

export { ALL_ENGINE_IDS, ENGINE_IDS, INFO_ENGINE_IDS, type AnyEngineId, type CompressEngineId, type EngineId, type InfoEngineId } from './engines.js';
export { FORMATS, normalizeFormat, mimeForFilename, type Format, type Group } from './formats.js';

/** CloudConvert's modes. Only the ones in SUPPORTED_MODES run here; others answer 400. */
export const MODES = ['convert', 'info', 'combine', 'archive', 'extract', 'compress'] as const;
export type Mode = (typeof MODES)[number];
export const SUPPORTED_MODES = ['convert', 'info', 'combine', 'archive', 'extract', 'compress'] as const satisfies readonly Mode[];
export type SupportedMode = (typeof SUPPORTED_MODES)[number];
/** Modes that take several input files (`files`, or several uploads). */
export const MULTI_INPUT_MODES = ['combine', 'archive'] as const satisfies readonly Mode[];

export const ENGINE_OPTIONS = {
  sharp: IMAGE_OPTIONS,
  ffmpeg: MEDIA_OPTIONS,
  libreoffice: LIBREOFFICE_OPTIONS,
  mupdf: MUPDF_OPTIONS,
  chromium: CHROMIUM_OPTIONS,
  calibre: CALIBRE_OPTIONS,
  inkscape: INKSCAPE_OPTIONS,
} as const satisfies Record<EngineId, OptionSpecs>;

/** Options of `mode=info` per engine. */
export const INFO_OPTIONS = {
  sharp: {},
  ffmpeg: MEDIA_INFO_OPTIONS,
} as const satisfies Record<InfoEngineId, OptionSpecs>;

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
const INFO_ENGINES: Readonly<Partial<Record<Format, InfoEngineId>>> = Object.fromEntries([
  ...IMAGE_INPUTS.map((f) => [f, 'sharp']),
  ...[...VIDEO_FORMATS, ...AUDIO_FORMATS].map((f) => [f, 'ffmpeg']),
]);

const pairs = (inputs: readonly Format[], outputs: readonly Format[], engine: EngineId, options: OptionSpecs, note: (input: Format, output: Format) => string = () => ''): ConversionType[] =>
  inputs.flatMap((input) => outputs.map((output) => ({ inputformat: input, outputformat: output, engine, group: FORMATS[input].group, note: note(input, output), options })));

function mediaTypes(): ConversionType[] {
  const videoInputs: readonly Format[] = [...VIDEO_FORMATS, 'gif'];
  return [
    ...pairs(videoInputs, VIDEO_OUTPUTS, 'ffmpeg', VIDEO_OPTIONS),
    ...pairs(videoInputs, AUDIO_OUTPUTS, 'ffmpeg', AUDIO_OPTIONS),
    ...pairs(AUDIO_FORMATS, AUDIO_OUTPUTS, 'ffmpeg', AUDIO_OPTIONS),
    ...pairs(VIDEO_FORMATS, THUMBNAIL_OUTPUTS, 'ffmpeg', THUMBNAIL_OPTIONS, () => 'Thumbnails: thumbnail_count frames spread over the duration; several are one file each.'),
  ];
}

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

function officeTypes(): ConversionType[] {
  const within = (group: readonly Format[]): ConversionType[] => group.flatMap((input) => pairs([input], group.filter((output) => output !== input), 'libreoffice', OFFICE_OPTIONS));
  return [
    ...pairs(OFFICE_INPUTS, ['pdf'], 'libreoffice', OFFICE_PDF_OPTIONS),
    ...within(TEXT_DOCUMENTS),
    ...within(SPREADSHEETS),
    ...within(PRESENTATIONS),
    ...pairs(['pdf'], PDF_TO_OFFICE_OUTPUTS, 'libreoffice', OFFICE_OPTIONS, () => 'Text and graphics become positioned frames (LibreOffice\'s PDF import); editing fidelity is limited.'),
  ];
}

function pdfTypes(): ConversionType[] {
  return [
    ...pairs(['pdf'], PDF_IMAGE_OUTPUTS, 'mupdf', PDF_IMAGE_OPTIONS, () => 'One image per page: <name>-<page>.<ext> when there are several.'),
    ...pairs(['pdf'], PDF_TEXT_OUTPUTS, 'mupdf', PDF_TEXT_OPTIONS, (_, output) => (output === 'html' ? 'Text lines positioned as on each page; drawings are not kept (use svg for those).' : '')),
    ...pairs(['pdf'], PDF_VECTOR_OUTPUTS, 'mupdf', PDF_TEXT_OPTIONS, () => 'One SVG per page: <name>-<page>.svg when there are several; text as outlines.'),
    ...pairs(['pdf'], ['pdf'], 'mupdf', PDF_EDIT_OPTIONS, () => 'Page extraction (page_range), rotation and encryption of a PDF.'),
    ...pairs(IMAGES_TO_PDF_INPUTS, ['pdf'], 'mupdf', {}, () => 'One page per image (per page of a multi-page TIFF).'),
  ];
}

/** The pair groups an engine's catalog file declares. */
const fromGroups = (groups: readonly PairGroup[], engine: EngineId): ConversionType[] =>
  groups.flatMap((g) => pairs(g.inputs, g.outputs, engine, g.options, () => g.note ?? '')).filter((t) => t.inputformat !== t.outputformat);

const ALL_TYPES: readonly ConversionType[] = [
  ...imageTypes(),
  ...mediaTypes(),
  ...officeTypes(),
  ...pdfTypes(),
  ...fromGroups(CHROMIUM_PAIRS, 'chromium'),
  ...fromGroups(CALIBRE_PAIRS, 'calibre'),
  ...fromGroups(INKSCAPE_PAIRS, 'inkscape'),
].sort(
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
