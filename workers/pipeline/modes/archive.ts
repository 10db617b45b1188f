// mode=archive (several inputs → one archive) and mode=extract (one archive → its files).
import { appError } from '../../../src/core/errors.js';
import type { ArchivePlan, ExtractPlan } from '../../../src/core/catalog/resolve.js';
import type { PipelineContext } from '../context.js';
import { firstInput, type ModeTarget } from './target.js';

export async function archiveFiles(ctx: PipelineContext, plan: ArchivePlan, target: ModeTarget): Promise<void> {
  const inputs = ctx.state.inputs ?? [];
  if (inputs.length === 0) throw appError('INPUT_UNAVAILABLE', 'mode=archive has no input files.');
  const archive = await ctx.services.engines.archiver.archive({ inputs, outputFormat: plan.outputFormat, options: plan.options, outputDir: target.outputDir, outputName: target.outputName }, target.context);
  ctx.state.outputs = [archive];
}

export async function extractArchive(ctx: PipelineContext, plan: ExtractPlan, target: ModeTarget): Promise<void> {
  const request = { inputPath: firstInput(ctx), inputFormat: plan.inputFormat, options: plan.options, outputDir: target.outputDir };
  ctx.state.outputs = await ctx.services.engines.archiver.extract(request, target.context);
}
