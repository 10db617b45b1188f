// The imagemagick engine: the raster formats sharp cannot read or write. Each input becomes
// something ImageMagick reads (itself, or djxl for JPEG XL, dcraw_emu for DNG, librsvg through
// sharp for svg/svgz, Ghostscript for eps), its size checked against MAX_IMAGE_PIXELS from its header first; then
// ImageMagick writes the output (and cjxl for JPEG XL), under a policy that allows only these
// formats' coders. Every tool runs in the job's sandbox.
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import sharp from 'sharp';
import { EPS_DENSITY_DEFAULT } from '../../../src/core/catalog/engines/imagemagick.js';
import { FORMATS, type Format } from '../../../src/core/catalog/index.js';
import { appError, AppError } from '../../../src/core/errors.js';
import { matchesSignature, readHead } from '../../../src/core/file-signatures.js';
import { ToolError } from '../../tools/run-tool.js';
import type { CommandRunner, ConvertRequest, Converter, ConverterContext, InfoReader, InfoRequest, InfoResult, OutputFile } from '../types.js';
import { buildCjxlArgs, buildDcrawArgs, buildDjxlArgs, buildEpsArgs, epsSize, buildIdentifyArgs, buildMagickArgs, magickPolicy, parseIdentify, parseJxlInfo, parseRawIdentify, toolMessage, type MagickHeader } from './command.js';

export interface MagickEngineSettings {
  readonly convert: string;
  readonly identify: string;
  readonly cjxl: string;
  readonly djxl: string;
  readonly jxlinfo: string;
  readonly dcrawEmu: string;
  readonly rawIdentify: string;
  readonly ghostscript: string;
  /** Images with more pixels are refused before they are decoded (MAX_IMAGE_PIXELS). */
  readonly maxPixels: number;
}

/** Where an EPS's bounding box comment must be. */
const EPS_HEADER_BYTES = 8192;

/** The most an svgz may expand to: SVG text beyond this is not a drawing but a bomb. */
const MAX_SVG_BYTES = 64 * 1024 * 1024;

/** The widest and highest image Debian's ImageMagick policy (/etc/ImageMagick-6/policy.xml) lets it read. */
const MAGICK_SIDE_LIMIT = '16384 pixels a side in Debian\'s /etc/ImageMagick-6/policy.xml';

/** Inputs whose header sharp reads: their size is known even beyond ImageMagick's policy. */
const SHARP_READS = new Set<Format>(['png', 'jpg', 'webp', 'gif', 'tiff', 'avif']);

/** An input ImageMagick reads: its format (for the coder) and its path. */
interface Readable {
  readonly format: Format;
  readonly path: string;
}

/** Which tool failed, as a 422 the client can act on; aborts, limits and our own errors pass through. */
function failure(error: unknown, tool: string, signal: AbortSignal): unknown {
  if (signal.aborted || error instanceof AppError || !(error instanceof ToolError)) return error;
  const reason = toolMessage(error.stderrTail) ?? `exit code ${error.exitCode ?? error.signal ?? '?'}`;
  return appError('CONVERSION_FAILED', `${tool} could not convert the image: ${reason}.`);
}

function checkPixels(size: { width: number; height: number }, maxPixels: number): void {
  if (size.width * size.height > maxPixels) {
    throw appError('CONVERSION_FAILED', `The image is ${size.width}x${size.height} pixels, more than the limit of ${maxPixels} (MAX_IMAGE_PIXELS). Use a smaller image.`);
  }
}

