// /conversiontypes entries for the modes other than convert and info, so a client (or a person)
// can see what compress, combine, archive and extract take, with their option defaults. Shown
// after the convert pairs; each carries its `mode`. Not used for validation (resolve.ts is).
import { ARCHIVE_ENGINE_ID, COMBINE_ENGINE_ID, type AnyEngineId } from './engines.js';
import { ARCHIVE_OPTIONS, ARCHIVE_OUTPUTS, EXTRACT_INPUTS, EXTRACT_OPTIONS, SINGLE_FILE_FORMATS } from './engines/archive.js';
import { COMPRESS_ENGINES, COMPRESS_OPTIONS } from './engine-catalog.js';
import { FORMATS, type Format, type Group } from './formats.js';
import type { Mode } from './index.js';
import type { OptionSpecs } from './options.js';
import { COMBINE_INPUTS } from './resolve.js';

export interface ModeEntry {
  readonly mode: Exclude<Mode, 'convert' | 'info'>;
  /** `*` for mode=archive: files of any format. */
  readonly inputformat: Format | '*';
  readonly outputformat: Format;
  readonly engine: AnyEngineId;
  readonly group: Group;
  readonly note: string;
  readonly options: OptionSpecs;
}

function allEntries(): ModeEntry[] {
  const compress = (Object.entries(COMPRESS_ENGINES) as Array<[Format, keyof typeof COMPRESS_OPTIONS]>).map(([format, engine]): ModeEntry => ({
    mode: 'compress',
    inputformat: format,
    outputformat: format,
    engine,
    group: FORMATS[format].group,
    note: 'mode=compress: the same format, smaller; the original when it cannot be made smaller.',
    options: COMPRESS_OPTIONS[engine],
  }));
  const combine = COMBINE_INPUTS.map((format): ModeEntry => ({
    mode: 'combine',
    inputformat: format,
    outputformat: 'pdf',
    engine: COMBINE_ENGINE_ID,
    group: FORMATS[format].group,
    note: 'mode=combine: several files (files, or several file parts) become one PDF in the order given.',
    options: {},
  }));
  const archive = ARCHIVE_OUTPUTS.map((format): ModeEntry => ({
    mode: 'archive',
    inputformat: '*',
    outputformat: format,
    engine: ARCHIVE_ENGINE_ID,
    group: 'archive',
    note: SINGLE_FILE_FORMATS.includes(format)
      ? `mode=archive: one file of any format compressed into a ${format} file (one file only: for several, use tar.${format}).`
      : `mode=archive: several files of any format packed into one ${format} file.`,
    options: ARCHIVE_OPTIONS,
  }));
  const extract = EXTRACT_INPUTS.map((format): ModeEntry => ({
    mode: 'extract',
    inputformat: format,
    outputformat: format,
    engine: ARCHIVE_ENGINE_ID,
    group: 'archive',
    note: SINGLE_FILE_FORMATS.includes(format)
      ? `mode=extract: the one file inside, named after the ${format} file without its suffix.`
      : 'mode=extract: the files inside, each an output file (output.files), folders joined into the names.',
    options: EXTRACT_OPTIONS,
  }));
  return [...compress, ...combine, ...archive, ...extract];
}

const ENTRIES: readonly ModeEntry[] = allEntries();

/**
 * The entries matching the filter. Archive entries (`*`: any input) are listed only without an
 * inputformat filter, so a filtered list keeps saying inputformat = the one asked for.
 */
export function listModeEntries(filter: { inputformat?: Format; outputformat?: Format } = {}): readonly ModeEntry[] {
  return ENTRIES.filter((e) => (filter.inputformat === undefined || e.inputformat === filter.inputformat) && (filter.outputformat === undefined || e.outputformat === filter.outputformat));
}
