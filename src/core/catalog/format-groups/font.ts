// The font formats: each one's media type, how its files start, and the other spellings users
// send for them.
//
// SVG fonts are `svgfont`, not `svg`: `svg` is a vector drawing here (Inkscape, sharp), and a
// format name must say which reader gets the file. The converter still names its output `.svg`
// (what browsers and font tools expect of an SVG font).
import type { FormatInfo } from './format-info.js';

export const FONT_FORMATS = {
  // sfnt version 0x00010000 (TrueType outlines), or 'true' (old Apple TrueType).
  ttf: { group: 'font', mime: 'font/ttf', signature: { magic: [{ hex: '00010000' }, { ascii: 'true' }] } },
  // sfnt version 'OTTO': OpenType with CFF outlines.
  otf: { group: 'font', mime: 'font/otf', signature: { magic: [{ ascii: 'OTTO' }] } },
  woff: { group: 'font', mime: 'font/woff', signature: { magic: [{ ascii: 'wOFF' }] } },
  woff2: { group: 'font', mime: 'font/woff2', signature: { magic: [{ ascii: 'wOF2' }] } },
  // Embedded OpenType: MagicNumber 0x504C (little-endian) at byte 34 of its header.
  eot: { group: 'font', mime: 'application/vnd.ms-fontobject', signature: { magic: [{ hex: '4c50', at: 34 }] } },
  // An SVG document with <font> elements: XML text, its content checked by the engine.
  svgfont: { group: 'font', mime: 'image/svg+xml', signature: { text: true } },
} as const satisfies Record<string, FormatInfo>;

export const FONT_ALIASES = { truetype: 'ttf', opentype: 'otf' } as const;
