// The PDF tools engine of API v2: qpdf for page work and encryption (native page ranges, per-page
// rotation, AES-256 with permissions, passwords read from files), Ghostscript for PDF/A (with an
// sRGB OutputIntent) and PDF/X (CMYK, with a CMYK OutputIntent), ocrmypdf (Tesseract) for a text layer. Every tool is a sandboxed child
// process, so no PDF is parsed on the worker's event loop.
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError, appError } from '../../../src/core/errors.js';
import type { PdfToolPlan } from '../../../src/core/catalog/resolve.js';
import { notLikeMessage, readHead, startsLikePdf } from '../../../src/core/file-signatures.js';
import type { PdfPasswords } from '../../../src/core/remote/locations.js';
import { ToolError } from '../../tools/run-tool.js';
import type { ConverterContext, OutputFile, PdfToolRequest, PdfToolRunner } from '../types.js';
import * as cmd from './command.js';

export interface PdfToolsSettings {
  readonly qpdf: string;
  readonly ocrmypdf: string;
  readonly ghostscript: string;
  /** The sRGB profile written as the PDF/A OutputIntent. */
  readonly pdfaIccProfile: string;
  /** The CMYK profile written as the PDF/X OutputIntent. */
  readonly pdfxIccProfile: string;
  /** PDF_MAX_PAGES: split refuses longer PDFs (one output file per page). */
  readonly maxPages: number;
}

/** A tool failure as the client should read it: a wrong password, an encrypted input, or the tool's last line. */
function failure(tool: string, error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted || error instanceof AppError || !(error instanceof ToolError)) return error;
  if (cmd.saysWrongPassword(error.stderrTail)) {
    return appError('CONVERSION_FAILED', 'The password does not open this PDF. Give the right password (pdf/decrypt), or decrypt the PDF first with a pdf/decrypt task.');
  }
  if (tool === 'ocrmypdf' && /language data/i.test(error.stderrTail)) {
    return appError('INVALID_OPTION', 'The OCR language is not installed on this server. Give language=eng, or ask the operator to install the tesseract-ocr-<lang> package.');
  }
  const known = tool === 'ocrmypdf' && error.exitCode !== null ? cmd.OCR_EXIT_MESSAGES[error.exitCode] : undefined;
  const line = error.stderrTail.split('\n').map((l) => l.trim()).filter((l) => l !== '').pop() ?? `exit code ${error.exitCode}`;
  return appError('CONVERSION_FAILED', known ?? `${tool} could not process the PDF: ${line.slice(0, 300)}`);
}

