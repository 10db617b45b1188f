// The `command` operation (wire spec 6.2): the client's own ffmpeg/ffprobe or ImageMagick
// `convert`/`identify` arguments over its input tasks' files, off unless the operator turns it on
// (V2_COMMAND_ENABLED). The arguments are split and checked here, when the task is created, so a
// refused word is a 422 naming it; the worker maps the paths and runs the tool in its sandbox.
import type { CommandPlan } from '../../catalog/resolve.js';
import { checkedArguments, COMMAND_ENGINES, COMMANDS_OF, CommandLineError, MAX_ARGUMENTS_LENGTH, type CommandEngine } from '../command-line.js';
import { FieldReader } from './fields.js';
import { sourceOf } from './processing.js';
import type { OperationHandler, ProcessSpec } from './types.js';

/** Longest `timeout` a command may ask for (the key's maxtime still applies). */
const MAX_TIMEOUT_SECONDS = 5 * 3600;

export const COMMAND_DISABLED_MESSAGE = 'The command operation is turned off on this server. The operator must set V2_COMMAND_ENABLED=true to allow it.';

function readEngine(fields: FieldReader): Exclude<CommandEngine, 'graphicsmagick'> | undefined {
  const engine = fields.oneOf('engine', COMMAND_ENGINES, { required: true });
  if (engine !== 'graphicsmagick') return engine;
  return fields.fail('engine', 'graphicsmagick is not installed on this server. Use engine imagemagick with command convert or identify.');
}

/** Reads and checks every field; the plan without its inputs. */
function readCommand(payload: Readonly<Record<string, unknown>>, enabled: boolean): Omit<CommandPlan, 'options'> & { options: Omit<CommandPlan['options'], 'inputs'> } {
  const fields = new FieldReader(payload);
  if (!enabled) fields.fail('operation', COMMAND_DISABLED_MESSAGE);
  const engine = readEngine(fields);
  const commands: readonly string[] = engine === undefined ? [] : COMMANDS_OF[engine];
  const command = engine === undefined ? undefined : fields.oneOf('command', commands as readonly CommandPlan['options']['command'][], { required: true });
  const line = fields.string('arguments', { required: true, max: MAX_ARGUMENTS_LENGTH });
  const captureOutput = fields.boolean('capture_output') ?? false;
  fields.integer('timeout', { min: 1, max: MAX_TIMEOUT_SECONDS });
  let argv: string[] = [];
  try {
    if (line !== undefined && engine !== undefined) argv = checkedArguments(line, engine);
  } catch (error) {
    if (!(error instanceof CommandLineError)) throw error;
    fields.fail('arguments', error.message);
  }
  fields.done();
  return { mode: 'command', engine: engine as CommandPlan['engine'], options: { command: command as CommandPlan['options']['command'], arguments: argv, captureOutput } };
}

export const command: OperationHandler = {
  takesInput: true,
  check(payload, context) {
    readCommand(payload, context.commandEnabled);
    return { payload };
  },
  start(payload, inputs) {
    // The stored payload passed this check when the task was created; it is read again for its values.
    const plan = readCommand(payload, true);
    const { source, filename } = sourceOf(inputs);
    const timeout = typeof payload.timeout === 'number' ? payload.timeout : typeof payload.timeout === 'string' && /^\d+$/.test(payload.timeout) ? Number(payload.timeout) : undefined;
    const full: CommandPlan = { ...plan, options: { ...plan.options, inputs: inputs.map((f) => ({ task: f.task, filename: f.filename })) } };
    const spec: ProcessSpec = { plan: full, source, ...(filename === undefined ? {} : { filename }), ...(timeout === undefined ? {} : { timeoutSeconds: timeout }) };
    return { kind: 'process', spec };
  },
};
