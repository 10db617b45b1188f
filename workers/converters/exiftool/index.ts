// The exiftool engine (API v2's `metadata/write`, and the tags of `metadata`): reads a file's
// tags as JSON and writes tags into a copy, in the tool sandbox.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { appError, AppError } from '../../../src/core/errors.js';
import { ToolError } from '../../tools/run-tool.js';
import type { ConverterContext, OutputFile } from '../types.js';
import { buildReadArgs, buildWriteArgs, parseReadOutput, unwrittenTag } from './command.js';

export interface ExiftoolEngineSettings {
  readonly exiftool: string;
}

export interface MetadataWriteRequest {
  readonly inputPath: string;
  readonly outputDir: string;
  /** Name of the copy, with the input's extension. */
  readonly outputFileName: string;
  /** Checked tag names and values. */
  readonly tags: Readonly<Record<string, string>>;
}

/** The abilities behind v2 `metadata/write` and the tags of `metadata`. */
export interface MetadataTool {
  /** The file's tags, flat, bounded (no binary data). */
  read(inputPath: string, context: ConverterContext): Promise<Record<string, unknown>>;
  /** A copy with the tags written; INVALID_OPTION when exiftool cannot write one of them to this format. */
  write(request: MetadataWriteRequest, context: ConverterContext): Promise<OutputFile>;
}

/** Most JSON exiftool may print for one file. */
const MAX_READ_BYTES = 4 * 1024 * 1024;

export function createExiftoolEngine(settings: ExiftoolEngineSettings): MetadataTool {
  const failed = (context: ConverterContext, what: string) => (error: unknown): never => {
    if (context.signal.aborted || error instanceof AppError || !(error instanceof ToolError)) throw error;
    // exiftool ends its errors with " - <path>": the job folder's path is the server's business.
    const reason = (error.stderrTail.trim().split('\n').pop() ?? `exit code ${error.exitCode}`).replace(/ - \/.*$/, '');
    throw appError('CONVERSION_FAILED', `exiftool could not ${what}: ${reason}`);
  };
  return {
    async read(inputPath, context) {
      const result = await context.tools.run(settings.exiftool, buildReadArgs(inputPath), { signal: context.signal, maxStdout: MAX_READ_BYTES }).catch(failed(context, 'read the file\'s metadata'));
      return parseReadOutput(result.stdout);
    },
    async write(request, context) {
      const output = path.join(request.outputDir, request.outputFileName);
      const result = await context.tools.run(settings.exiftool, buildWriteArgs(request.inputPath, output, request.tags), { signal: context.signal }).catch(failed(context, 'write the metadata'));
      const skipped = unwrittenTag(result.stderrTail);
      if (skipped !== undefined) throw appError('INVALID_OPTION', `A tag could not be written to this file: ${skipped}. Name tags this format holds (e.g. Title, Author, Subject, Keywords).`);
      await stat(output).catch(() => {
        throw appError('CONVERSION_FAILED', 'exiftool wrote no file.');
      });
      return { path: output, name: request.outputFileName };
    },
  };
}
