// The archive engine: mode=archive packs several files into one archive; mode=extract unpacks
// an archive into its files.
import type { Format } from '../formats.js';
import type { OptionSpecs } from '../options.js';

/** What mode=archive writes (`outputformat`). */
export const ARCHIVE_OUTPUTS: readonly Format[] = [];
/** What mode=extract reads (`inputformat`). */
export const EXTRACT_INPUTS: readonly Format[] = [];

export const ARCHIVE_OPTIONS = {} as const satisfies OptionSpecs;
export const EXTRACT_OPTIONS = {} as const satisfies OptionSpecs;
