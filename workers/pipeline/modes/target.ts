// What every mode function receives besides the pipeline context.
import type { ConverterContext } from '../../converters/types.js';
import type { PipelineContext } from '../context.js';

export interface ModeTarget {
  /** Empty folder for the outputs. */
  readonly outputDir: string;
  /** Base name of the outputs (the input's name, or the `filename` asked for). */
  readonly outputName: string;
  readonly context: ConverterContext;
}

/** The first input; every mode has one once step `input` ran. */
export function firstInput(ctx: PipelineContext): string {
  if (ctx.state.inputPath === undefined) throw new Error('a mode ran before input');
  return ctx.state.inputPath;
}
