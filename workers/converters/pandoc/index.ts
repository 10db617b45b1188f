// The markup engine: pandoc converts markup formats and documents among each other in the tool
// sandbox with its own --sandbox on (no file but the input is read: include directives and image
// paths go nowhere); docx/odt/epub are written from a checked copy of the document (see
// command.ts), and PDF is pandoc's HTML laid out by WeasyPrint, which loads no URL.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appError, AppError } from '../../../src/core/errors.js';
import { ToolError } from '../../tools/run-tool.js';
import type { ConvertRequest, Converter, ConverterContext, OutputFile } from '../types.js';
import { safeDocument } from './ast-safety.js';
import { buildPdfArgs, buildReadArgs, buildTextArgs, buildWriteArgs, routeOf, TOO_MANY_PAGES_EXIT } from './command.js';

export interface MarkupEngineSettings {
  readonly pandoc: string;
  /** A Python with the weasyprint module. */
  readonly python: string;
  /** PDF outputs with more pages are refused (PDF_MAX_PAGES). */
  readonly maxPages: number;
}

const LAYOUT_SCRIPT = fileURLToPath(new URL('./pdf-layout.py', import.meta.url));
const UNWRAP_FILTER = fileURLToPath(new URL('./unwrap-divs.lua', import.meta.url));

/** The last meaningful line a tool wrote on failure. */
function lastLine(error: ToolError): string {
  return error.stderrTail.trim().split('\n').filter((line) => line.trim() !== '').pop()?.trim() ?? `exit code ${error.exitCode}`;
}

/** A tool's failure as the client sees it: what failed and why (an install hint where the tool is missing). */
function failure(tool: string, what: string, context: ConverterContext, hint: string) {
  return (error: unknown): never => {
    if (context.signal.aborted || error instanceof AppError || !(error instanceof ToolError)) throw error;
    const line = lastLine(error);
    if (/execvp|No such file or directory|ENOENT/.test(line) && /pandoc|python/.test(line)) throw appError('CONVERSION_FAILED', `${tool} is not installed on this worker (${hint}).`);
    if (error.exitCode === TOO_MANY_PAGES_EXIT && tool === 'WeasyPrint') throw appError('CONVERSION_FAILED', `The PDF would be too long: ${line}.`);
    throw appError('CONVERSION_FAILED', `${tool} could not ${what}: ${line}`);
  };
}

export function createMarkupEngine(settings: MarkupEngineSettings): Converter<'pandoc'> {
  const pandoc = (args: string[], what: string, context: ConverterContext) =>
    context.tools.run(settings.pandoc, args, { signal: context.signal, readable: [UNWRAP_FILTER] }).catch(failure('pandoc', what, context, 'apt-get install pandoc'));

  return {
    async convert(request: ConvertRequest<'pandoc'>, context: ConverterContext): Promise<readonly OutputFile[]> {
      const { inputPath, inputFormat, outputFormat, options } = request;
      const name = `${request.outputName}.${outputFormat}`;
      const output = path.join(request.outputDir, name);
      const reading = `read the ${inputFormat} document`;
      switch (routeOf(outputFormat)) {
        case 'text':
          await pandoc(buildTextArgs(inputPath, output, inputFormat, outputFormat, options, UNWRAP_FILTER), reading, context);
          break;
        case 'package': {
          const json = path.join(context.workDir, 'pandoc-document.json');
          const mediaDir = path.join(context.workDir, 'pandoc-media');
          await mkdir(mediaDir, { recursive: true });
          await pandoc(buildReadArgs(inputPath, json, mediaDir, inputFormat), reading, context);
          const safe = safeDocument(JSON.parse(await readFile(json, 'utf8')) as unknown, mediaDir);
          await writeFile(json, JSON.stringify(safe));
          await pandoc(buildWriteArgs(json, output, mediaDir, outputFormat, options), `write the ${outputFormat} file`, context);
          break;
        }
        case 'pdf': {
          const html = path.join(context.workDir, 'pandoc-page.html');
          await pandoc(buildTextArgs(inputPath, html, inputFormat, outputFormat, options, UNWRAP_FILTER), reading, context);
          context.progress(50, 'laying out the PDF');
          await context.tools
            .run(settings.python, buildPdfArgs(LAYOUT_SCRIPT, html, output, options, settings.maxPages), { signal: context.signal, readable: [LAYOUT_SCRIPT] })
            .catch(failure('WeasyPrint', 'lay out the PDF', context, 'apt-get install weasyprint'));
          break;
        }
      }
      return [{ path: output, name }];
    },
  };
}
