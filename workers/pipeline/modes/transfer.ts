// An internal plan of API v2 (import from a URL or storage, export to storage): the inputs are
// the outputs, unchanged. The input step fetched them and the output steps store and deliver them.
import type { PipelineContext } from '../context.js';

export async function transferFiles(ctx: PipelineContext): Promise<void> {
  ctx.state.outputs = (ctx.state.inputs ?? []).map((input) => ({ path: input.path, name: input.name }));
}
