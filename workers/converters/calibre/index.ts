// The ebook engine: calibre's ebook-convert between ebook formats and documents, one process per
// conversion, with its config, cache and temp files in the job's folder and without network.
import { copyFile, link, mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { appError, AppError } from '../../../src/core/errors.js';
import { runTool, ToolError } from '../../tools/run-tool.js';
import type { ConvertRequest, Converter, ConverterContext, OutputFile } from '../types.js';
import { buildConvertArgs, buildEnv, describeFailure, parseProgress, withNetworkIsolation, type CalibreDirs } from './command.js';
import { inspectDocx } from './docx-links.js';

export interface EbookEngineSettings {
  readonly ebookConvert: string;
  /** Run ebook-convert in a network namespace of its own where the system allows it. */
  readonly isolateNetwork: boolean;
}

/** Larger docx files are not searched for local links (and so not converted). */
const MAX_DOCX_BYTES = 256 * 1024 * 1024;

/** Whether `unshare --net` works here (it needs root or unprivileged user namespaces). */
function canIsolateNetwork(): Promise<boolean> {
  return runTool('unshare', ['--net', '--', 'true'], { signal: AbortSignal.timeout(10_000) }).then(
    () => true,
    () => false,
  );
}

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
  let isolation: Promise<boolean> | undefined;
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
      isolation ??= settings.isolateNetwork ? canIsolateNetwork() : Promise.resolve(false);
      const args = buildConvertArgs(input, output, request.inputFormat, request.outputFormat, request.options);
      const { command, args: argv } = withNetworkIsolation(settings.ebookConvert, args, await isolation);
      const onStdout = (chunk: string): void => {
        const progress = parseProgress(chunk);
        if (progress !== undefined) context.progress(progress.percent, progress.message);
      };
      await runTool(command, argv, { signal: context.signal, env: buildEnv(dirs), inheritEnv: false, onStdout }).catch((error: unknown) => {
        if (context.signal.aborted || error instanceof AppError || !(error instanceof ToolError)) throw error;
        // 127: setpriv or unshare could not execute it; the server's setup, not the file, is at fault.
        if (error.exitCode === 127) throw new Error(`Could not run ${settings.ebookConvert}: ${error.stderrTail.trim()}. Is calibre installed? (scripts/setup.sh installs it)`);
        throw appError('CONVERSION_FAILED', describeFailure(error.stderrTail, request.inputFormat, request.outputFormat));
      });
      const size = await stat(output).then((s) => s.size, () => 0);
      if (size === 0) throw appError('CONVERSION_FAILED', `calibre wrote no ${request.outputFormat} output for this ${request.inputFormat} file; it may be empty or malformed.`);
      return [{ path: output, name }];
    },
  };
}
