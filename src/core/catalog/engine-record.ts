// What an engine's catalog file declares: the abilities it has (convert, info, compress, merge,
// archive), each with the formats it reads and the options it takes.
import type { Format } from './formats.js';
import type { OptionSpecs } from './options.js';
import type { PairGroup } from './pair-groups.js';

/** mode=convert: the format pairs, in groups sharing options and a note. */
export interface ConvertAbility {
  /** Every option a converter of the engine may receive (each pair validates and shows its subset). */
  readonly options: OptionSpecs;
  readonly pairs: readonly PairGroup[];
}

/** An ability that reads one file of the listed formats (mode=info, mode=compress). */
export interface InputAbility {
  readonly inputs: readonly Format[];
  readonly options: OptionSpecs;
}

/** mode=archive (writes `outputs`) and mode=extract (reads `extractInputs`). */
export interface ArchiveAbility {
  readonly outputs: readonly Format[];
  readonly options: OptionSpecs;
  readonly extractInputs: readonly Format[];
  readonly extractOptions: OptionSpecs;
}

export interface EngineCatalog {
  readonly convert?: ConvertAbility;
  readonly info?: InputAbility;
  readonly compress?: InputAbility;
  /** PDFs merged into one (the last step of mode=combine). */
  readonly merge?: { readonly inputs: readonly ['pdf'] };
  readonly archive?: ArchiveAbility;
}

export type Ability = keyof EngineCatalog;
