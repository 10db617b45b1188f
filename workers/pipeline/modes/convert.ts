// mode=convert (one engine, one input) and mode=info.
import type { ConvertPlan, InfoPlan } from '../../../src/core/catalog/resolve.js';
import type { PipelineContext } from '../context.js';
import { firstInput, type ModeTarget } from './target.js';

export async function convertFile(ctx: PipelineContext, plan: ConvertPlan, target: ModeTarget): Promise<void> {
  const { converters } = ctx.services.engines;
  const request = { inputPath: firstInput(ctx), inputFormat: plan.inputFormat, outputFormat: plan.outputFormat, outputDir: target.outputDir, outputName: target.outputName };
  const c = target.context;
  // Each engine is its own case, so the compiler checks that its options type matches.
  switch (plan.engine) {
    case 'sharp':
      ctx.state.outputs = await converters.sharp.convert({ ...request, options: plan.options }, c);
      return;
    case 'ffmpeg':
      ctx.state.outputs = await converters.ffmpeg.convert({ ...request, options: plan.options }, c);
      return;
    case 'libreoffice':
      ctx.state.outputs = await converters.libreoffice.convert({ ...request, options: plan.options }, c);
      return;
    case 'mupdf':
      ctx.state.outputs = await converters.mupdf.convert({ ...request, options: plan.options }, c);
      return;
    case 'chromium':
      ctx.state.outputs = await converters.chromium.convert({ ...request, options: plan.options }, c);
      return;
    case 'calibre':
      ctx.state.outputs = await converters.calibre.convert({ ...request, options: plan.options }, c);
      return;
    case 'inkscape':
      ctx.state.outputs = await converters.inkscape.convert({ ...request, options: plan.options }, c);
      return;
  }
}

export async function readInfo(ctx: PipelineContext, plan: InfoPlan, target: ModeTarget): Promise<void> {
  const { infoReaders } = ctx.services.engines;
  const request = { inputPath: firstInput(ctx), inputFormat: plan.inputFormat, outputDir: target.outputDir, outputName: target.outputName };
  const result =
    plan.engine === 'sharp' ? await infoReaders.sharp.info({ ...request, options: plan.options }, target.context) : await infoReaders.ffmpeg.info({ ...request, options: plan.options }, target.context);
  ctx.state.info = result.info;
  ctx.state.outputs = result.outputs;
}
