// The ebook engine: calibre's ebook-convert between ebook formats and documents, one process per
// conversion, with its config, cache and temp files in the job's folder, in the tool sandbox.
// Comic archives are unpacked and checked here first (comic.ts); between comic formats the pages
// are only packed again.
import { copyFile, link, mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { appError, AppError } from '../../../src/core/errors.js';
import { ToolError } from '../../tools/run-tool.js';
import type { ConvertRequest, Converter, ConverterContext, OutputFile } from '../types.js';
import type { ExtractLimits } from '../../archive-reading/entries.js';
import { packComic, unpackComicPages } from './comic.js';
import { buildConvertArgs, buildEnv, describeFailure, isComicFormat, parseProgress, type CalibreDirs } from './command.js';
import { inspectDocx } from './docx-links.js';
import { assertSafeZippedBook } from './zipped-books.js';

export interface EbookEngineSettings {
  readonly ebookConvert: string;
  /**
   * Whether QtWebEngine (PDF output) may use Chromium's sandbox: it needs a non-root user and
   * user namespaces (the tool sandbox says whether it has them).
   */
  readonly browserSandbox: boolean;
  /** bsdtar (libarchive-tools), for comic archives; `bsdtar` on PATH when not given. */
  readonly bsdtar?: string;
  /** The archive engine's limits, applied to comic archives, htmlz and txtz. */
  readonly archive: ExtractLimits;
  /** A comic page with more pixels is refused (MAX_IMAGE_PIXELS). */
  readonly maxPixels: number;
  /** A comic with more pages is refused (PDF_MAX_PAGES). */
  readonly maxPages: number;
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

/**
 * The file calibre reads, alone in `book` under the declared format's extension (calibre picks the
 * reader by it) and the output's base name (calibre titles a book without one after it). A comic
 * becomes a cbz of its checked pages; a comic → comic conversion is done once they are packed.
 */
async function stageInput(request: ConvertRequest<'calibre'>, settings: EbookEngineSettings, context: ConverterContext, book: string): Promise<{ input: string; format: ConvertRequest<'calibre'>['inputFormat'] } | 'done'> {
  if (isComicFormat(request.inputFormat)) {
    const limits = { bsdtar: settings.bsdtar ?? 'bsdtar', archive: settings.archive, maxPixels: settings.maxPixels, maxPages: settings.maxPages };
    const pages = path.join(context.workDir, 'calibre', 'pages');
    const names = await unpackComicPages(request.inputPath, request.inputFormat, pages, limits, context);
    if (request.outputFormat === 'cbz' || request.outputFormat === 'cb7') {
      await packComic(request.outputFormat, path.join(request.outputDir, `${request.outputName}.${request.outputFormat}`), pages, names, limits, context);
      return 'done';
    }
    const input = path.join(book, `${request.outputName}.cbz`);
    await packComic('cbz', input, pages, names, limits, context);
    return { input, format: 'cbz' };
  }
  const input = path.join(book, `${request.outputName}.${request.inputFormat}`);
  await link(request.inputPath, input).catch(() => copyFile(request.inputPath, input));
  if (request.inputFormat === 'docx') await assertNoLocalLinks(input);
  if (request.inputFormat === 'htmlz' || request.inputFormat === 'txtz') await assertSafeZippedBook(input, request.inputFormat, settings.archive);
  return { input, format: request.inputFormat };
}

export function createEbookEngine(settings: EbookEngineSettings): Converter<'calibre'> {
  return {
    async convert(request: ConvertRequest<'calibre'>, context: ConverterContext): Promise<readonly OutputFile[]> {
      const dirs = await prepareDirs(context.workDir);
      const name = `${request.outputName}.${request.outputFormat}`;
      const output = path.join(request.outputDir, name);
      const staged = await stageInput(request, settings, context, dirs.book);
      if (staged === 'done') return [{ path: output, name }];
      const args = buildConvertArgs(staged.input, output, staged.format, request.outputFormat, request.options);
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
