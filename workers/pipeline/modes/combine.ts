// mode=combine: every input becomes PDF pages (images through mutool, office documents through
// LibreOffice), then the PDFs are merged in the client's order into one file.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ENGINE_OPTIONS, type EngineId, type EngineOptions } from '../../../src/core/catalog/index.js';
import { assertCombinable, type CombinePlan } from '../../../src/core/catalog/resolve.js';
import { IMAGES_TO_PDF_INPUTS } from '../../../src/core/catalog/engines/pdf.js';
import { appError } from '../../../src/core/errors.js';
import type { InputFile } from '../../converters/types.js';
import type { PipelineContext } from '../context.js';
import type { ModeTarget } from './target.js';

/** An engine's options with nothing set: the defaults of a plain conversion to PDF. */
const noOptions = <E extends EngineId>(engine: E): EngineOptions[E] => Object.fromEntries(Object.keys(ENGINE_OPTIONS[engine]).map((name) => [name, null])) as EngineOptions[E];

export async function combineFiles(ctx: PipelineContext, plan: CombinePlan, target: ModeTarget): Promise<void> {
  const inputs = ctx.state.inputs ?? [];
  if (inputs.length === 0) throw appError('INPUT_UNAVAILABLE', 'mode=combine has no input files.');
  const pdfs: string[] = [];
  for (const [index, input] of inputs.entries()) {
    target.context.signal.throwIfAborted();
    pdfs.push(await asPdf(ctx, input, index, plan, target));
    target.context.progress(((index + 1) / (inputs.length + 1)) * 100, `Converted ${index + 1} of ${inputs.length} files to PDF`);
  }
  const name = `${target.outputName}.pdf`;
  const output = path.join(target.outputDir, name);
  await ctx.services.engines.pdfMerger.merge(pdfs, output, target.context);
  ctx.state.outputs = [{ path: output, name }];
}

/** The input as a PDF: itself, or converted into a folder of its own. */
async function asPdf(ctx: PipelineContext, input: InputFile, index: number, plan: CombinePlan, target: ModeTarget): Promise<string> {
  // A single input named without an extension (a URL such as .../download?id=7) is inputformat's.
  const format = input.format ?? plan.inputFormat;
  assertCombinable(format);
  if (format === 'pdf') return input.path;
  const outputDir = path.join(ctx.workDir, 'combine', String(index));
  await mkdir(outputDir, { recursive: true });
  const request = { inputPath: input.path, inputFormat: format, outputFormat: 'pdf' as const, outputDir, outputName: 'part' };
  const { converters } = ctx.services.engines;
  const isImage = (IMAGES_TO_PDF_INPUTS as readonly string[]).includes(format);
  const made = isImage
    ? await converters.mupdf.convert({ ...request, options: noOptions('mupdf') }, target.context)
    : await converters.libreoffice.convert({ ...request, options: noOptions('libreoffice') }, target.context);
  const pdf = made[0];
  if (pdf === undefined) throw appError('CONVERSION_FAILED', `"${input.name}" could not be turned into PDF pages.`);
  return pdf.path;
}
