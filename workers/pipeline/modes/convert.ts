// mode=convert (one engine, one input) and mode=info. The plan names the engine; the registry
// has one implementation per engine (the compiler checks both), so there is no per-engine code here.
import type { EngineId, InfoEngineId } from '../../../src/core/catalog/index.js';
import type { ConvertPlan, ConvertPlanOf, InfoPlan, InfoPlanOf } from '../../../src/core/catalog/resolve.js';
import type { ConverterContext, ConverterRegistry, InfoReaderRegistry, InfoResult, OutputFile } from '../../converters/types.js';
import type { PipelineContext } from '../context.js';
import { firstInput, type ModeTarget } from './target.js';

interface FileRequest {
  readonly inputPath: string;
  readonly outputDir: string;
  readonly outputName: string;
}

/** The plan's engine converts; E ties the engine to its options' type. */
function convertWith<E extends EngineId>(converters: ConverterRegistry, plan: ConvertPlanOf<E>, file: FileRequest, context: ConverterContext): Promise<readonly OutputFile[]> {
  return converters[plan.engine].convert({ ...file, inputFormat: plan.inputFormat, outputFormat: plan.outputFormat, options: plan.options }, context);
}

export function infoWith<E extends InfoEngineId>(readers: InfoReaderRegistry, plan: InfoPlanOf<E>, file: FileRequest, context: ConverterContext): Promise<InfoResult> {
  return readers[plan.engine].info({ ...file, inputFormat: plan.inputFormat, options: plan.options }, context);
}

const fileOf = (ctx: PipelineContext, target: ModeTarget): FileRequest => ({ inputPath: firstInput(ctx), outputDir: target.outputDir, outputName: target.outputName });

export async function convertFile(ctx: PipelineContext, plan: ConvertPlan, target: ModeTarget): Promise<void> {
  ctx.state.outputs = await convertWith(ctx.services.engines.converters, plan, fileOf(ctx, target), target.context);
}

export async function readInfo(ctx: PipelineContext, plan: InfoPlan, target: ModeTarget): Promise<void> {
  const result = await infoWith(ctx.services.engines.infoReaders, plan, fileOf(ctx, target), target.context);
  ctx.state.info = result.info;
  ctx.state.outputs = result.outputs;
}
