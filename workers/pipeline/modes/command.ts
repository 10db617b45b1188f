// API v2's `command` operation: the input tasks' files are laid out as `<job>/command-input/
// <task>/<filename>` (hard links of the fetched inputs), the client's `/input/` and `/output/`
// paths are mapped onto that folder and the step's output folder, and the engine runs the tool
// in the job's sandbox. Whatever lands in the output folder becomes the task's files.
import { copyFile, link, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { CommandPlan } from '../../../src/core/catalog/resolve.js';
import { appError, isAppError } from '../../../src/core/errors.js';
import { mapPaths, unmapPaths } from '../../../src/core/v2/command-line.js';
import { COMMAND_DISABLED_MESSAGE } from '../../../src/core/v2/operations/command.js';
import type { PipelineContext } from '../context.js';
import type { ModeTarget } from './target.js';

/** Most captured text (stdout, then stderr's end) kept in result.output. */
const MAX_OUTPUT_CHARS = 64 * 1024;

/** A name for a folder or file that stays inside its parent. */
function safeName(name: string): string {
  const base = path.basename(name);
  if (base === '' || base === '.' || base === '..') throw appError('INVALID_PARAMETER', `The input name "${name.slice(0, 60)}" cannot be used as a path.`);
  return base;
}

/** Links each fetched input under its task's name; returns the folder /input/ stands for. */
async function layOutInputs(ctx: PipelineContext, plan: CommandPlan): Promise<string> {
  const root = path.join(ctx.workDir, 'command-input');
  const fetched = ctx.state.inputs ?? [];
  for (const [index, entry] of plan.options.inputs.entries()) {
    const file = fetched[index];
    if (file === undefined) continue;
    const folder = path.join(root, safeName(entry.task));
    await mkdir(folder, { recursive: true });
    const target = path.join(folder, safeName(entry.filename));
    await link(file.path, target).catch(() => copyFile(file.path, target));
  }
  await mkdir(root, { recursive: true });
  return root;
}

export async function runCommand(ctx: PipelineContext, plan: CommandPlan, target: ModeTarget): Promise<void> {
  // The operator may have turned `command` off after the task was made (a retry, a queued task).
  if (!ctx.services.commandEnabled) throw appError('INVALID_PARAMETER', COMMAND_DISABLED_MESSAGE);
  // The arguments are the client's own: only bubblewrap's confinement (the job's folder, no
  // network) bounds what a tool option the checks missed could reach. Limits alone do not.
  if (ctx.services.sandbox.confinement.kind !== 'bubblewrap') {
    throw appError('INVALID_PARAMETER', 'The command operation runs only where tools are confined by bubblewrap, and this worker runs them with limits only (TOOL_SANDBOX=rlimits, or bubblewrap cannot run here: see /readyz). Ask the operator to enable bubblewrap, or use the other operations.');
  }
  const input = await layOutInputs(ctx, plan);
  const folders = { input, output: target.outputDir };
  const args = mapPaths(plan.options.arguments, folders);
  // The client sees its own /input and /output, never the worker's folders.
  const result = await ctx.services.engines.commands[plan.engine].runCommand({ command: plan.options.command, args }, target.context).catch((error: unknown) => {
    throw isAppError(error) ? appError(error.code, unmapPaths(error.message, folders)) : error;
  });
  const names = (await readdir(target.outputDir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort();
  ctx.state.outputs = names.map((name) => ({ path: path.join(target.outputDir, name), name }));
  if (plan.options.captureOutput) ctx.state.info = { output: unmapPaths(`${result.stdout}${result.stderr}`, folders).slice(-MAX_OUTPUT_CHARS) };
}
