// The image engine (sharp): svg, png, jpg, webp, gif, tiff, avif, heif to the raster formats,
// one file per page when a multi-page input goes to a single-page format, and mode=info.
import path from 'node:path';
import sharp, { type Sharp, type SharpOptions } from 'sharp';
import { appError, AppError } from '../../../src/core/errors.js';
import type { CompressRequest, Compressor, ConvertRequest, Converter, ConverterContext, InfoReader, InfoRequest, InfoResult, OutputFile } from '../types.js';
import { Gate } from '../../tools/gate.js';
import { pagesProblem, planImage, type ImagePlan } from './plan.js';

export interface ImageEngineSettings {
  /** Inputs with more pixels than this are refused (decompression bombs). */
  readonly maxPixels: number;
  /** Multi-page inputs (TIFF pages, GIF and WebP frames) with more pages are refused. */
  readonly maxPages: number;
  /** libuv's threads, which sharp shares with file operations (UV_THREADPOOL_SIZE). */
  readonly threads: number;
}

function failure(error: unknown, settings: ImageEngineSettings): AppError {
  if (error instanceof AppError) return error;
  const text = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  if (/pixel limit/i.test(text)) {
    return appError('CONVERSION_FAILED', `The image is larger than the limit of ${settings.maxPixels} pixels (MAX_IMAGE_PIXELS). Use a smaller image or a lower density.`);
  }
  return appError('CONVERSION_FAILED', `Could not convert the image: ${text}`);
}

function apply(image: Sharp, plan: ImagePlan): Sharp {
  let out = image;
  for (const step of plan.operations) {
    if (step.op === 'autoOrient') out = out.autoOrient();
    else if (step.op === 'rotate') out = out.rotate(step.degrees);
    else if (step.op === 'resize') out = out.resize({ width: step.width, height: step.height, fit: step.fit, withoutEnlargement: step.withoutEnlargement });
    else if (step.op === 'grayscale') out = out.grayscale();
    else if (step.op === 'flatten') out = out.flatten({ background: step.background });
    else out = out.keepMetadata();
  }
  const enc = plan.encoder;
  if (enc.format === 'png' || enc.format === 'gif') return out.toFormat(enc.format);
  return out.toFormat(enc.format, enc.quality === undefined ? {} : { quality: enc.quality });
}

export function createImageEngine(settings: ImageEngineSettings): Converter<'sharp'> & InfoReader<'sharp'> & Compressor<'sharp'> {
  sharp.cache(false); // a long-running worker should not hold decoded images between jobs
  const load = (input: string, extra: SharpOptions): Sharp => sharp(input, { limitInputPixels: settings.maxPixels, failOn: 'error', ...extra });
  // Each sharp call holds one of libuv's threads while it decodes and encodes. Left unbounded,
  // the light class's conversions take every thread and each file read or write of the worker
  // (uploads, job folders, results) waits a whole image encode for its turn: measured with the
  // default 4 threads and 8 images at once, a 1 MB readFile took 1.2 s instead of 18 ms.
  const gate = new Gate(settings.threads - 2);

  return {
    convert: (request, context) => gate.run(context.signal, () => convert(request, context)),
    info: (request, context) => gate.run(context.signal, () => info(request)),
    compress: (request, context) => gate.run(context.signal, () => compress(request)),
  };

  async function convert(request: ConvertRequest<'sharp'>, context: ConverterContext): Promise<readonly OutputFile[]> {
    const density = request.options.density ?? undefined;
    try {
      const meta = await load(request.inputPath, { density }).metadata();
      const plan = planImage(request.options, request.outputFormat, meta.pages ?? 1);
      // Refused before the first page is decoded, whatever the pages would become.
      const facts = { pages: meta.pages ?? 1, width: meta.width ?? 0, height: meta.pageHeight ?? meta.height ?? 0, sequential: meta.format === 'gif' || meta.format === 'webp' };
      const problem = pagesProblem(facts, plan.pages, settings);
      if (problem !== undefined) throw appError('CONVERSION_FAILED', problem);
      if (plan.pages !== 'each') {
        const name = `${request.outputName}.${plan.extension}`;
        const file = path.join(request.outputDir, name);
        await apply(load(request.inputPath, { density, animated: plan.pages === 'animated' }), plan).toFile(file);
        return [{ path: file, name }];
      }
      const pages = meta.pages ?? 1;
      const outputs: OutputFile[] = [];
      for (let page = 0; page < pages; page++) {
        context.signal.throwIfAborted();
        const name = `${request.outputName}-${page + 1}.${plan.extension}`;
        const file = path.join(request.outputDir, name);
        await apply(load(request.inputPath, { density, page }), plan).toFile(file);
        outputs.push({ path: file, name });
        context.progress(Math.round(((page + 1) / pages) * 100), `Converting page ${page + 1} of ${pages}`);
      }
      return outputs;
    } catch (error) {
      if (context.signal.aborted) throw error;
      throw failure(error, settings);
    }
  }

  async function info(request: InfoRequest<'sharp'>): Promise<InfoResult> {
    try {
      const meta = await load(request.inputPath, {}).metadata();
      const info = {
        format: meta.format,
        width: meta.width ?? null,
        height: meta.height ?? null,
        pages: meta.pages ?? 1,
        density: meta.density ?? null,
        alpha: meta.hasAlpha ?? false,
        orientation: meta.orientation ?? null,
        colorspace: meta.space ?? null,
        channels: meta.channels ?? null,
        depth: meta.depth ?? null,
        size: meta.size ?? null,
      };
      return { info };
    } catch (error) {
      throw failure(error, settings);
    }
  }

  /**
   * mode=compress: JPEG re-encoded with mozjpeg at `quality`; PNG quantised to a palette at
   * `quality` with maximum zlib effort. Orientation and colour profile are kept.
   */
  async function compress(request: CompressRequest<'sharp'>): Promise<OutputFile> {
    const quality = request.options.quality ?? 75;
    const name = `${request.outputName}.${request.inputFormat}`;
    const file = path.join(request.outputDir, name);
    try {
      const image = load(request.inputPath, {}).keepIccProfile().withExif({});
      const encoded = request.inputFormat === 'png' ? image.png({ palette: true, quality, compressionLevel: 9, effort: 10 }) : image.jpeg({ quality, mozjpeg: true });
      await encoded.toFile(file);
      return { path: file, name };
    } catch (error) {
      throw failure(error, settings);
    }
  }
}
