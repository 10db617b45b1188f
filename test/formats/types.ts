// The format matrix's parts: for each format, how a test makes a small valid sample of it (input
// side) and how a test proves a converted file is really that format (output side, by content:
// signature plus a real parse). Each part covers one area (images, media, fonts...) and lives in
// parts/<area>.ts; parts/index.ts lists them, and a format may appear in one part only.
import type { AnyEngineId, Format } from '../../src/core/catalog/index.js';

/** Writes a small valid file of the format into `dir` (made at test time by a real tool) and returns its path. */
export type SampleMaker = (dir: string) => Promise<string>;

/** What the matrix knows of the pair whose output is being checked. */
export interface CheckedPair {
  readonly input: Format;
  readonly output: Format;
  /** The sample that was converted. */
  readonly sample: string;
}

/**
 * Proves the outputs of one conversion are files of the format, by content: throws (an
 * AssertionError, or any Error) with a message naming what is wrong. `files` holds every output
 * file (several for page-per-file outputs).
 */
export type OutputCheck = (files: readonly string[], pair: CheckedPair) => Promise<void>;

/** One conversion that sets an engine's options (other than their defaults), run in CI. */
export interface OptionSample {
  readonly input: Format;
  readonly output: Format;
  readonly options: Readonly<Record<string, unknown>>;
}

export interface FormatPart {
  /** What the part covers, for messages. */
  readonly name: string;
  readonly samples: Partial<Record<Format, SampleMaker>>;
  readonly checks: Partial<Record<Format, OutputCheck>>;
  /** Per engine the part adds or owns: one conversion with its options set. */
  readonly optionSamples?: Partial<Record<AnyEngineId, OptionSample>>;
  /** Tools the part's samples or checks run, checked once with an install hint. */
  readonly tools?: readonly string[];
}
