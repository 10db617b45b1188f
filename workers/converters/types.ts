// The contract between the pipeline and the converter engines. A converter sees local paths,
// the target format, typed options and a context; it never touches storage, the queue, Redis,
// HTTP or process.env.
import type { EngineId, EngineOptions, Format, InfoEngineId } from '../../src/core/catalog/index.js';
import type { InfoOptions } from '../../src/core/catalog/resolve.js';
import type { Logger } from '../../src/core/logger.js';

export interface ConverterContext {
  /** A folder of this job's own, removed after the job. */
  readonly workDir: string;
  /** Aborts on cancel, timeout or shutdown; a converter stops its tools when it fires. */
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** Reports progress within the convert step (0-100), optionally with a message. */
  readonly progress: (percent: number, message?: string) => void;
}

export interface ConvertRequest<E extends EngineId> {
  readonly inputPath: string;
  readonly inputFormat: Format;
  readonly outputFormat: Format;
  readonly options: EngineOptions[E];
  /** Folder to write outputs into (empty at the start). */
  readonly outputDir: string;
  /** Base name for outputs: `<outputName>.<ext>`, or `<outputName>-<n>.<ext>` for pages. */
  readonly outputName: string;
}

export interface OutputFile {
  readonly path: string;
  /** The name clients see (`output.filename` or an entry of `output.files`). */
  readonly name: string;
}

export interface Converter<E extends EngineId> {
  /** Converts; throws AppError CONVERSION_FAILED for input it cannot convert. */
  convert(request: ConvertRequest<E>, context: ConverterContext): Promise<readonly OutputFile[]>;
}

export interface InfoRequest<E extends InfoEngineId> {
  readonly inputPath: string;
  readonly inputFormat: Format;
  readonly options: InfoOptions[E];
  /** Where optional files (e.g. thumbnails of a video) go. */
  readonly outputDir: string;
  readonly outputName: string;
}

export interface InfoResult {
  /** Goes into the status object's `info`. */
  readonly info: Record<string, unknown>;
  /** Files made besides the information (thumbnails), if any. */
  readonly outputs?: readonly OutputFile[];
}

/** The optional ability behind `mode=info`. */
export interface InfoReader<E extends InfoEngineId> {
  info(request: InfoRequest<E>, context: ConverterContext): Promise<InfoResult>;
}

export type ConverterRegistry = { readonly [E in EngineId]: Converter<E> };
export type InfoReaderRegistry = { readonly [E in InfoEngineId]: InfoReader<E> };