export function createPdfToolsEngine(settings: PdfToolsSettings): PdfToolRunner {
  /** qpdf; its exit code 3 means "done, with warnings" (a repaired input), which is a result. */
  async function qpdf(args: readonly string[], context: ConverterContext): Promise<string> {
    try {
      return (await context.tools.run(settings.qpdf, args, { signal: context.signal })).stdout;
    } catch (error) {
      if (error instanceof ToolError && error.exitCode === 3) return '';
      throw failure('qpdf', error, context.signal);
    }
  }

  async function pageCount(input: string, context: ConverterContext): Promise<number> {
    const count = cmd.parsePageCount(await qpdf(cmd.buildPageCountArgs(input), context));
    if (count === undefined) throw appError('CONVERSION_FAILED', 'qpdf could not count the pages of the PDF.');
    return count;
  }

  /**
   * Runs qpdf with `content` in a file only the tools' user can read: a folder of mode 0700 (the
   * sandbox hands folders, not files, to that user), so the password is on no command line. The
   * file goes as soon as qpdf ends, not with the job's folder.
   */
  async function qpdfWithSecret(context: ConverterContext, content: string, args: (file: string) => readonly string[]): Promise<void> {
    const folder = path.join(context.workDir, 'secret');
    await mkdir(folder, { mode: 0o700 });
    try {
      const file = path.join(folder, 'secret');
      await writeFile(file, content, { mode: 0o644 });
      await qpdf(args(file), context);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }

  async function splitPages(request: PdfToolRequest, context: ConverterContext): Promise<OutputFile[]> {
    const count = await pageCount(request.inputPath, context);
    if (count > settings.maxPages) throw appError('CONVERSION_FAILED', `The PDF has ${count} pages; pdf/split-pages makes one file per page for up to ${settings.maxPages} pages (PDF_MAX_PAGES). Extract a part first with pdf/extract-pages.`);
    const folder = path.join(context.workDir, 'split');
    await mkdir(folder);
    await qpdf(cmd.buildSplitArgs(request.inputPath, path.join(folder, 'page-%d.pdf')), context);
    const pages = (await readdir(folder)).map((name) => ({ name, page: cmd.splitPageNumber(name) })).filter((p): p is { name: string; page: number } => p.page !== undefined);
    pages.sort((a, b) => a.page - b.page);
    const outputs: OutputFile[] = [];
    for (const [index, p] of pages.entries()) {
      const name = `${request.outputName}-${index + 1}.pdf`;
      await rename(path.join(folder, p.name), path.join(request.outputDir, name));
      outputs.push({ path: path.join(request.outputDir, name), name });
    }
    return outputs;
  }

  async function runOne(plan: PdfToolPlan, request: PdfToolRequest, output: string, context: ConverterContext): Promise<void> {
    const input = request.inputPath;
    switch (plan.tool) {
      case 'extract':
        await qpdf(cmd.buildExtractArgs(input, output, cmd.parsePages(plan.options.pages ?? '', await pageCount(input, context))), context);
        return;
      case 'rotate': {
        const pages = plan.options.pages === null ? null : cmd.parsePages(plan.options.pages, await pageCount(input, context));
        await qpdf(cmd.buildRotateArgs(input, output, plan.options.rotation ?? '90', pages), context);
        return;
      }
      case 'encrypt':
        await qpdfWithSecret(context, cmd.encryptArgfile(input, output, passwordsFor(request.passwords), plan.options), (file) => [`@${file}`]);
        return;
      case 'decrypt':
        if (request.passwords.password === undefined) await qpdf(cmd.buildDecryptArgs(input, output, undefined), context);
        else await qpdfWithSecret(context, `${request.passwords.password}\n`, (file) => cmd.buildDecryptArgs(input, output, file));
        return;
      case 'pdfa': {
        const profile = settings.pdfaIccProfile;
        await ghostscriptPdf(input, cmd.pdfaDefinition(profile), (definition) => cmd.buildPdfaArgs(definition, input, output, plan.options.conformance_level ?? '2b', profile), profile, context);
        return;
      }
      case 'pdfx': {
        const profile = settings.pdfxIccProfile;
        await ghostscriptPdf(input, cmd.pdfxDefinition(profile, plan.options.conformance_level ?? '3'), (definition) => cmd.buildPdfxArgs(definition, input, output, profile), profile, context);
        return;
      }
      case 'ocr':
        await runTool('ocrmypdf', settings.ocrmypdf, cmd.buildOcrArgs(input, output, plan.options, plan.inputFormat !== 'pdf'), context);
        return;
      case 'split':
        throw new Error('split writes several files: see splitPages');
    }
  }

  /** Ghostscript's pdfwrite with a definition file (PDF/A, PDF/X) that reads the ICC profile. */
  async function ghostscriptPdf(input: string, definitionText: string, args: (definition: string) => string[], iccProfile: string, context: ConverterContext): Promise<void> {
    // Ghostscript runs anything that does not look like a PDF to it as PostScript.
    if (!startsLikePdf(await readHead(input))) throw appError('CONVERSION_FAILED', notLikeMessage('pdf'));
    const definition = path.join(context.workDir, 'definition.ps');
    await writeFile(definition, definitionText);
    const report = await runTool('ghostscript', settings.ghostscript, args(definition), context, [iccProfile]);
    // Ghostscript exits 0 for a PDF it could not open (encrypted, or no document in it).
    if (cmd.GHOSTSCRIPT_UNREADABLE.test(report)) throw appError('CONVERSION_FAILED', 'Ghostscript could not read the PDF. A password-protected PDF must be decrypted first with a pdf/decrypt task.');
  }

  /** Runs a tool; what it printed (stdout's end and stderr's), for the checks of tools that exit 0 on failure. */
  async function runTool(name: string, binary: string, args: readonly string[], context: ConverterContext, readable: readonly string[] = []): Promise<string> {
    try {
      const result = await context.tools.run(binary, args, { signal: context.signal, readable });
      return `${result.stdout.slice(-4096)}\n${result.stderrTail}`;
    } catch (error) {
      throw failure(name, error, context.signal);
    }
  }

  return {
    async runPdfTool(request, context) {
      if (request.plan.tool === 'split') return splitPages(request, context);
      const name = `${request.outputName}.pdf`;
      const output = path.join(request.outputDir, name);
      await runOne(request.plan, request, output, context);
      return [{ path: output, name }];
    },
  };
}

/** pdf/encrypt's passwords; the check at creation makes sure the one to open is there. */
function passwordsFor(passwords: PdfPasswords): { password: string; ownerPassword?: string } {
  if (passwords.password === undefined && passwords.ownerPassword === undefined) throw appError('INVALID_OPTION', 'pdf/encrypt needs set_password or set_owner_password; the task\'s passwords were not found (they are discarded when a task ends).');
  return { password: passwords.password ?? '', ...(passwords.ownerPassword === undefined ? {} : { ownerPassword: passwords.ownerPassword }) };
}
