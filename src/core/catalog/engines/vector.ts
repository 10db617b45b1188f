// The vector engine (Inkscape, Ghostscript for PostScript): svg, eps, ps, emf, wmf, pdf, png.
import type { OptionSpecs } from '../options.js';
import type { PairGroup } from '../pair-groups.js';

/** Every vector option: what the converter receives (a pair shows its subset). */
export const INKSCAPE_OPTIONS = {} as const satisfies OptionSpecs;

export const INKSCAPE_PAIRS: readonly PairGroup[] = [];
