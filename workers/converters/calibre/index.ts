// The ebook engine: calibre's ebook-convert between ebook formats and documents.
import { appError } from '../../../src/core/errors.js';
import type { Converter } from '../types.js';

export interface EbookEngineSettings {
  readonly ebookConvert: string;
}

export function createEbookEngine(_settings: EbookEngineSettings): Converter<'calibre'> {
  return { convert: () => Promise.reject(appError('NOT_SUPPORTED_YET', 'Ebook conversion is not available yet.')) };
}
