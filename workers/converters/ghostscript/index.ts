// mode=compress of PDFs: Ghostscript's pdfwrite re-encodes the file with one of its presets
// (images downsampled, fonts subset, duplicate images shared, streams recompressed). It runs as a
// child process, so the work stays off the worker's event loop.
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { appError, AppError } from '../../../src/core/errors.js';
import { notLikeMessage, readHead, startsLikePdf } from '../../../src/core/file-signatures.js';
import { ToolError } from '../../tools/run-tool.js';
import type { CompressRequest, Compressor, ConverterContext, OutputFile } from '../types.js';
import { buildCompressArgs } from './command.js';

export interface GhostscriptEngineSettings {
  readonly ghostscript: string;
}

/** What Ghostscript prints (exit code 0) when it found no document in the file. */
const UNREADABLE = /No pages will be processed|Couldn't initialise file/;

function failure(error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted || error instanceof AppError) return error;
  if (error instanceof ToolError) {
    const lines = error.stderrTail.split('\n').map((l) => l.replace(/^\*+\s*/, '').trim()).filter((l) => l !== '');
    const line = lines.find((l) => /^error/i.test(l)) ?? lines.pop() ?? `exit code ${error.exitCode}`;
    const hint = /password/i.test(error.stderrTail) ? ' Password-protected PDFs cannot be compressed; remove the password first.' : '';
    return appError('CONVERSION_FAILED', `Ghostscript could not read the PDF: ${line.slice(0, 300)}.${hint}`);
  }
  return error;
}

export function createGhostscriptEngine(settings: GhostscriptEngineSettings): Compressor<'ghostscript'> {
  return {
    async compress(request: CompressRequest<'ghostscript'>, context: ConverterContext): Promise<OutputFile> {
      const name = `${request.outputName}.pdf`;
      const output = path.join(request.outputDir, name);
      // Ghostscript expands % in -sOutputFile (page numbers): it writes to a fixed name first.
      const written = path.join(context.workDir, 'ghostscript-output.pdf');
      // Ghostscript runs anything that does not look like a PDF to it as PostScript.
      if (!startsLikePdf(await readHead(request.inputPath))) throw appError('CONVERSION_FAILED', notLikeMessage('pdf'));
      try {
        const result = await context.tools.run(settings.ghostscript, buildCompressArgs(request.inputPath, written, request.options.pdf_preset ?? 'ebook'), { signal: context.signal });
        // Ghostscript repairs what it can and exits 0 even for a file it could not read at all;
        // its PDF interpreter reports on stdout.
        const report = `${result.stdout.slice(-4096)}\n${result.stderrTail}`;
        if (UNREADABLE.test(report)) throw new ToolError('gs', 0, report);
        if (/error/i.test(report)) context.log.info({ report: report.slice(-500) }, 'ghostscript repaired the input');
        await rename(written, output);
        return { path: output, name };
      } catch (error) {
        throw failure(error, context.signal);
      }
    },
  };
}
