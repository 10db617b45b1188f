// The contract between the pipeline and the converter engines. A converter sees local paths,
// the target format, typed options and a context; it never touches storage, the queue, Redis,
// HTTP or process.env.
import type { CompressEngineId, EngineId, EngineOptions, Format, InfoEngineId } from '../../src/core/catalog/index.js';
import type { ArchivePlan, CommandPlan, CompressOptions, ExtractPlan, InfoOptions, PdfToolPlan } from '../../src/core/catalog/resolve.js';
import type { PdfPasswords } from '../../src/core/remote/locations.js';
import type { Logger } from '../../src/core/logger.js';
import type { ToolRunner } from '../tools/sandbox/index.js';

export interface ConverterContext {
  /** A folder of this job's own, removed after the job. */
  readonly workDir: string;
  /** Aborts on cancel, timeout or shutdown; a converter stops its tools when it fires. */
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** Reports progress within the convert step (0-100), optionally with a message. */
  readonly progress: (percent: number, message?: string) => void;
  /** Runs external tools sandboxed: they see this job's folder only, and no network. */
  readonly tools: ToolRunner;
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

export interface CompressRequest<E extends CompressEngineId> {
  readonly inputPath: string;
  readonly inputFormat: Format;
  readonly options: CompressOptions[E];
  readonly outputDir: string;
  readonly outputName: string;
}

/** The ability behind `mode=compress`: the same format, as small as the options allow. */
export interface Compressor<E extends CompressEngineId> {
  /** Writes the compressed file; whether it is smaller is the pipeline's decision, not the engine's. */
  compress(request: CompressRequest<E>, context: ConverterContext): Promise<OutputFile>;
}

/** One of several inputs (mode=combine, mode=archive), in the order the client gave them. */
export interface InputFile {
  readonly path: string;
  /** The file's name as the client gave it (unique among the inputs). */
  readonly name: string;
  /** The format its name says; undefined when the extension is unknown. */
  readonly format: Format | undefined;
}

export interface ArchiveRequest {
  readonly inputs: readonly InputFile[];
  readonly outputFormat: Format;
  readonly options: ArchivePlan['options'];
  readonly outputDir: string;
  readonly outputName: string;
}

export interface ExtractRequest {
  readonly inputPath: string;
  readonly inputFormat: Format;
  readonly options: ExtractPlan['options'];
  /** Extracted files go here; nothing may be written outside it. */
  readonly outputDir: string;
}

/** The abilities behind `mode=archive` and `mode=extract`. */
export interface Archiver {
  /** Packs the inputs under their names into one archive. */
  archive(request: ArchiveRequest, context: ConverterContext): Promise<OutputFile>;
  /** Unpacks an archive; refuses unsafe entries (paths leaving outputDir, links, devices) and bombs. */
  extract(request: ExtractRequest, context: ConverterContext): Promise<readonly OutputFile[]>;
}

/** The ability behind `mode=combine`: PDFs merged into one, pages in input order. */
export interface PdfMerger {
  merge(inputs: readonly string[], outputPath: string, context: ConverterContext): Promise<void>;
}

/**
 * What warming an engine's pool came to: how many instances started and why others failed (their
 * slots start on first use), or why the engine started none (its tool is not installed).
 */
export type WarmReport = { readonly started: number; readonly failures: readonly Error[] } | { readonly skipped: string };

/** The ability of engines that keep long-lived tool processes (LibreOffice, Chromium): starting them before the first job. */
export interface PoolWarmer {
  /**
   * Starts every instance of the pool in the background of the jobs (which are taken meanwhile
   * and never wait for a second start of a slot), and resolves once each has started or failed;
   * never rejects. The engine's close() stops the starts still going.
   */
  warm(): Promise<WarmReport>;
}

export type ConverterRegistry = { readonly [E in EngineId]: Converter<E> };
export type InfoReaderRegistry = { readonly [E in InfoEngineId]: InfoReader<E> };
export type CompressorRegistry = { readonly [E in CompressEngineId]: Compressor<E> };

/** One run of a PDF tool of API v2 over one input. */
export interface PdfToolRequest {
  readonly plan: PdfToolPlan;
  readonly inputPath: string;
  /** The task's sealed passwords (pdf/encrypt, pdf/decrypt); empty for the other tools. */
  readonly passwords: PdfPasswords;
  readonly outputDir: string;
  readonly outputName: string;
}

/** The ability behind the pdf/* operations: the tool's result, one PDF (split: one per page). */
export interface PdfToolRunner {
  /** Throws AppError INVALID_OPTION (pages beyond the document, a language not installed) or CONVERSION_FAILED (unreadable input, wrong password). */
  runPdfTool(request: PdfToolRequest, context: ConverterContext): Promise<readonly OutputFile[]>;
}

/** API v2's `command` operation: the client's own argv for one of the engine's tools. */
export interface CommandRequest {
  readonly command: CommandPlan['options']['command'];
  /** argv with every path already on the job's folders (checked by src/core/v2/command-line.ts). */
  readonly args: readonly string[];
}

export interface CommandResult {
  /** stdout, bounded. */
  readonly stdout: string;
  /** The end of stderr, bounded. */
  readonly stderr: string;
}

/** The optional ability behind the `command` operation (ffmpeg and ImageMagick). */
export interface CommandRunner {
  /** Runs the tool in the job's sandbox; a failing tool rejects with AppError CONVERSION_FAILED and its last error line. */
  runCommand(request: CommandRequest, context: ConverterContext): Promise<CommandResult>;
}
