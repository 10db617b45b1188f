// The font engine: ttf, otf, woff, woff2, eot and SVG fonts among each other, and mode=info on
// each, by font-tool.py (fontTools; fontforge's module for outline conversion and SVG fonts) run
// in the tool sandbox, one process per conversion.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appError, AppError } from '../../../src/core/errors.js';
import { ToolError } from '../../tools/run-tool.js';
import type { ConvertRequest, Converter, ConverterContext, InfoReader, InfoRequest, InfoResult, OutputFile } from '../types.js';
import { BAD_FONT_EXIT, badFontReason, buildFontConvertArgs, buildFontInfoArgs, fontOutputName, parseFontSummary } from './command.js';

const SCRIPT = fileURLToPath(new URL('./font-tool.py', import.meta.url));

export interface FontEngineSettings {
  /** A Python 3 with the fontTools, brotli and fontforge modules. */
  readonly python: string;
}

/** A tool failure as the client reads it: bad input names the reason, a missing module says what to install. */
function failure(error: unknown, request: { readonly inputFormat: string }, signal: AbortSignal): unknown {
  if (signal.aborted || error instanceof AppError || !(error instanceof ToolError)) return error;
  const reason = badFontReason(error.stderrTail);
  if (error.exitCode === BAD_FONT_EXIT && reason !== undefined) {
    return appError('CONVERSION_FAILED', `The file is not a readable ${request.inputFormat} font: ${reason}. Check that the file really is ${request.inputFormat} and that inputformat says so.`);
  }
  const missing = /No module named '([\w.]+)'/.exec(error.stderrTail)?.[1];
  if (missing !== undefined) {
    return new Error(`The font engine's Python lacks the ${missing} module: install python3-fonttools, python3-brotli, python3-fontforge and python3-pil (scripts/setup.sh), or set FONT_PYTHON.`);
  }
  const last = error.stderrTail.trim().split('\n').pop() ?? `exit code ${error.exitCode}`;
  return appError('CONVERSION_FAILED', `The font could not be converted: ${last.slice(0, 300)}.`);
}

export function createFontEngine(settings: FontEngineSettings): Converter<'fonttools'> & InfoReader<'fonttools'> {
  return {
    async convert(request: ConvertRequest<'fonttools'>, context: ConverterContext): Promise<readonly OutputFile[]> {
      const name = fontOutputName(request.outputName, request.outputFormat);
      const output = path.join(request.outputDir, name);
      const args = buildFontConvertArgs(SCRIPT, request.inputPath, request.inputFormat, output, request.outputFormat, request.options);
      const result = await context.tools.run(settings.python, args, { signal: context.signal, readable: [SCRIPT] }).catch((error: unknown) => {
        throw failure(error, request, context.signal);
      });
      const summary = parseFontSummary(result.stdout);
      context.log.debug({ family: summary.family, glyphs: summary.glyphs, outlines: summary.outlines }, 'font converted');
      return [{ path: output, name }];
    },

    async info(request: InfoRequest<'fonttools'>, context: ConverterContext): Promise<InfoResult> {
      const args = buildFontInfoArgs(SCRIPT, request.inputPath, request.inputFormat);
      const result = await context.tools.run(settings.python, args, { signal: context.signal, readable: [SCRIPT] }).catch((error: unknown) => {
        throw failure(error, request, context.signal);
      });
      return { info: { ...parseFontSummary(result.stdout) } };
    },
  };
}
