// mode=compress: which engine makes a file of each format smaller, and its options.
import type { CompressEngineId } from '../engines.js';
import type { Format } from '../formats.js';
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

export const COMPRESS_OPTIONS = { sharp: SHARP_COMPRESS_OPTIONS, ghostscript: GHOSTSCRIPT_COMPRESS_OPTIONS } as const satisfies Record<CompressEngineId, OptionSpecs>;

/** The formats mode=compress reads, and the engine for each. */
export const COMPRESS_ENGINES: Readonly<Partial<Record<Format, CompressEngineId>>> = { pdf: 'ghostscript', jpg: 'sharp', png: 'sharp' };
