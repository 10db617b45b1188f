// The image engine (sharp): which formats it reads and writes, and its options.
import type { EngineCatalog } from '../engine-record.js';
import type { OptionSpecs } from '../options.js';
import { SHARP_COMPRESS_OPTIONS } from './compress.js';

/**
 * Formats sharp's bundled libvips reads. Not heif: it has no HEVC decoder, so it would read only
 * AVIF-coded HEIF files, and phones write HEVC; the imagemagick engine (libheif) reads both.
 */
export const IMAGE_INPUTS = ['svg', 'png', 'jpg', 'webp', 'gif', 'tiff', 'avif'] as const;
export const IMAGE_OUTPUTS = ['png', 'jpg', 'webp', 'gif', 'tiff', 'avif'] as const;
/** Outputs that keep every page/frame; other outputs get one file per page. */
export const MULTI_PAGE_OUTPUTS = ['gif', 'webp', 'tiff'] as const;

export const IMAGE_OPTIONS = {
  quality: { type: 'integer', min: 1, max: 100, default: null, description: 'Compression quality for jpg, webp, avif and tiff (null: the encoder default).' },
  resize: { type: 'pattern', pattern: /^(?:\d{1,5}x\d{0,5}|x\d{1,5})$/, form: 'WIDTHxHEIGHT such as 800x600, 800x or x600', default: null, description: 'Target size in pixels; leave one side empty to keep the aspect ratio.' },
  resizemode: { type: 'enum', values: ['maximum', 'minimum', 'exact'], default: 'maximum', description: 'maximum: fit inside the size; minimum: cover it; exact: stretch to it.' },
  resizeenlarge: { type: 'boolean', default: false, description: 'Allow enlarging images smaller than the size.' },
  rotate: { type: 'integer', min: -360, max: 360, default: null, description: 'Rotate clockwise by this many degrees.' },
  grayscale: { type: 'boolean', default: false, description: 'Convert to grayscale.' },
  strip_metatags: { type: 'boolean', default: false, description: 'Remove EXIF, ICC and other metadata.' },
  auto_orient: { type: 'boolean', default: true, description: 'Rotate according to the EXIF orientation.' },
  density: { type: 'integer', min: 1, max: 2400, default: null, description: 'Rendering density in DPI for svg input (null: 72).' },
} as const satisfies OptionSpecs;

export const IMAGE_ENGINE = {
  convert: {
    options: IMAGE_OPTIONS,
    pairs: [
      { inputs: IMAGE_INPUTS, outputs: IMAGE_OUTPUTS, options: IMAGE_OPTIONS, sameFormat: true },
    ],
  },
  info: { inputs: IMAGE_INPUTS, options: {} },
  compress: { inputs: ['jpg', 'png'], options: SHARP_COMPRESS_OPTIONS },
} as const satisfies EngineCatalog;
