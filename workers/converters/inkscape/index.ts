// The vector engine: Inkscape for svg, emf, wmf and pdf; Ghostscript for eps and ps. Inputs are
// checked first (self-contained SVG, magic bytes), Inkscape runs with its home in the job's
// folder, Ghostscript runs with -dSAFER (both in the tool sandbox: no network, only the job's
// folder), and raster outputs get an exact, bounded pixel size.
import { copyFile, link, mkdir, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Format } from '../../../src/core/catalog/index.js';
import { appError } from '../../../src/core/errors.js';
import { readHead as readFileHead } from '../../../src/core/file-signatures.js';
import { ToolError } from '../../tools/run-tool.js';
import type { ConvertRequest, Converter, ConverterContext, OutputFile } from '../types.js';
import { epsBoundingBox, ghostscriptArgs, ghostscriptPageProbeArgs, inkscapeArgs, inkscapeEnvironment, pdfMediaBox, probeFoundPage, rasterSize, routeFor, type GhostscriptRun, type InkscapeExport, type PixelSize, type PointSize } from './command.js';
import { checkMagic, checkSvg } from './input-safety.js';

export interface VectorEngineSettings {
  readonly inkscape: string;
  readonly ghostscript: string;
  /** Raster outputs with more pixels are refused. */
  readonly maxPixels: number;
}

type Request = ConvertRequest<'inkscape'>;

/** An EPS's DSC header (its bounding box) lies within this many bytes of its start. */
const HEAD_BYTES = 64 * 1024;
const readHead = (file: string): Promise<Buffer> => readFileHead(file, HEAD_BYTES);

/** Refuses an input Inkscape or Ghostscript must not open (see input-safety.ts). */
async function checkInput(file: string, format: Format): Promise<void> {
  const verdict = format === 'svg' ? checkSvg(await readFile(file)) : checkMagic(format, await readHead(file));
  if (verdict.ok) return;
  const hint = format === 'svg' ? ' Only self-contained SVGs are converted: embed images as data: URIs and styles inline; linked files and URLs are never loaded.' : ` Check that it really is a ${format} file.`;
  throw appError('CONVERSION_FAILED', `The ${format} file cannot be converted: ${verdict.reason}.${hint}`);
}

/** The input under a fixed name with the right extension: Inkscape picks its importer by it. */
async function stageInput(request: Request, workDir: string): Promise<string> {
  const staged = path.join(workDir, `input.${request.inputFormat}`);
  await link(request.inputPath, staged).catch(() => copyFile(request.inputPath, staged));
  return staged;
}

async function nonEmpty(file: string): Promise<boolean> {
  return stat(file).then((s) => s.isFile() && s.size > 0, () => false);
}

const NOISE = /GtkRecentManager|^\*\*|Operand stack|Execution stack|Dictionary stack|--nostringval--|%interp_exit|Unrecoverable error|ink_file_open|document_open|on_open|failed to create document/;

/**
 * The line of a tool's stderr that says what went wrong, without the job's paths. `xmlToo`:
 * keep XML parser errors (for an SVG; for other inputs they come from Inkscape's fallback of
 * reading a file it could not import as SVG, which would only confuse).
 */
function stderrSummary(stderrTail: string, xmlToo = false): string {
  const lines = stderrTail
    .split('\n')
    .map((l) => l.replace(/\/\S*\/(?:input|page|measure)\.\w+(?::\d+)?:?\s*/g, '').trim())
    .filter((l) => l.length > 2 && !NOISE.test(l) && (xmlToo || !/parser error|namespace error/.test(l)));
  const error = lines.find((l) => /error/i.test(l));
  return (error ?? lines.pop() ?? 'no details').slice(0, 300);
}

