// Output deliverers: each uploads the converted files to one kind of target (the `output`
// parameter), all or nothing, and says where they went.
import type { Logger } from '../../src/core/logger.js';
import type { DeliveredOutput, OutputKind, OutputTarget, RemoteSecret } from '../../src/core/remote/locations.js';

export interface OutputFileRef {
  /** The output's file name (as downloadable from output.url). */
  readonly name: string;
  /** Its local path in the job's folder. */
  readonly path: string;
  readonly size: number;
}

export interface DeliveryContext {
  /** Aborts the upload; what was already written is removed. */
  readonly signal: AbortSignal;
  /** The user's credentials for S3, FTP and SFTP targets (never stored with the process record). */
  readonly secret?: RemoteSecret;
  /** Bytes of all files delivered so far, for the step's percent. */
  readonly progress: (bytes: number) => void;
  readonly log: Logger;
}

export interface OutputDeliverer<K extends OutputKind> {
  /**
   * Uploads every file to `target` in order. All or nothing: when one fails, the files this call
   * already wrote are removed, and it rejects with an OUTPUT_FAILED AppError whose message says
   * what to fix (never containing a secret). Resolves with where the files went.
   */
  deliver(target: Extract<OutputTarget, { kind: K }>, files: readonly OutputFileRef[], context: DeliveryContext): Promise<DeliveredOutput>;
}

/** One deliverer per target kind; undefined for a cloud drive the operator did not configure. */
export type OutputDeliverers = { readonly [K in OutputKind]: OutputDeliverer<K> | undefined };
