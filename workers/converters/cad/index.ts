// The CAD engine: Inkscape's DXF importer (python, in the tool sandbox) turns the drawing into an
// SVG; Inkscape crops it to the drawing and writes svg or pdf; sharp renders png and jpg from the
// cropped SVG at an exact, bounded pixel size.
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { appError, AppError } from '../../../src/core/errors.js';
import { readHead } from '../../../src/core/file-signatures.js';
import { ToolError } from '../../tools/run-tool.js';
import type { ConvertRequest, Converter, ConverterContext, OutputFile } from '../types.js';
import { cadInkscapeArgs, dxfEncoding, dxfImportArgs, padSvg, rasterSize, svgViewBox } from './command.js';

export interface CadEngineSettings {
  readonly python: string;
  readonly dxfImporter: string;
  readonly inkscape: string;
  /** Larger DXF files are refused before the importer reads them. */
  readonly maxBytes: number;
  /** png/jpg outputs with more pixels are refused. */
  readonly maxPixels: number;
}

type Request = ConvertRequest<'cad'>;

/** A DXF's header and tables lie within its first bytes; the encoding and version are there. */
const HEAD_BYTES = 64 * 1024;
/** An ASCII DXF is group code / value lines, with a SECTION near its start. */
const ASCII_DXF = /(?:^|\n)\s*0\r?\nSECTION\r?\n/;

/** The last meaningful line of the importer's stderr, without the job's paths. */
function importerError(stderrTail: string): string {
  const lines = stderrTail.split('\n').map((l) => l.replace(/\/\S+\//g, '').trim()).filter((l) => l.length > 0 && !/^\s*(File|Traceback)\b/.test(l));
  const last = (lines.pop() ?? 'no details').slice(0, 300);
  return /UnicodeDecodeError/.test(last) ? `${last}. The texts are not in the encoding assumed: set converteroptions[encoding] (utf_8, latin_1, cp1250, cp1252, cp932)` : last;
}

async function checkInput(request: Request, settings: CadEngineSettings): Promise<string> {
  const { size } = await stat(request.inputPath);
  if (size > settings.maxBytes) throw appError('CONVERSION_FAILED', `The dxf file is ${Math.ceil(size / 2 ** 20)} MB, more than the limit of ${settings.maxBytes / 2 ** 20} MB (CAD_MAX_FILE_MB).`);
  const head = (await readHead(request.inputPath, HEAD_BYTES)).toString('latin1');
  if (!ASCII_DXF.test(head)) {
    throw appError('CONVERSION_FAILED', 'The file is not an ASCII DXF drawing (no SECTION in its start). Binary DXF and DWG are not read: save the drawing as ASCII DXF and try again.');
  }
  return head;
}

export function createCadEngine(settings: CadEngineSettings): Converter<'cad'> {
  async function run(binary: string, args: string[], context: ConverterContext, what: string, env: Readonly<Record<string, string>> = {}): Promise<void> {
    await context.tools.run(binary, args, { signal: context.signal, env }).catch((error: unknown) => {
      if (context.signal.aborted || error instanceof AppError || !(error instanceof ToolError)) throw error;
      throw appError('CONVERSION_FAILED', `${what}: ${importerError(error.stderrTail)}.`);
    });
  }

  /** DXF → the importer's SVG (an A4 page, the drawing at its scale) in the job's folder. */
  async function importDxf(request: Request, head: string, context: ConverterContext): Promise<string> {
    const raw = path.join(context.workDir, 'drawing.svg');
    const encoding = dxfEncoding(head, request.options.encoding);
    await run(settings.python, dxfImportArgs(settings.dxfImporter, request.inputPath, raw, request.options, encoding), context, 'The DXF importer could not read the drawing');
    return raw;
  }

  async function inkscape(input: string, output: string, type: 'svg' | 'pdf', context: ConverterContext): Promise<void> {
    const home = path.join(context.workDir, 'inkscape-home');
    await mkdir(home, { recursive: true });
    const env = { HOME: home, XDG_CONFIG_HOME: `${home}/.config`, XDG_CACHE_HOME: `${home}/.cache`, XDG_DATA_HOME: `${home}/.local/share` };
    await run(settings.inkscape, cadInkscapeArgs(input, output, type), context, 'Inkscape could not write the drawing', env);
    if (!(await stat(output).then((s) => s.size > 0, () => false))) throw appError('CONVERSION_FAILED', 'Inkscape wrote no output for the drawing.');
  }

  /** The drawing cropped to its entities plus a margin, as SVG text, and its (padded) viewBox. */
  async function croppedSvg(raw: string, context: ConverterContext): Promise<{ svg: string; box: NonNullable<ReturnType<typeof svgViewBox>> }> {
    const cropped = path.join(context.workDir, 'cropped.svg');
    await inkscape(raw, cropped, 'svg', context);
    const text = await readFile(cropped, 'utf8');
    const box = svgViewBox(text);
    if (box === undefined) throw appError('CONVERSION_FAILED', 'The drawing has nothing to show: its model space has no entities the importer draws.');
    const svg = padSvg(text, box);
    return { svg, box: svgViewBox(svg) ?? box };
  }

  async function raster(svg: string, box: NonNullable<ReturnType<typeof svgViewBox>>, request: Request, output: string): Promise<void> {
    const size = rasterSize(box, request.options.width ?? 2000);
    if (size.width * size.height > settings.maxPixels) {
      throw appError('CONVERSION_FAILED', `The image would be ${size.width}x${size.height} pixels, more than the limit of ${settings.maxPixels} (MAX_IMAGE_PIXELS). Give a smaller width.`);
    }
    // librsvg renders at `density` DPI, 72 being one SVG unit per pixel: ask for the width, resize exactly.
    const density = Math.min(100_000, Math.max(1, (72 * size.width) / box.width));
    const image = sharp(Buffer.from(svg), { density, limitInputPixels: settings.maxPixels * 2 }).resize(size.width, size.height, { fit: 'fill' }).flatten({ background: '#ffffff' });
    await (request.outputFormat === 'jpg' ? image.jpeg({ quality: 90 }) : image.png()).toFile(output).catch((error: unknown) => {
      throw appError('CONVERSION_FAILED', `Could not render the drawing: ${(error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''}`);
    });
  }

  return {
    async convert(request: Request, context: ConverterContext): Promise<readonly OutputFile[]> {
      const head = await checkInput(request, settings);
      const raw = await importDxf(request, head, context);
      context.progress(40);
      const name = `${request.outputName}.${request.outputFormat}`;
      const output = path.join(request.outputDir, name);
      if (request.outputFormat === 'pdf') {
        await inkscape(raw, output, 'pdf', context);
        return [{ path: output, name }];
      }
      const { svg, box } = await croppedSvg(raw, context);
      context.progress(70);
      if (request.outputFormat === 'svg') await writeFile(output, svg);
      else await raster(svg, box, request, output);
      return [{ path: output, name }];
    },
  };
}
