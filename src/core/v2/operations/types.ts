// What an operation of API v2 is to the scheduler: a check of its fields when the task is
// created (422 naming each bad field), and, once its input tasks have finished, what to run.
// Everything that converts runs as an internal process through the same pipeline as v1.
import type { ConversionPlan } from '../../catalog/resolve.js';
import type { InputSource } from '../../process/record.js';
import type { OutputTarget, ProcessSecrets } from '../../remote/locations.js';
import type { TaskFile } from '../model.js';

/** Field errors of a payload, as the `errors` object of a 422 INVALID_DATA. */
export type FieldErrors = Record<string, string[]>;

/** A 422 INVALID_DATA: each field with what is wrong with it and how to fix it. */
export class InvalidDataError extends Error {
  constructor(readonly errors: FieldErrors) {
    super(`The given data was invalid. ${Object.entries(errors).map(([field, messages]) => `${field}: ${messages.join(' ')}`).join(' ')}`);
    this.name = 'InvalidDataError';
  }
}

/** What the server knows when it checks a payload. */
export interface CheckContext {
  /** Operator setting: URLs and endpoints may name private or loopback addresses. */
  readonly allowPrivateUrls: boolean;
  /** Operator setting V2_COMMAND_ENABLED: the `command` operation may run. */
  readonly commandEnabled: boolean;
  /** The key's largest input, in bytes. */
  readonly maxBytes: number;
}

/** A file of an input task, with that task's name in its job (its id when it has none). */
export interface InputTaskFile extends TaskFile {
  readonly task: string;
}

/** The result of the creation-time check. */
export interface Checked {
  /** The payload as it is stored and shown (credentials removed). */
  readonly payload: Readonly<Record<string, unknown>>;
  /** Credentials kept apart (sealed) until the task runs. */
  readonly secrets?: ProcessSecrets;
  /** import/base64 and import/raw: the file, stored at once. */
  readonly content?: { readonly filename: string; readonly bytes: Buffer };
}

/** An internal process that does the task's work. */
export interface ProcessSpec {
  readonly plan: ConversionPlan;
  readonly source: InputSource;
  /** The single input's name in the job folder (ignored for several inputs). */
  readonly filename?: string;
  /** Base name of the result (`filename` without its extension). */
  readonly outputName?: string;
  readonly outputTarget?: OutputTarget;
  /** Seconds, within the key's maxtime. */
  readonly timeoutSeconds?: number;
}

/** What a task does once its inputs are there. */
export type TaskRun =
  /** Runs a process; the task ends with it. */
  | { readonly kind: 'process'; readonly spec: ProcessSpec }
  /** Ends at once with these files (export/url of files that exist already). */
  | { readonly kind: 'files'; readonly files: readonly TaskFile[] };

export interface OperationHandler {
  /** Whether the operation reads other tasks' files through `input`. */
  readonly takesInput: boolean;
  /**
   * Fields besides `input` that name input tasks (watermark's `image`): the task waits for them
   * too, and their files follow the `input` tasks' in `start`.
   */
  readonly inputFields?: readonly string[];
  /** Checks the fields; throws InvalidDataError naming every bad one. */
  check(payload: Readonly<Record<string, unknown>>, context: CheckContext): Checked;
  /**
   * What to run with the input tasks' files (in input order). Throws an AppError when the files
   * do not fit (the task fails with its code and message).
   */
  start(payload: Readonly<Record<string, unknown>>, inputs: readonly InputTaskFile[]): TaskRun;
}
