// The font engine (fontTools, with fontforge for outline conversion and SVG fonts): the web and
// desktop font formats among each other, a specimen picture of a font (png, pdf), and mode=info.
import type { EngineCatalog } from '../engine-record.js';
import type { OptionSpecs } from '../options.js';

export const FONT_FORMATS_READ = ['ttf', 'otf', 'woff', 'woff2', 'eot', 'svgfont'] as const;
export const FONT_FORMATS_WRITTEN = ['ttf', 'otf', 'woff', 'woff2', 'eot', 'svgfont'] as const;
/** A specimen: a picture of the font's characters at a few sizes. */
export const FONT_SPECIMENS = ['png', 'pdf'] as const;

export const FONT_OPTIONS = {
  hinting: { type: 'boolean', default: true, description: 'Keep the hinting instructions (true), or drop them (false: smaller files, for the web, where screens render without them).' },
} as const satisfies OptionSpecs;

export const FONT_ENGINE = {
  convert: {
    options: FONT_OPTIONS,
    pairs: [
      {
        inputs: FONT_FORMATS_READ,
        outputs: FONT_FORMATS_WRITTEN,
        options: FONT_OPTIONS,
        note: 'woff, woff2 and eot keep the outlines of the input; ttf and eot get TrueType outlines, otf CFF outlines (converted by fontforge when the input has the other kind). eot is written uncompressed; MicroType Express compressed eot files are not read.',
      },
      {
        inputs: FONT_FORMATS_READ,
        outputs: FONT_SPECIMENS,
        options: {},
        note: "A specimen of the font (drawn by Pillow): its name, then its first 190 characters at 16, 24, 36 and 56 px, on a 1200 px wide page; the pdf holds the same picture.",
      },
    ],
  },
  info: { inputs: FONT_FORMATS_READ, options: {} },
} as const satisfies EngineCatalog;
