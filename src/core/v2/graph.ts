// Checks a job's `tasks` before anything is stored: names, operations, inputs that name tasks of
// the same job, no cycles, a bounded size, and each operation's own fields. Every problem is
// reported under its field (`tasks.<name>.<field>`) in one 422.
import { isOperation, MAX_TASKS_PER_JOB, TASK_NAME, type Operation } from './model.js';
import { InvalidDataError, type Checked, type FieldErrors } from './operations/types.js';
import { OPERATION_HANDLERS } from './operations/index.js';

export interface JobRequest {
  readonly tasks: unknown;
  readonly tag?: string | undefined;
  readonly webhookUrl?: string | undefined;
}

export interface PlannedTask {
  readonly name: string;
  readonly operation: Operation;
  readonly inputs: readonly string[];
  readonly ignoreError: boolean;
  readonly checked: Checked;
}

type Check = (operation: Operation, payload: Readonly<Record<string, unknown>>) => Checked;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function checkJobTasks(request: JobRequest, check: Check): PlannedTask[] {
  const errors: FieldErrors = {};
  const fail = (field: string, message: string): void => void (errors[field] ??= []).push(message);
  const tasks = request.tasks;
  if (!isObject(tasks) || Object.keys(tasks).length === 0) {
    throw new InvalidDataError({ tasks: ['The tasks field is required: an object of named tasks, e.g. {"import-it": {"operation": "import/url", "url": "..."}}.'] });
  }
  const names = Object.keys(tasks);
  if (names.length > MAX_TASKS_PER_JOB) throw new InvalidDataError({ tasks: [`A job may have at most ${MAX_TASKS_PER_JOB} tasks; this one has ${names.length}.`] });
  const planned: PlannedTask[] = [];
  for (const name of names) {
    const field = `tasks.${name}`;
    const payload = tasks[name];
    if (!TASK_NAME.test(name)) fail(field, `The task name "${name.slice(0, 40)}" may use only letters, digits, - and _ (at most 100).`);
    if (!isObject(payload)) {
      fail(field, 'Each task must be an object with an operation.');
      continue;
    }
    const operation = payload.operation;
    if (typeof operation !== 'string' || !isOperation(operation)) {
      fail(`${field}.operation`, `The operation "${String(operation).slice(0, 40)}" is not supported. GET /v2/operations lists the operations.`);
      continue;
    }
    const inputs = payload.input === undefined || payload.input === null || payload.input === '' ? [] : typeof payload.input === 'string' ? [payload.input] : Array.isArray(payload.input) && payload.input.every((v) => typeof v === 'string') ? [...(payload.input as string[])] : undefined;
    if (inputs === undefined) fail(`${field}.input`, 'The input field must be a task name or an array of task names.');
    for (const input of inputs ?? []) if (!names.includes(input)) fail(`${field}.input`, `The input "${input.slice(0, 40)}" is not a task of this job.`);
    const handler = OPERATION_HANDLERS[operation];
    if (handler.takesInput && (inputs ?? []).length === 0) fail(`${field}.input`, `The input field is required: the name of the task whose files ${operation} works on.`);
    for (const [key, name] of namedInputs(handler.inputFields, payload)) {
      if (names.includes(name)) inputs?.push(name);
      else fail(`${field}.${key}`, `The ${key} "${name.slice(0, 40)}" is not a task of this job. Name the task whose file it is.`);
    }
    try {
      const checked = check(operation, payload);
      planned.push({ name, operation, inputs: handler.takesInput ? (inputs ?? []) : [], ignoreError: payload.ignore_error === true, checked });
    } catch (error) {
      if (!(error instanceof InvalidDataError)) throw error;
      for (const [key, messages] of Object.entries(error.errors)) for (const message of messages) fail(`${field}.${key}`, message);
    }
  }
  if (Object.keys(errors).length === 0) {
    const cycle = findCycle(planned);
    if (cycle !== undefined) fail('tasks', `The tasks' inputs form a cycle: ${cycle.join(' -> ')}. Each task may only read tasks that do not read it.`);
  }
  if (Object.keys(errors).length > 0) throw new InvalidDataError(errors);
  return planned;
}

/** The task names (or ids) given in an operation's other input fields (watermark's `image`), with their field. */
export function namedInputs(fields: readonly string[] | undefined, payload: Readonly<Record<string, unknown>>): Array<[string, string]> {
  return (fields ?? []).flatMap((key): Array<[string, string]> => {
    const value = payload[key];
    return typeof value === 'string' && value !== '' ? [[key, value]] : [];
  });
}

/** A cycle through the inputs, as names, or undefined. */
export function findCycle(tasks: readonly Pick<PlannedTask, 'name' | 'inputs'>[]): string[] | undefined {
  const inputs = new Map(tasks.map((t) => [t.name, t.inputs]));
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'open') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'open');
    path.push(name);
    for (const input of inputs.get(name) ?? []) {
      const cycle = visit(input);
      if (cycle !== undefined) return cycle;
    }
    path.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const t of tasks) {
    const cycle = visit(t.name);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}
