// The vector engine (Inkscape, Ghostscript for PostScript): svg, eps, ps, emf, wmf, pdf, png.
// Not listed here, because another engine does them better: svg → png (sharp, faster), pdf → png
// and pdf → svg (mutool: every page, page_range). ps → png is left to ps → pdf → png (multi-page
// documents belong to the PDF engine's page handling).
import type { Format } from '../formats.js';
import type { EngineCatalog } from '../engine-record.js';
import type { OptionSpecs } from '../options.js';
import type { PairGroup } from '../pair-groups.js';

const TEXT_TO_PATH = { type: 'boolean', default: false, description: 'Turn text into outlines: the output then needs no fonts, but its text can no longer be selected or searched.' } as const;
const PAGE = { type: 'integer', min: 1, max: 100_000, default: 1, description: 'pdf and ps input: the page to convert (these outputs hold one page).' } as const;

export const VECTOR_OUTPUT_OPTIONS = { text_to_path: TEXT_TO_PATH } as const satisfies OptionSpecs;

export const VECTOR_PAGE_OPTIONS = { text_to_path: TEXT_TO_PATH, page: PAGE } as const satisfies OptionSpecs;

export const VECTOR_RASTER_OPTIONS = {
  density: { type: 'integer', min: 1, max: 2400, default: 96, description: 'Rendering density in DPI: a drawing of W inches becomes W * density pixels wide (96: one CSS pixel per pixel).' },
  width: { type: 'integer', min: 1, max: 65_535, default: null, description: 'Output width in pixels (overrides density; alone, the height keeps the aspect ratio).' },
  height: { type: 'integer', min: 1, max: 65_535, default: null, description: 'Output height in pixels (overrides density; alone, the width keeps the aspect ratio).' },
} as const satisfies OptionSpecs;

/** Every vector option: what the converter receives (a pair shows its subset). */
export const INKSCAPE_OPTIONS = { ...VECTOR_PAGE_OPTIONS, ...VECTOR_RASTER_OPTIONS } as const satisfies OptionSpecs;

/** Formats written as vectors (one page each, except ps from pdf or ps). */
const VECTOR_OUTPUTS: readonly Format[] = ['svg', 'pdf', 'eps', 'ps', 'emf', 'wmf'];

export const INKSCAPE_PAIRS: readonly PairGroup[] = [
  { inputs: ['svg', 'emf', 'wmf'], outputs: VECTOR_OUTPUTS, options: VECTOR_OUTPUT_OPTIONS, note: 'The page area of the drawing, as vectors; text stays text unless text_to_path.' },
  { inputs: ['emf', 'wmf', 'eps'], outputs: ['png'], options: VECTOR_RASTER_OPTIONS },
  { inputs: ['eps'], outputs: VECTOR_OUTPUTS, options: VECTOR_OUTPUT_OPTIONS, note: 'Cropped to the EPS bounding box.' },
  { inputs: ['pdf'], outputs: ['eps', 'emf', 'wmf'], options: VECTOR_PAGE_OPTIONS, note: 'One page (page, default 1).' },
  { inputs: ['ps'], outputs: ['svg', 'eps', 'emf', 'wmf'], options: VECTOR_PAGE_OPTIONS, note: 'One page (page, default 1).' },
  { inputs: ['pdf'], outputs: ['ps'], options: VECTOR_OUTPUT_OPTIONS, note: 'Every page.' },
  { inputs: ['ps'], outputs: ['pdf'], options: VECTOR_OUTPUT_OPTIONS, note: 'Every page.' },
];

export const VECTOR_ENGINE = { convert: { options: INKSCAPE_OPTIONS, pairs: INKSCAPE_PAIRS } } as const satisfies EngineCatalog;
