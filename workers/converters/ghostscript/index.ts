// mode=compress of PDFs: Ghostscript's pdfwrite re-encodes the file with one of its presets
// (images downsampled, fonts subset, streams recompressed).
import { appError } from '../../../src/core/errors.js';
import type { Compressor } from '../types.js';

export interface GhostscriptEngineSettings {
  readonly ghostscript: string;
}

export function createGhostscriptEngine(_settings: GhostscriptEngineSettings): Compressor<'ghostscript'> {
  return { compress: () => Promise.reject(appError('NOT_SUPPORTED_YET', 'PDF compression is not available yet.')) };
}
