// The PDF engine: mutool renders pages to PNG (sharp re-encodes them as jpg, tiff or webp),
// reads XPS, OpenXPS and (through djvulibre) DjVu documents as PDFs (paged-input.ts),
// extracts text, extracts/rotates/encrypts pages (pdf → pdf) and turns images into a PDF. mutool
// runs as a child process, so none of this work blocks the worker's event loop. It only ever
// opens inputs staged under their declared format's name that start like that format, and
// renders no page and decodes no image page over MAX_IMAGE_PIXELS.
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { appError, AppError } from '../../../src/core/errors.js';
import { PAGED_INPUTS } from '../../../src/core/catalog/engines/pdf.js';
import { isSignedFormat } from '../../../src/core/file-signatures.js';
import { ToolError } from '../../tools/run-tool.js';
import type { ConvertRequest, Converter, ConverterContext, OutputFile, PdfMerger } from '../types.js';
import { assertStartsLike, stageInput } from './input.js';
import { buildCleanArgs, buildImagesToPdfArgs, buildMergeArgs, buildPageBoundsArgs, buildPageCountArgs, buildRenderArgs, buildRotateArgs, buildSvgArgs, buildTextArgs, pageFileName, parsePageBounds, planRender, selectPages, type RenderGroup } from './command.js';
import { assertImageFits } from './image-pixels.js';
import { pagedToPdf, type PagedFormat } from './paged-input.js';

const ROTATE_SCRIPT = fileURLToPath(new URL('./rotate-pages.mujs', import.meta.url));
const BOUNDS_SCRIPT = fileURLToPath(new URL('./page-bounds.mujs', import.meta.url));
/** Density of rendered pages when the client gives none. */
const DEFAULT_DENSITY = 150;

/** Outputs re-encoded from mutool's PNG by sharp. */
const ENCODERS = { jpg: 'jpeg', tiff: 'tiff', webp: 'webp' } as const;

export interface PdfEngineSettings {
  readonly mutool: string;
  /** djvulibre's decoder and structure dump, for DjVu inputs. */
  readonly ddjvu: string;
  readonly djvudump: string;
  /** PDFs with more pages are refused. */
  readonly maxPages: number;
  /** Images, image pages and rendered pages with more pixels are refused (decompression bombs). */
  readonly maxImagePixels: number;
}

function failure(error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted || error instanceof AppError) return error;
  if (error instanceof ToolError) {
    const lines = error.stderrTail.split('\n').filter((l) => l.trim() !== '' && !/ICC support/.test(l));
    const passwordLine = lines.find((l) => /password/i.test(l));
    const line = (passwordLine ?? lines.pop() ?? `exit code ${error.exitCode}`).replace(/^error:\s*/, '').slice(0, 300);
    const hint = passwordLine === undefined ? '' : ' The PDF is protected: give the right converteroptions[password].';
    return appError('CONVERSION_FAILED', `${path.basename(error.tool)} could not read the file: ${line}.${hint}`);
  }
  return error;
}

const isPaged = (format: string): format is PagedFormat => (PAGED_INPUTS as readonly string[]).includes(format);

