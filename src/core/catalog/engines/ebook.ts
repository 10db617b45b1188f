// The ebook engine (calibre's ebook-convert): ebooks among each other and to/from documents.
import type { OptionSpecs } from '../options.js';
import type { PairGroup } from '../pair-groups.js';

/** Every calibre option: what the converter receives (a pair shows its subset). */
export const CALIBRE_OPTIONS = {} as const satisfies OptionSpecs;

export const CALIBRE_PAIRS: readonly PairGroup[] = [];
