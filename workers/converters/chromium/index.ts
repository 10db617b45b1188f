// The website engine: a supervised pool of warm Chromium browsers (puppeteer-core) capturing web
// pages and HTML files as png/jpg/webp screenshots or printed PDFs.
import { appError } from '../../../src/core/errors.js';
import type { Converter } from '../types.js';

export interface ChromiumEngineSettings {
  readonly path: string;
  readonly poolSize: number;
  readonly maxCaptures: number;
  /** Whether pages may reach private and loopback addresses (ALLOW_PRIVATE_URLS). */
  readonly allowPrivateUrls: boolean;
  /** Where browser profiles live (removed when the engine closes). */
  readonly tempDir: string;
}

export interface ChromiumEngine extends Converter<'chromium'> {
  /** Closes every browser and removes their profiles. */
  close(): Promise<void>;
}

export function createChromiumEngine(_settings: ChromiumEngineSettings): ChromiumEngine {
  return {
    convert: () => Promise.reject(appError('NOT_SUPPORTED_YET', 'Website capture is not available yet.')),
    close: () => Promise.resolve(),
  };
}
