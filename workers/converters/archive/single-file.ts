// One-file formats (gz, bz2, xz, zst, lz, lz4, lzma): mode=archive compresses exactly one file, and
// mode=extract gives back the one file inside, named after the archive without its suffix. The
// decompressed bytes are counted as they arrive, under the same limits as an archive's entries.
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { appError } from '../../../src/core/errors.js';
import { splitFilename } from '../../../src/core/filenames.js';
import { ToolError } from '../../tools/run-tool.js';
import type { ArchiveRequest, ConverterContext, ExtractRequest, OutputFile } from '../types.js';
import { compressCommand, decompressCommand, decompressedName, TOOL_ENV, type SingleFileFormat } from './command.js';
import { checkTotals, type ExtractLimits } from '../../archive-reading/entries.js';
import { readFailure } from '../../archive-reading/tar-stream-reader.js';

/**
 * The compressed file's name: the input's whole name plus the suffix (`notes.txt.gz`, so the
 * extracted file gets its extension back), or the `filename` the client asked for plus the suffix.
 */
function packedName(request: ArchiveRequest, inputName: string, format: SingleFileFormat): string {
  const asked = request.outputName !== splitFilename(inputName).name;
  return `${asked ? request.outputName : inputName}.${format}`;
}

/** Compresses the one input into `outputDir`; several inputs are refused (they need an archive). */
export async function compressOne(format: SingleFileFormat, request: ArchiveRequest, context: ConverterContext): Promise<OutputFile> {
  const [input, ...rest] = request.inputs;
  if (input === undefined || rest.length > 0) {
    throw appError(
      'CONVERSION_FAILED',
      `A ${format} file holds exactly one compressed file, and ${request.inputs.length} were given. Pack several files with outputformat=tar.${format} (or zip), or send one file.`,
    );
  }
  const name = packedName(request, input.name, format);
  const output = path.join(request.outputDir, name);
  const command = compressCommand(format, input.path, request.options.compression_level);
  const sink = createWriteStream(output, { flags: 'wx', mode: 0o644 });
  try {
    await context.tools.run(command.binary, command.args, { signal: context.signal, stdoutSink: sink, env: TOOL_ENV });
    await finished(sink);
  } catch (error) {
    sink.destroy();
    await rm(output, { force: true });
    if (error instanceof ToolError) throw appError('CONVERSION_FAILED', `${command.label} could not write the ${format} file: ${error.stderrTail.trim().split('\n').pop() ?? ''}`);
    throw error;
  }
  return { path: output, name };
}

/** Decompresses the input into its one file, refusing more bytes than the limits allow. */
export async function decompressOne(format: SingleFileFormat, request: ExtractRequest, limits: ExtractLimits, context: ConverterContext): Promise<OutputFile[]> {
  const archiveSize = (await stat(request.inputPath)).size;
  const name = decompressedName(path.basename(request.inputPath));
  const output = path.join(request.outputDir, name);
  const command = decompressCommand(format, request.inputPath);
  const stop = new AbortController();
  let refusal: Error | undefined;
  let total = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      total += chunk.length;
      try {
        checkTotals(1, total, archiveSize, limits);
        done(null, chunk);
      } catch (error) {
        refusal = error instanceof Error ? error : new Error(String(error));
        stop.abort(refusal); // the tool is killed at once, not left writing into a closed pipe
        done(refusal);
      }
    },
  });
  // 'wx': created here and now, never an existing file or a link someone placed.
  const writing = pipeline(counter, createWriteStream(output, { flags: 'wx', mode: 0o644 }));
  const running = context.tools.run(command.binary, command.args, { signal: AbortSignal.any([context.signal, stop.signal]), stdoutSink: counter, env: TOOL_ENV });
  const [ran, written] = await Promise.allSettled([running, writing]);
  if (ran.status === 'fulfilled' && written.status === 'fulfilled') return [{ path: output, name }];
  await rm(output, { force: true });
  if (context.signal.aborted) throw context.signal.reason;
  if (refusal !== undefined) throw refusal;
  throw readFailure(ran.status === 'rejected' ? ran.reason : written.status === 'rejected' ? written.reason : undefined, command.label, request.inputPath);
}
