// What the pipeline steps share while one process runs.
import type { EngineClass } from '../../src/core/catalog/engine-classes.js';
import type { ConversionPlan } from '../../src/core/catalog/resolve.js';
import type { Logger } from '../../src/core/logger.js';
import type { OutputInfo, ProcessRecord } from '../../src/core/process/record.js';
import type { Step } from '../../src/core/process/steps.js';
import type { SecretStore } from '../../src/core/process/secrets.js';
import type { FileStore } from '../../src/core/storage/file-store.js';
import type { Engines } from '../converters/registry.js';
import type { InputFile, OutputFile } from '../converters/types.js';
import type { InputAdapters, InputListers } from '../inputs/index.js';
import type { OutputDeliverers } from '../outputs/index.js';
import type { JobToolLimits, Sandbox } from '../tools/sandbox/index.js';

export interface PipelineServices {
  readonly store: FileStore;
  readonly inputs: InputAdapters;
  /** Lists the user's storage for imports of a prefix or folder. */
  readonly listers: InputListers;
  /** Uploads to the user's S3/FTP storage and the operator's cloud drives (the `output` parameter). */
  readonly outputs: OutputDeliverers;
  /** Credentials of the user's storage, kept beside the record. */
  readonly secrets: SecretStore;
  readonly engines: Engines;
  /** Where every external tool runs: each job's tools see only its own folder. */
  readonly sandbox: Sandbox;
  /**
   * The memory of each tool a conversion runs, by its engine class: light conversions run many at
   * once, so their tools get a smaller limit (LIGHT_TOOL_MEMORY_MB) than heavy ones (TOOL_MEMORY_MB).
   */
  readonly toolLimits: Readonly<Record<EngineClass, JobToolLimits>>;
  /** V2_COMMAND_ENABLED on this worker: checked again when a command task runs (it may have been turned off since the task was made). */
  readonly commandEnabled: boolean;
}

/** What the steps produce, in order: the local input, the converter's files, the stored result. */
export interface PipelineState {
  /** The (first) input file. */
  inputPath?: string;
  /** Every input, in the client's order (one entry unless the mode takes several files). */
  inputs?: readonly InputFile[];
  outputs?: readonly OutputFile[];
  info?: Record<string, unknown>;
  /** The finished status's message, when not the usual "Conversion finished!". */
  message?: string;
  stored?: OutputInfo;
}

export interface PipelineContext {
  readonly record: ProcessRecord;
  readonly plan: ConversionPlan;
  readonly services: PipelineServices;
  readonly workDir: string;
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** The owner's size limit for inputs. */
  readonly maxInputBytes: number;
  /** Progress inside the current step (0-100); writes are throttled. */
  readonly progress: (percent: number, message?: string) => void;
  readonly state: PipelineState;
}

/** One step of the pipeline; run-pipeline.ts moves the process into `step` before `run`. */
export interface PipelineStep {
  readonly step: Extract<Step, 'input' | 'convert' | 'output'>;
  readonly message: (ctx: PipelineContext) => string;
  readonly skip?: (ctx: PipelineContext) => boolean;
  run(ctx: PipelineContext): Promise<void>;
}
