// The website engine (Chromium): web pages and HTML files captured as images or printed as PDF.
import type { OptionSpecs } from '../options.js';
import type { PairGroup } from '../pair-groups.js';

/** Every Chromium option: what the converter receives (a pair shows its subset). */
export const CHROMIUM_OPTIONS = {} as const satisfies OptionSpecs;

export const CHROMIUM_PAIRS: readonly PairGroup[] = [];
