// mode=compress options, and the Ghostscript engine (it only compresses PDFs).
import type { EngineCatalog } from '../engine-record.js';
import type { OptionSpecs } from '../options.js';

/** Ghostscript's pdfwrite presets, smallest first. */
export const PDF_PRESETS = ['screen', 'ebook', 'printer', 'prepress'] as const;

export const GHOSTSCRIPT_COMPRESS_OPTIONS = {
  pdf_preset: {
    type: 'enum',
    values: PDF_PRESETS,
    default: 'ebook',
    description: 'How far images are downsampled: screen (72 dpi), ebook (150 dpi), printer (300 dpi), prepress (300 dpi, colour kept for print).',
  },
} as const satisfies OptionSpecs;

export const SHARP_COMPRESS_OPTIONS = {
  quality: { type: 'integer', min: 1, max: 100, default: 75, description: 'JPEG quality, or for PNG the palette quality (lower is smaller).' },
} as const satisfies OptionSpecs;

export const GHOSTSCRIPT_ENGINE = {
  compress: { inputs: ['pdf'], options: GHOSTSCRIPT_COMPRESS_OPTIONS },
} as const satisfies EngineCatalog;
