// Watermarks on raster images with sharp: the text (an SVG rendered by libvips with the
// installed fonts) or the watermark image becomes one layer, turned and faded, composited above
// the image or under it (`layer: below` shows through transparent parts only).
import { watermarkImageMetadata } from './watermark-image.js';
import sharp, { type Sharp } from 'sharp';
import { appError } from '../../../src/core/errors.js';
import type { Format } from '../../../src/core/catalog/formats.js';
import type { WatermarkOptions } from '../../../src/core/catalog/edit-plans.js';
import { imageBox, placeBox, textSvg, type Size } from './layout.js';

const TRANSPARENT = { r: 0, g: 0, b: 0, alpha: 0 };

const firstLine = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';

/**
 * The font size the text is rendered at: the one asked for, but never so large that the canvas
 * exceeds a few times the page (a 1000-character text at 2000 px would be billions of pixels);
 * a layer larger than the page is scaled down to fit it anyway.
 */
export function renderSize(options: Pick<WatermarkOptions, 'text' | 'fontSize'>, page: Size): number {
  const lines = (options.text ?? '').split(/\r?\n/);
  const longest = Math.max(...lines.map((l) => l.length), 1);
  const fitsWidth = (4 * page.width) / (longest * 1.2 + 1);
  const fitsHeight = (4 * page.height) / (lines.length * 1.3 + 1);
  return Math.max(1, Math.floor(Math.min(options.fontSize, fitsWidth, fitsHeight)));
}

/** The text as a PNG trimmed to its ink, scaled to font_width_percent of the page when asked. */
async function textLayer(options: WatermarkOptions, page: Size, maxPixels: number): Promise<Buffer> {
  const { svg } = textSvg(options, renderSize(options, page));
  const trimmed = await sharp(Buffer.from(svg), { limitInputPixels: maxPixels }).trim({ background: TRANSPARENT }).png().toBuffer().catch((error: unknown) => {
    throw appError('CONVERSION_FAILED', `Could not draw the text: ${firstLine(error)}`);
  });
  if (options.fontWidthPercent === null) return trimmed;
  return sharp(trimmed).resize({ width: Math.max(1, Math.round((page.width * options.fontWidthPercent) / 100)) }).png().toBuffer();
}

/** The watermark image at its drawn size; a file sharp cannot read is the client's mistake. */
async function imageLayer(options: WatermarkOptions, page: Size, imagePath: string, maxPixels: number): Promise<Buffer> {
  const meta = await watermarkImageMetadata(imagePath, maxPixels);
  const box = imageBox(page, { width: meta.width, height: meta.height }, options);
  return sharp(imagePath, { limitInputPixels: maxPixels }).resize({ width: box.width, height: box.height, fit: 'fill' }).png().toBuffer();
}

/** The layer turned (positive: counter-clockwise) and faded to `opacity`, no larger than the page. */
async function finish(layer: Buffer, options: WatermarkOptions, page: Size): Promise<{ data: Buffer; size: Size }> {
  let image: Sharp = sharp(layer).ensureAlpha();
  if (options.rotation % 360 !== 0) image = sharp(await image.rotate(-options.rotation, { background: TRANSPARENT }).png().toBuffer());
  if (options.opacity < 100) {
    const alpha = Math.round((255 * options.opacity) / 100);
    image = sharp(await image.composite([{ input: Buffer.from([0, 0, 0, alpha]), raw: { width: 1, height: 1, channels: 4 }, tile: true, blend: 'dest-in' }]).png().toBuffer());
  }
  const { data, info } = await image.resize({ width: page.width, height: page.height, fit: 'inside', withoutEnlargement: true }).png().toBuffer({ resolveWithObject: true });
  return { data, size: { width: info.width, height: info.height } };
}

const ENCODERS: Readonly<Partial<Record<Format, 'png' | 'jpeg' | 'webp' | 'tiff' | 'gif' | 'avif'>>> = { png: 'png', jpg: 'jpeg', webp: 'webp', tiff: 'tiff', gif: 'gif', avif: 'avif' };

export interface ImageWatermarkRequest {
  readonly inputPath: string;
  readonly inputFormat: Format;
  readonly options: WatermarkOptions;
  /** The watermark image, when options.image. */
  readonly imagePath: string | undefined;
  readonly outputPath: string;
  readonly maxPixels: number;
}

export async function watermarkImage(request: ImageWatermarkRequest): Promise<void> {
  const encoder = ENCODERS[request.inputFormat];
  if (encoder === undefined) throw appError('UNSUPPORTED_CONVERSION', `A watermark cannot be drawn on ${request.inputFormat} files.`);
  const meta = await sharp(request.inputPath, { limitInputPixels: request.maxPixels }).metadata().catch((error: unknown) => {
    throw appError('CONVERSION_FAILED', `Could not read the ${request.inputFormat} image: ${firstLine(error)}`);
  });
  const page = { width: meta.width, height: meta.height };
  const { options } = request;
  const raw = request.imagePath !== undefined ? await imageLayer(options, page, request.imagePath, request.maxPixels) : await textLayer(options, page, request.maxPixels);
  const layer = await finish(raw, options, page);
  const at = placeBox(page, layer.size, options);
  const left = Math.min(Math.max(at.left, 0), page.width - layer.size.width);
  const top = Math.min(Math.max(at.top, 0), page.height - layer.size.height);
  await sharp(request.inputPath, { limitInputPixels: request.maxPixels })
    .composite([{ input: layer.data, left, top, blend: options.layer === 'below' ? 'dest-over' : 'over' }])
    .toFormat(encoder)
    .toFile(request.outputPath)
    .catch((error: unknown) => {
      throw appError('CONVERSION_FAILED', `Could not draw the watermark: ${firstLine(error)}`);
    });
}
