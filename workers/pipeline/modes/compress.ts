// mode=compress: the engine for the format writes a smaller copy; when it is not smaller, the
// original is the result and the message says so (CloudConvert's wording).
import { link, stat } from 'node:fs/promises';
import path from 'node:path';
import type { CompressEngineId } from '../../../src/core/catalog/index.js';
import type { CompressPlan, CompressPlanOf } from '../../../src/core/catalog/resolve.js';
import type { CompressorRegistry, ConverterContext, OutputFile } from '../../converters/types.js';
import type { PipelineContext } from '../context.js';
import { firstInput, type ModeTarget } from './target.js';

export const ALREADY_COMPRESSED = 'We could not compress this file. It seems this file is already compressed.';

/** The plan's engine compresses; E ties the engine to its options' type. */
function compressWith<E extends CompressEngineId>(compressors: CompressorRegistry, plan: CompressPlanOf<E>, inputPath: string, target: ModeTarget, context: ConverterContext): Promise<OutputFile> {
  return compressors[plan.engine].compress({ inputPath, inputFormat: plan.inputFormat, outputDir: target.outputDir, outputName: target.outputName, options: plan.options }, context);
}

export async function compressFile(ctx: PipelineContext, plan: CompressPlan, target: ModeTarget): Promise<void> {
  const inputPath = firstInput(ctx);
  const compressed = await compressWith(ctx.services.engines.compressors, plan, inputPath, target, target.context);
  const [before, after] = await Promise.all([stat(inputPath), stat(compressed.path)]);
  ctx.log.info({ before: before.size, after: after.size }, 'compressed');
  if (after.size < before.size) {
    ctx.state.outputs = [compressed];
    return;
  }
  const original: OutputFile = { path: path.join(target.context.workDir, `original.${plan.inputFormat}`), name: compressed.name };
  await link(inputPath, original.path);
  ctx.state.outputs = [original];
  ctx.state.message = ALREADY_COMPRESSED;
}
