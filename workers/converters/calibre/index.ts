// The ebook engine: calibre's ebook-convert between ebook formats and documents, one process per
// conversion, with its config, cache and temp files in the job's folder, in the tool sandbox.
import { copyFile, link, mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { appError, AppError } from '../../../src/core/errors.js';
import { ToolError } from '../../tools/run-tool.js';
import type { ConvertRequest, Converter, ConverterContext, OutputFile } from '../types.js';
import { buildConvertArgs, buildEnv, describeFailure, parseProgress, type CalibreDirs } from './command.js';
import { inspectDocx } from './docx-links.js';

export interface EbookEngineSettings {
  readonly ebookConvert: string;
  /**
   * Whether QtWebEngine (PDF output) may use Chromium's sandbox: it needs a non-root user and
   * user namespaces (the tool sandbox says whether it has them).
   */
  readonly browserSandbox: boolean;
}

/** Larger docx files are not searched for local links (and so not converted). */
const MAX_DOCX_BYTES = 256 * 1024 * 1024;

/** The run's folders: the input alone in `book` (calibre reads html resources only beside it). */
async function prepareDirs(workDir: string): Promise<CalibreDirs & { readonly book: string }> {
  const root = path.join(workDir, 'calibre');
  const home = path.join(root, 'home');
  const dirs = { book: path.join(root, 'book'), home, config: path.join(home, 'config'), cache: path.join(home, 'cache'), temp: path.join(home, 'tmp'), runtime: path.join(home, 'runtime') };
  for (const dir of Object.values(dirs)) await mkdir(dir, { recursive: true, mode: 0o700 });
  return dirs;
}

/** Refuses a docx whose linked images calibre would read from this machine's disk, or which its readers could read differently. */
async function assertNoLocalLinks(docx: string): Promise<void> {
  const { size } = await stat(docx);
  if (size > MAX_DOCX_BYTES) throw appError('CONVERSION_FAILED', `The docx file is larger than ${MAX_DOCX_BYTES / 1024 / 1024} MB, the most this server converts to an ebook.`);
  const verdict = await inspectDocx(await readFile(docx));
  if (verdict.ok) return;
  if (verdict.problem === 'local-link') {
    throw appError('CONVERSION_FAILED', 'The docx file links to local files (file:// images), which this server does not read. Embed the images in the document and upload it again.');
  }
  throw appError('CONVERSION_FAILED', `The docx file is not a ZIP archive this server can check: ${verdict.detail}. Save it again with Word or LibreOffice and upload it again.`);
}

export function createEbookEngine(settings: EbookEngineSettings): Converter<'calibre'> {
  return {
    async convert(request: ConvertRequest<'calibre'>, context: ConverterContext): Promise<readonly OutputFile[]> {
      const dirs = await prepareDirs(context.workDir);
      // calibre picks the reader by the extension, so it is the declared format whatever the upload
      // was called; the base name is the output's, as calibre titles a book without one after it.
      const input = path.join(dirs.book, `${request.outputName}.${request.inputFormat}`);
      await link(request.inputPath, input).catch(() => copyFile(request.inputPath, input));
      if (request.inputFormat === 'docx') await assertNoLocalLinks(input);
      const name = `${request.outputName}.${request.outputFormat}`;
      const output = path.join(request.outputDir, name);
      const args = buildConvertArgs(input, output, request.inputFormat, request.outputFormat, request.options);
      const onStdout = (chunk: string): void => {
        const progress = parseProgress(chunk);
        if (progress !== undefined) context.progress(progress.percent, progress.message);
      };
      await context.tools.run(settings.ebookConvert, args, { signal: context.signal, env: buildEnv(dirs, settings.browserSandbox), onStdout }).catch((error: unknown) => {
        if (context.signal.aborted || error instanceof AppError || !(error instanceof ToolError)) throw error;
        throw appError('CONVERSION_FAILED', describeFailure(error.stderrTail, request.inputFormat, request.outputFormat));
      });
      const size = await stat(output).then((s) => s.size, () => 0);
      if (size === 0) throw appError('CONVERSION_FAILED', `calibre wrote no ${request.outputFormat} output for this ${request.inputFormat} file; it may be empty or malformed.`);
      return [{ path: output, name }];
    },
  };
}
