// The vector engine: Inkscape for svg, emf, wmf and pdf; Ghostscript for eps and ps.
import { appError } from '../../../src/core/errors.js';
import type { Converter } from '../types.js';

export interface VectorEngineSettings {
  readonly inkscape: string;
  readonly ghostscript: string;
}

export function createVectorEngine(_settings: VectorEngineSettings): Converter<'inkscape'> {
  return { convert: () => Promise.reject(appError('NOT_SUPPORTED_YET', 'Vector conversion is not available yet.')) };
}
