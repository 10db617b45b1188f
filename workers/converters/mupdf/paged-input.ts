// XPS, OpenXPS and DjVu inputs, turned into a PDF that the PDF paths then render, extract from or
// edit. Each is checked before a tool decodes it: its start (a ZIP package; a DjVu IFF form), its
// page count against PDF_MAX_PAGES and, for DjVu (whose pages are images), each page's pixels
// against MAX_IMAGE_PIXELS, read from djvudump's listing before ddjvu decodes anything.
import { copyFile, link, mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appError } from '../../../src/core/errors.js';
import { readHead } from '../../../src/core/file-signatures.js';
import type { ConverterContext } from '../types.js';
import { buildDdjvuArgs, buildImagesToPdfArgs, buildPageCountScriptArgs, parseDjvuDump } from './command.js';

const PAGE_COUNT_SCRIPT = fileURLToPath(new URL('./page-count.mujs', import.meta.url));

export type PagedFormat = 'xps' | 'oxps' | 'djvu';

export interface PagedInputSettings {
  readonly mutool: string;
  readonly ddjvu: string;
  readonly djvudump: string;
  readonly maxPages: number;
  readonly maxImagePixels: number;
}

const ZIP = Buffer.from('504b0304', 'hex');

/** Whether a file's start is that of the format: a ZIP package (xps, oxps) or a DjVu document (AT&TFORM, then DJVU or DJVM). */
export function startsLikePaged(format: PagedFormat, head: Buffer): boolean {
  if (format !== 'djvu') return head.subarray(0, 4).equals(ZIP);
  const kind = head.toString('latin1', 12, 16);
  return head.toString('latin1', 0, 8) === 'AT&TFORM' && (kind === 'DJVU' || kind === 'DJVM');
}

const DESCRIPTION: Readonly<Record<PagedFormat, string>> = {
  xps: 'an XPS document (a ZIP package)',
  oxps: 'an OpenXPS document (a ZIP package)',
  djvu: 'a DjVu document (AT&TFORM:DJVU or DJVM)',
};

function tooManyPages(format: PagedFormat, pages: number, maxPages: number): never {
  throw appError('CONVERSION_FAILED', `The ${format} document has ${pages} pages; this server reads at most ${maxPages} (PDF_MAX_PAGES).`);
}

/** The input checked and linked as input.<format> in a folder of its own (mutool picks its reader from the name). */
async function stage(inputPath: string, format: PagedFormat, workDir: string): Promise<string> {
  if (!startsLikePaged(format, await readHead(inputPath))) {
    throw appError('CONVERSION_FAILED', `The ${format} file is not ${DESCRIPTION[format]}. Check that the file really is ${format} and that inputformat says so.`);
  }
  const staged = path.join(await mkdtemp(path.join(workDir, 'paged-')), `input.${format}`);
  await link(inputPath, staged).catch(() => copyFile(inputPath, staged));
  return staged;
}

async function xpsToPdf(staged: string, format: PagedFormat, output: string, settings: PagedInputSettings, context: ConverterContext): Promise<void> {
  const { stdout } = await context.tools.run(settings.mutool, buildPageCountScriptArgs(PAGE_COUNT_SCRIPT, staged), { signal: context.signal, readable: [PAGE_COUNT_SCRIPT] });
  const pages = Number(stdout.trim());
  if (!Number.isInteger(pages) || pages < 1) throw appError('CONVERSION_FAILED', `The ${format} document has no readable page.`);
  if (pages > settings.maxPages) tooManyPages(format, pages, settings.maxPages);
  await context.tools.run(settings.mutool, buildImagesToPdfArgs(output, [staged]), { signal: context.signal });
}

async function djvuToPdf(staged: string, output: string, settings: PagedInputSettings, context: ConverterContext): Promise<void> {
  const { stdout } = await context.tools.run(settings.djvudump, [staged], { signal: context.signal });
  const pages = parseDjvuDump(stdout);
  if (pages.length === 0) throw appError('CONVERSION_FAILED', 'The djvu document has no page in this file (an indirect DjVu keeps its pages in other files: send a bundled one).');
  if (pages.length > settings.maxPages) tooManyPages('djvu', pages.length, settings.maxPages);
  const index = pages.findIndex((p) => p.width * p.height > settings.maxImagePixels);
  const big = pages[index];
  if (big !== undefined) throw appError('CONVERSION_FAILED', `Page ${index + 1} of the djvu document is ${big.width}x${big.height} pixels; this server decodes at most ${settings.maxImagePixels} pixels (MAX_IMAGE_PIXELS).`);
  const tiff = path.join(path.dirname(staged), 'pages.tiff');
  await context.tools.run(settings.ddjvu, buildDdjvuArgs(staged, tiff), { signal: context.signal });
  await context.tools.run(settings.mutool, buildImagesToPdfArgs(output, [tiff]), { signal: context.signal });
}

/** The paged document as a PDF in the job's folder; its path. */
export async function pagedToPdf(inputPath: string, format: PagedFormat, settings: PagedInputSettings, context: ConverterContext): Promise<string> {
  const staged = await stage(inputPath, format, context.workDir);
  const pdf = path.join(path.dirname(staged), 'input.pdf');
  if (format === 'djvu') await djvuToPdf(staged, pdf, settings, context);
  else await xpsToPdf(staged, format, pdf, settings, context);
  return pdf;
}
