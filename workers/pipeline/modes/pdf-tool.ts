// The pdf/* operations of API v2: the plan's tool over the one input, with the task's sealed
// passwords (read here, at the last moment, and never written to the record or the log).
import type { PdfToolPlan } from '../../../src/core/catalog/resolve.js';
import type { PipelineContext } from '../context.js';
import { firstInput, type ModeTarget } from './target.js';

export async function runPdfTool(ctx: PipelineContext, plan: PdfToolPlan, target: ModeTarget): Promise<void> {
  const needsPasswords = plan.tool === 'encrypt' || plan.tool === 'decrypt';
  const passwords = needsPasswords ? ((await ctx.services.secrets.get(ctx.record.id)).pdf ?? {}) : {};
  const request = { plan, inputPath: firstInput(ctx), passwords, outputDir: target.outputDir, outputName: target.outputName };
  ctx.state.outputs = await ctx.services.engines.pdfTools.runPdfTool(request, target.context);
}
