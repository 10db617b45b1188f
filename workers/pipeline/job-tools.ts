// The tool runner of one process: its tools see only its job's folder and get the memory limit of
// its engine class, and its engine class's CPU priority. Every step that runs a tool takes its runner here, so the conversion and the
// ZIP of its outputs stay within the one limit a worker's memory is sized for (a light slot holds
// LIGHT_TOOL_MEMORY_MB at most, a heavy one TOOL_MEMORY_MB).
import { engineClassOf } from '../../src/core/catalog/engine-classes.js';
import type { ToolRunner } from '../tools/sandbox/index.js';
import type { PipelineContext } from './context.js';

export function jobTools(ctx: Pick<PipelineContext, 'plan' | 'services' | 'workDir'>): ToolRunner {
  return ctx.services.sandbox.runner(ctx.workDir, ctx.services.toolLimits[engineClassOf(ctx.plan)]);
}