export function createVectorEngine(settings: VectorEngineSettings): Converter<'inkscape'> {
  async function inkscape(e: InkscapeExport, context: ConverterContext): Promise<string> {
    const svgInput = path.extname(e.input) === '.svg';
    const home = path.join(context.workDir, 'inkscape-home');
    await mkdir(home, { recursive: true });
    const { stderrTail } = await context.tools.run(settings.inkscape, inkscapeArgs(e), { signal: context.signal, env: inkscapeEnvironment(home) }).catch((error: unknown) => {
      throw error instanceof ToolError ? appError('CONVERSION_FAILED', `Inkscape could not convert the file: ${stderrSummary(error.stderrTail, svgInput)}.`) : error;
    });
    // Inkscape exits 0 when it cannot open a file, and imports page 1 for a page past the end.
    if (e.page !== null && /Bad page number/.test(stderrTail)) throw appError('INVALID_OPTION', `converteroptions[page] = ${e.page} is past the last page of the PDF. Give a page that exists.`);
    if (!(await nonEmpty(e.output))) throw appError('CONVERSION_FAILED', `Inkscape could not read the file: ${stderrSummary(stderrTail, svgInput)}. It may be damaged or not really the format its name says.`);
    // Inkscape recovers what it can from broken XML; like librsvg (svg → png), refuse it instead.
    const xmlError = svgInput ? /parser error : (.*)/.exec(stderrTail) : null;
    if (xmlError !== null) throw appError('CONVERSION_FAILED', `The SVG is not well-formed XML (${(xmlError[1] ?? '').trim().slice(0, 200)}). Fix the file and try again.`);
    return e.output;
  }

  /** Ghostscript renders a blank page for a page past the end: probe first (page 1 always exists). */
  async function requirePage(input: string, page: number | null, context: ConverterContext): Promise<void> {
    if (page === null || page === 1) return;
    const { stderrTail } = await context.tools.run(settings.ghostscript, ghostscriptPageProbeArgs(input, page), { signal: context.signal }).catch((error: unknown) => {
      throw error instanceof ToolError ? appError('CONVERSION_FAILED', `Ghostscript could not read the file: ${stderrSummary(error.stderrTail)}.`) : error;
    });
    if (!probeFoundPage(stderrTail)) throw appError('INVALID_OPTION', `converteroptions[page] = ${page} is past the last page of the document. Give a page that exists.`);
  }

  async function ghostscript(r: GhostscriptRun, context: ConverterContext): Promise<string> {
    await requirePage(r.input, r.page, context);
    await context.tools.run(settings.ghostscript, ghostscriptArgs(r), { signal: context.signal }).catch((error: unknown) => {
      throw error instanceof ToolError ? appError('CONVERSION_FAILED', `Ghostscript could not convert the PostScript: ${stderrSummary(error.stderrTail)}. The file may be damaged or use features Ghostscript refuses in safe mode.`) : error;
    });
    if (!(await nonEmpty(r.output))) throw appError('CONVERSION_FAILED', `Ghostscript wrote no ${r.device} output; the file may be damaged.`);
    return r.output;
  }

  function checkPixels(size: PixelSize): PixelSize {
    if (size.width * size.height > settings.maxPixels) {
      throw appError('CONVERSION_FAILED', `The image would be ${size.width}x${size.height} pixels, more than the limit of ${settings.maxPixels} (MAX_IMAGE_PIXELS). Give a lower density or a smaller width/height.`);
    }
    return size;
  }

  /** emf/wmf → png: a PDF export measures the page, then Inkscape renders exactly that size. */
  async function inkscapeRaster(request: Request, input: string, output: string, context: ConverterContext): Promise<string> {
    const o = request.options;
    let page: PointSize = { width: 1, height: 1 };
    if (o.width === null || o.height === null) {
      const measure = await inkscape({ input, output: path.join(context.workDir, 'measure.pdf'), type: 'pdf', textToPath: false, page: null }, context);
      const box = pdfMediaBox((await readFile(measure)).toString('latin1'));
      if (box === undefined) throw appError('CONVERSION_FAILED', `Could not measure the ${request.inputFormat} drawing: it has no page size.`);
      page = box;
    }
    context.progress(50);
    const pixels = checkPixels(rasterSize(page, o));
    return inkscape({ input, output, type: 'png', textToPath: false, page: null, pixels }, context);
  }

  /** eps → png: the bounding box gives the size, Ghostscript renders exactly that many pixels. */
  async function ghostscriptRaster(request: Request, input: string, output: string, context: ConverterContext): Promise<string> {
    let header = await readHead(input);
    // A DOS EPS binary header says where the PostScript starts.
    if (header.length >= 8 && header.readUInt32BE(0) === 0xc5d0d3c6) header = header.subarray(Math.min(header.readUInt32LE(4), header.length));
    const box = epsBoundingBox(header.toString('latin1'));
    if (box === undefined) throw appError('CONVERSION_FAILED', 'The EPS has no %%BoundingBox comment, so its size is unknown. Convert it to pdf first.');
    const pixels = checkPixels(rasterSize(box, request.options));
    return ghostscript({ input, output, device: 'pngalpha', epsCrop: false, textToPath: false, page: null, pixels, density: request.options.density ?? 96 }, context);
  }

  async function run(request: Request, input: string, output: string, context: ConverterContext): Promise<string> {
    const { inputFormat, outputFormat, options: o } = request;
    const route = routeFor(inputFormat, outputFormat);
    if (route === undefined) throw new Error(`The vector engine has no route for ${inputFormat} to ${outputFormat}`);
    const textToPath = o.text_to_path === true;
    switch (route.kind) {
      case 'inkscape':
        return inkscape({ input, output, type: outputFormat, textToPath, page: inputFormat === 'pdf' ? o.page : null }, context);
      case 'ghostscript':
        return ghostscript({ input, output, device: route.device, epsCrop: inputFormat === 'eps', textToPath, page: outputFormat === 'eps' ? o.page : null }, context);
      case 'ghostscript-inkscape': {
        const pdf = await ghostscript({ input, output: path.join(context.workDir, 'page.pdf'), device: 'pdfwrite', epsCrop: inputFormat === 'eps', textToPath: false, page: inputFormat === 'ps' ? o.page : null }, context);
        context.progress(50);
        return inkscape({ input: pdf, output, type: outputFormat, textToPath, page: null }, context);
      }
      case 'inkscape-raster':
        return inkscapeRaster(request, input, output, context);
      case 'ghostscript-raster':
        return ghostscriptRaster(request, input, output, context);
    }
  }

  return {
    async convert(request: Request, context: ConverterContext): Promise<readonly OutputFile[]> {
      await checkInput(request.inputPath, request.inputFormat);
      const input = await stageInput(request, context.workDir);
      // A fixed name first: the client's name could hold '%', which Ghostscript would expand.
      const produced = await run(request, input, path.join(request.outputDir, `vector-output.${request.outputFormat}`), context);
      const name = `${request.outputName}.${request.outputFormat}`;
      const file = path.join(request.outputDir, name);
      await rename(produced, file);
      context.progress(100);
      return [{ path: file, name }];
    },
  };
}