export function createMagickEngine(settings: MagickEngineSettings): Converter<'imagemagick'> & InfoReader<'imagemagick'> & CommandRunner {
  const unreadable = (format: Format): AppError => appError('CONVERSION_FAILED', `The file is not a readable ${format} image. Check that the file really is ${format} and that inputformat says so.`);

  /** Runs a tool sandboxed with the job's ImageMagick policy; rejects with the tool's own error. */
  async function runRaw(context: ConverterContext, binary: string, args: readonly string[]): Promise<string> {
    const env = { MAGICK_CONFIGURE_PATH: path.join(context.workDir, 'imagemagick-policy') };
    return (await context.tools.run(binary, args, { signal: context.signal, env })).stdout;
  }

  /** Runs a tool; its failure becomes a 422 naming the tool. */
  async function run(context: ConverterContext, binary: string, tool: string, args: readonly string[]): Promise<string> {
    return runRaw(context, binary, args).catch((error: unknown) => {
      throw failure(error, tool, context.signal);
    });
  }

  /** A header reader's output; '' when the tool ran but could not read the file (missing tools, limits and aborts still throw). */
  async function readHeader(context: ConverterContext, binary: string, args: readonly string[]): Promise<string> {
    return runRaw(context, binary, args).catch((error: unknown) => {
      if (context.signal.aborted || !(error instanceof ToolError)) throw error;
      if (/exceeds limit/.test(error.stderrTail)) throw appError('CONVERSION_FAILED', `The image is wider or higher than ImageMagick's policy allows here (${MAGICK_SIDE_LIMIT}). Use a smaller image.`);
      return '';
    });
  }

  /** The policy folder and a link to the input under a fixed name (a client's file name may hold `[...]`, which ImageMagick reads as a frame or size). */
  async function prepare(inputPath: string, context: ConverterContext): Promise<string> {
    const policyDir = path.join(context.workDir, 'imagemagick-policy');
    await mkdir(policyDir, { recursive: true });
    await writeFile(path.join(policyDir, 'policy.xml'), magickPolicy());
    const link = path.join(context.workDir, 'imagemagick-input');
    await symlink(inputPath, link);
    return link;
  }

  async function checkSignature(request: { inputPath: string; inputFormat: Format }): Promise<void> {
    const signature = (FORMATS[request.inputFormat] as { signature?: Parameters<typeof matchesSignature>[0] }).signature;
    if (signature !== undefined && !matchesSignature(signature, await readHead(request.inputPath))) throw unreadable(request.inputFormat);
  }

  async function header(input: Readable, context: ConverterContext): Promise<MagickHeader> {
    const found = parseIdentify(await readHeader(context, settings.identify, buildIdentifyArgs(input)));
    if (found === undefined) throw unreadable(input.format);
    return found;
  }

  /** The size of an input sharp reads (png, jpg, webp, gif, tiff, avif), from its header: sharp reports any size, ImageMagick none over its policy's. */
  async function sharpSize(input: Readable): Promise<{ width: number; height: number }> {
    // Only the header is read: no pixel limit here, the size is checked against ours below.
    const meta = await sharp(input.path, { limitInputPixels: false }).metadata().catch(() => undefined);
    if (meta?.width === undefined || meta.height === undefined) throw unreadable(input.format);
    return { width: meta.width, height: meta.pageHeight ?? meta.height };
  }

  /** The input as a file ImageMagick reads, its size checked before anything decodes it. */
  async function decodable(request: ConvertRequest<'imagemagick'>, link: string, context: ConverterContext): Promise<Readable> {
    const { inputFormat } = request;
    if (inputFormat === 'jxl') {
      const size = parseJxlInfo(await readHeader(context, settings.jxlinfo, [link]));
      if (size === undefined) throw unreadable(inputFormat);
      checkPixels(size, settings.maxPixels);
      const png = path.join(context.workDir, 'jxl-decoded.png');
      await run(context, settings.djxl, 'djxl', buildDjxlArgs(link, png));
      return { format: 'png', path: png };
    }
    if (inputFormat === 'dng') {
      const size = parseRawIdentify(await readHeader(context, settings.rawIdentify, ['-v', link]));
      if (size === undefined) throw unreadable(inputFormat);
      checkPixels(size, settings.maxPixels);
      const tiff = path.join(context.workDir, 'raw-developed.tiff');
      await run(context, settings.dcrawEmu, 'dcraw_emu', buildDcrawArgs(link, tiff));
      return { format: 'tiff', path: tiff };
    }
    if (inputFormat === 'eps') return { format: 'png', path: await drawEps(request, link, context) };
    if (inputFormat === 'svg' || inputFormat === 'svgz') return { format: 'png', path: await drawSvg(request, context) };
    const input = { format: inputFormat, path: link };
    checkPixels(SHARP_READS.has(inputFormat) ? await sharpSize(input) : await header(input, context), settings.maxPixels);
    return input;
  }

  /** The EPS's first page drawn by Ghostscript, its size (bounding box × density) checked first. */
  async function drawEps(request: ConvertRequest<'imagemagick'>, link: string, context: ConverterContext): Promise<string> {
    const head = (await readHead(request.inputPath, EPS_HEADER_BYTES)).toString('latin1');
    // PostScript (%!PS) or a DOS EPS binary with a preview (C5 D0 D3 C6).
    if (!head.startsWith('%!PS') && !head.startsWith('\xc5\xd0\xd3\xc6')) throw unreadable('eps');
    const points = epsSize(head);
    if (points === undefined) throw appError('CONVERSION_FAILED', 'The eps file has no %%BoundingBox in its header, so its size is unknown. Add one (any drawing program writes it) or convert it to pdf first.');
    const density = request.options.density ?? EPS_DENSITY_DEFAULT;
    checkPixels({ width: Math.ceil((points.width * density) / 72), height: Math.ceil((points.height * density) / 72) }, settings.maxPixels);
    const png = path.join(context.workDir, 'eps-drawn.png');
    await run(context, settings.ghostscript, 'Ghostscript', buildEpsArgs(link, png, density));
    return png;
  }

  /** svg (or gunzipped svgz) drawn by librsvg at 72 DPI, within MAX_IMAGE_PIXELS. */
  async function drawSvg(request: ConvertRequest<'imagemagick'>, context: ConverterContext): Promise<string> {
    const raw = await readFile(request.inputPath);
    const svg = request.inputFormat === 'svgz' ? await promisify(gunzip)(raw, { maxOutputLength: MAX_SVG_BYTES }).catch(() => undefined) : raw;
    if (svg === undefined) throw appError('CONVERSION_FAILED', `The svgz file is not gzip-compressed SVG of at most ${MAX_SVG_BYTES / 2 ** 20} MB.`);
    const png = path.join(context.workDir, 'svg-drawn.png');
    try {
      const meta = await sharp(svg, { limitInputPixels: false }).metadata();
      checkPixels({ width: meta.width ?? 0, height: meta.height ?? 0 }, settings.maxPixels);
      await sharp(svg, { limitInputPixels: settings.maxPixels }).png().toFile(png);
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw unreadable(request.inputFormat);
    }
    return png;
  }

  return {
    async convert(request, context): Promise<readonly OutputFile[]> {
      await checkSignature(request);
      const link = await prepare(request.inputPath, context);
      const input = await decodable(request, link, context);
      context.signal.throwIfAborted();
      const name = `${request.outputName}.${request.outputFormat}`;
      const output = path.join(request.outputDir, name);
      if (request.outputFormat === 'jxl') {
        const png = path.join(context.workDir, 'jxl-source.png');
        await run(context, settings.convert, 'ImageMagick', buildMagickArgs(input, { format: 'png', path: png }, request.options));
        await run(context, settings.cjxl, 'cjxl', buildCjxlArgs(png, output, request.options.quality));
      } else {
        await run(context, settings.convert, 'ImageMagick', buildMagickArgs(input, { format: request.outputFormat, path: output }, request.options));
      }
      return [{ path: output, name }];
    },

    async info(request: InfoRequest<'imagemagick'>, context: ConverterContext): Promise<InfoResult> {
      await checkSignature(request);
      const link = await prepare(request.inputPath, context);
      const found = await header({ format: request.inputFormat, path: link }, context);
      return { info: { format: found.format.toLowerCase(), width: found.width, height: found.height, images: found.images, colorspace: found.colorspace, depth: found.depth, alpha: found.alpha } };
    },
    async runCommand(request, context) {
      // The same policy as conversions: only the catalog's coders, no delegates, no @file.
      const policyDir = path.join(context.workDir, 'imagemagick-policy');
      await mkdir(policyDir, { recursive: true });
      await writeFile(path.join(policyDir, 'policy.xml'), magickPolicy());
      const binary = request.command === 'identify' ? settings.identify : settings.convert;
      try {
        const result = await context.tools.run(binary, request.args, { signal: context.signal, env: { MAGICK_CONFIGURE_PATH: policyDir }, maxStdout: 64 * 1024 });
        return { stdout: result.stdout, stderr: result.stderrTail };
      } catch (error) {
        if (context.signal.aborted || !(error instanceof ToolError)) throw error;
        throw appError('CONVERSION_FAILED', `${request.command} failed: ${toolMessage(error.stderrTail) ?? `exit code ${error.exitCode ?? error.signal ?? '?'}`}`);
      }
    },
  };
}
