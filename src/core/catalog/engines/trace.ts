// The tracing engine (potrace): raster images become vector drawings (svg, eps) by tracing the
// outlines of their dark areas. Last in precedence: it only serves pairs no other engine writes.
import type { EngineCatalog } from '../engine-record.js';
import type { OptionSpecs } from '../options.js';

/** Raster inputs: sharp reads them and hands potrace a bitmap. */
export const TRACE_INPUTS = ['png', 'jpg', 'webp', 'gif', 'tiff', 'avif'] as const;
export const TRACE_OUTPUTS = ['svg', 'eps'] as const;

export const TRACE_OPTIONS = {
  threshold: { type: 'integer', min: 0, max: 255, default: 128, description: 'Gray level (0-255) below which a pixel counts as ink.' },
  invert: { type: 'boolean', default: false, description: 'Trace the light areas instead of the dark ones.' },
  turdsize: { type: 'integer', min: 0, max: 10000, default: 2, description: 'Speckles of up to this many pixels are dropped.' },
  alphamax: { type: 'number', min: 0, max: 1.3334, default: 1, description: 'Corner threshold: 0 keeps sharp corners, larger values round them.' },
  opttolerance: { type: 'number', min: 0, max: 5, default: 0.2, description: 'How far curve optimisation may stray; 0 turns it off.' },
  color: { type: 'pattern', pattern: /^#[0-9a-fA-F]{6}$/, form: 'a colour such as #1a2b3c', default: '#000000', description: 'Fill colour of the traced shapes.' },
} as const satisfies OptionSpecs;

export const TRACE_ENGINE = {
  convert: {
    options: TRACE_OPTIONS,
    pairs: [{ inputs: TRACE_INPUTS, outputs: TRACE_OUTPUTS, options: TRACE_OPTIONS, note: 'Traced outlines in one colour (potrace): suited to logos, line art and scans, not to photos.' }],
  },
} as const satisfies EngineCatalog;
