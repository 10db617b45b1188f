// API v2's plans that change a file rather than convert it: watermark, metadata/write, and the
// metadata read (mode=info's fields where an engine reads the format, with exiftool's tags).
import { findInfoEngine } from '../../../src/core/catalog/index.js';
import type { MetadataReadPlan, MetadataWritePlan, WatermarkPlan } from '../../../src/core/catalog/edit-plans.js';
import { resolvePlan, type InfoPlan } from '../../../src/core/catalog/resolve.js';
import { appError, isAppError } from '../../../src/core/errors.js';
import type { PipelineContext } from '../context.js';
import { infoWith } from './convert.js';
import { firstInput, type ModeTarget } from './target.js';

/** The first input is the file to mark; with an image watermark, the second is the image. */
export async function watermarkFile(ctx: PipelineContext, plan: WatermarkPlan, target: ModeTarget): Promise<void> {
  const image = plan.options.image ? ctx.state.inputs?.[1]?.path : undefined;
  if (plan.options.image && image === undefined) throw appError('INPUT_UNAVAILABLE', 'The task named in "image" made no file to use as the watermark.');
  const request = { inputPath: firstInput(ctx), imagePath: image, plan, outputDir: target.outputDir, outputName: target.outputName };
  ctx.state.outputs = [await ctx.services.engines.watermarker.watermark(request, target.context)];
}

export async function writeMetadata(ctx: PipelineContext, plan: MetadataWritePlan, target: ModeTarget): Promise<void> {
  const request = { inputPath: firstInput(ctx), outputDir: target.outputDir, outputFileName: `${target.outputName}.${plan.outputFormat}`, tags: plan.options.tags };
  ctx.state.outputs = [await ctx.services.engines.metadata.write(request, target.context)];
}

/** exiftool's tags, with mode=info's fields on top where an engine reads the format (they keep their values). */
export async function readMetadata(ctx: PipelineContext, plan: MetadataReadPlan, target: ModeTarget): Promise<void> {
  const inputPath = firstInput(ctx);
  let info: Record<string, unknown> = {};
  if (findInfoEngine(plan.inputFormat) !== undefined) {
    const infoPlan = resolvePlan({ mode: 'info', inputformat: plan.inputFormat, outputformat: undefined, converteroptions: undefined }) as InfoPlan;
    const result = await infoWith(ctx.services.engines.infoReaders, infoPlan, { inputPath, outputDir: target.outputDir, outputName: target.outputName }, target.context);
    info = result.info;
    if (result.outputs !== undefined) ctx.state.outputs = result.outputs;
  }
  // Where mode=info answered, a file exiftool does not know (woff2, some videos) still has its
  // fields; only a format no engine reads fails on exiftool's error.
  const tags = await ctx.services.engines.metadata.read(inputPath, target.context).catch((error: unknown) => {
    if (Object.keys(info).length === 0 || !isAppError(error)) throw error;
    ctx.log.warn({ err: error.message }, 'exiftool could not read the file; metadata has the info fields only');
    return {};
  });
  ctx.state.info = { ...tags, ...info };
}
