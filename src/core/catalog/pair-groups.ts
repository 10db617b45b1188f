// How an engine's catalog file declares its format pairs: groups of inputs × outputs sharing
// options and a note. The catalog's index expands them into conversion types.
import type { Format } from './formats.js';
import type { OptionSpecs } from './options.js';

export interface PairGroup {
  readonly inputs: readonly Format[];
  readonly outputs: readonly Format[];
  /** The options every pair of the group validates and shows. */
  readonly options: OptionSpecs;
  /** Shown with each pair in /conversiontypes ('' for none). */
  readonly note?: string;
  /** A format paired with itself is left out (docx → docx) unless the group says so (pdf → pdf edits). */
  readonly sameFormat?: boolean;
}