export function createPdfEngine(settings: PdfEngineSettings): Converter<'mupdf'> & PdfMerger {
  async function pageCount(input: string, password: string | null, context: ConverterContext): Promise<number> {
    const { stdout } = await context.tools.run(settings.mutool, buildPageCountArgs(input, password), { signal: context.signal });
    const count = Number(stdout.trim());
    if (!Number.isInteger(count) || count < 1) throw appError('CONVERSION_FAILED', 'The file is not a readable PDF: it has no page count.');
    if (count > settings.maxPages) throw appError('CONVERSION_FAILED', `The PDF has ${count} pages; this server reads at most ${settings.maxPages} (PDF_MAX_PAGES).`);
    return count;
  }

  /** The density of each page: the client's, or the default lowered for pages over MAX_IMAGE_PIXELS. */
  async function renderPlan(request: ConvertRequest<'mupdf'>, pages: readonly number[], context: ConverterContext): Promise<RenderGroup[]> {
    const o = request.options;
    const { stdout } = await context.tools.run(settings.mutool, buildPageBoundsArgs(BOUNDS_SCRIPT, request.inputPath, pages, o.password), { signal: context.signal, readable: [BOUNDS_SCRIPT] });
    return planRender(parsePageBounds(stdout), o.density, DEFAULT_DENSITY, settings.maxImagePixels);
  }

  async function render(request: ConvertRequest<'mupdf'>, pages: readonly number[], context: ConverterContext): Promise<OutputFile[]> {
    const o = request.options;
    const drawn = request.outputFormat === 'svg' ? 'svg' : 'png';
    const pattern = path.join(request.outputDir, `page-%d.${drawn}`);
    if (drawn === 'svg') await context.tools.run(settings.mutool, buildSvgArgs(request.inputPath, pattern, pages, o.password), { signal: context.signal });
    else {
      for (const group of await renderPlan(request, pages, context)) {
        await context.tools.run(settings.mutool, buildRenderArgs(request.inputPath, pattern, group.density, group.pages, o.password), { signal: context.signal });
      }
    }
    const outputs: OutputFile[] = [];
    for (const [i, page] of pages.entries()) {
      context.signal.throwIfAborted();
      const drawnFile = path.join(request.outputDir, `page-${page}.${drawn}`);
      const name = pageFileName(request.outputName, request.outputFormat, page, pages.length);
      const file = path.join(request.outputDir, name);
      const encoder = ENCODERS[request.outputFormat as keyof typeof ENCODERS] as (typeof ENCODERS)[keyof typeof ENCODERS] | undefined;
      if (encoder === undefined) await rename(drawnFile, file);
      else {
        const quality = o.quality ?? undefined;
        await sharp(drawnFile, { limitInputPixels: settings.maxImagePixels }).toFormat(encoder, quality === undefined ? {} : { quality }).toFile(file);
        await rm(drawnFile);
      }
      outputs.push({ path: file, name });
      context.progress(((i + 1) / pages.length) * 100);
    }
    return outputs;
  }

  /** pdf → pdf: the selected pages, decrypted, then rotated, then encrypted if asked. */
  async function edit(request: ConvertRequest<'mupdf'>, pages: readonly number[], context: ConverterContext): Promise<OutputFile[]> {
    const o = request.options;
    const { signal } = context;
    const name = `${request.outputName}.pdf`;
    const output = path.join(request.outputDir, name);
    const selected = path.join(context.workDir, 'selected.pdf');
    await context.tools.run(settings.mutool, buildCleanArgs(request.inputPath, selected, pages, o.password, null), { signal });
    let current = selected;
    if (o.rotate !== null) {
      const rotated = path.join(context.workDir, 'rotated.pdf');
      await context.tools.run(settings.mutool, buildRotateArgs(ROTATE_SCRIPT, current, rotated, o.rotate), { signal, readable: [ROTATE_SCRIPT] });
      current = rotated;
    }
    if (o.encrypt_password !== null) await context.tools.run(settings.mutool, buildCleanArgs(current, output, selectPages(null, pages.length), null, o.encrypt_password), { signal });
    else await rename(current, output);
    return [{ path: output, name }];
  }

  /** An image (all pages of a TIFF) → a PDF with one page per image. */
  async function fromImage(request: ConvertRequest<'mupdf'>, context: ConverterContext): Promise<OutputFile[]> {
    const format = request.inputFormat;
    let source: string;
    // png, jpg, gif and tiff go to mutool as they are; the others become PNG with sharp first.
    if (isSignedFormat(format)) {
      source = await stageInput(request.inputPath, format, context.workDir);
      await assertImageFits(source, format, { maxPixels: settings.maxImagePixels, maxPages: settings.maxPages });
    } else {
      source = path.join(await mkdtemp(path.join(context.workDir, 'mutool-')), 'input.png');
      await sharp(request.inputPath, { limitInputPixels: settings.maxImagePixels }).png().toFile(source).catch((error: unknown) => {
        throw appError('CONVERSION_FAILED', `Could not read the ${format} image: ${(error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''}`);
      });
    }
    const name = `${request.outputName}.pdf`;
    const output = path.join(request.outputDir, name);
    await context.tools.run(settings.mutool, buildImagesToPdfArgs(output, [source]), { signal: context.signal });
    return [{ path: output, name }];
  }

  /** A PDF (already staged as input.pdf) to images, text, html, svg or an edited PDF. */
  async function fromPdf(request: ConvertRequest<'mupdf'>, context: ConverterContext): Promise<OutputFile[]> {
    const o = request.options;
    const pages = selectPages(o.page_range, await pageCount(request.inputPath, o.password, context));
    if (request.outputFormat === 'pdf') return edit(request, pages, context);
    if (request.outputFormat !== 'txt' && request.outputFormat !== 'html') return render(request, pages, context);
    const name = `${request.outputName}.${request.outputFormat}`;
    const output = path.join(request.outputDir, name);
    await context.tools.run(settings.mutool, buildTextArgs(request.inputPath, output, pages, o.password, request.outputFormat), { signal: context.signal });
    await stat(output);
    return [{ path: output, name }];
  }

  return {
    async convert(request: ConvertRequest<'mupdf'>, context: ConverterContext): Promise<readonly OutputFile[]> {
      try {
        if (isPaged(request.inputFormat)) {
          const pdf = await pagedToPdf(request.inputPath, request.inputFormat, settings, context);
          return await fromPdf({ ...request, inputPath: pdf, inputFormat: 'pdf' }, context);
        }
        if (request.inputFormat !== 'pdf') return await fromImage(request, context);
        const staged = { ...request, inputPath: await stageInput(request.inputPath, 'pdf', context.workDir) };
        return await fromPdf(staged, context);
      } catch (error) {
        throw failure(error, context.signal);
      }
    },

    /** mode=combine: the PDFs' pages in order; the page limit applies to the result too. */
    async merge(inputs: readonly string[], outputPath: string, context: ConverterContext): Promise<void> {
      try {
        let total = 0;
        for (const [i, input] of inputs.entries()) {
          // mutool merge reads PDFs only, whatever their names; the check gives the clearer message.
          await assertStartsLike(input, 'pdf', `Input ${i + 1} of the combination`);
          total += await pageCount(input, null, context);
        }
        if (total > settings.maxPages) throw appError('CONVERSION_FAILED', `The combined PDF would have ${total} pages; this server makes at most ${settings.maxPages} (PDF_MAX_PAGES).`);
        await context.tools.run(settings.mutool, buildMergeArgs(outputPath, inputs), { signal: context.signal });
      } catch (error) {
        throw failure(error, context.signal);
      }
    },
  };
}
