// The pixel size of every page of an image before mutool decodes it: sharp reads only the
// headers (each TIFF page may have its own size; a GIF's frames share the screen size).
import sharp from 'sharp';
import { appError } from '../../../src/core/errors.js';
import { imagePagesProblem } from './command.js';

interface Size {
  readonly width: number;
  readonly height: number;
}

export interface ImageLimits {
  readonly maxPixels: number;
  readonly maxPages: number;
}

/** Header reads only: no limit here, the sizes are compared by imagePagesProblem. */
const header = (file: string, page: { page: number } | { pages: -1 }) => sharp(file, { limitInputPixels: false, ...page }).metadata();

async function pageSizes(file: string, maxPages: number): Promise<Size[]> {
  const first = await header(file, { page: 0 });
  const count = first.pages ?? 1;
  const size = (m: { width?: number; height?: number }, height = m.height): Size => ({ width: m.width ?? 0, height: height ?? 0 });
  // Too many pages is refused without reading each one.
  if (count === 1 || count > maxPages) return Array.from({ length: count }, () => size(first));
  // Pages of one size load together; otherwise (libvips refuses that) each header is read.
  const all = await header(file, { pages: -1 }).catch(() => undefined);
  if (all?.pageHeight !== undefined) return Array.from({ length: count }, () => size(all, all.pageHeight));
  const sizes: Size[] = [];
  for (let page = 0; page < count; page++) sizes.push(size(await header(file, { page })));
  return sizes;
}

/** Refuses an image with a page over MAX_IMAGE_PIXELS or more pages than PDF_MAX_PAGES. */
export async function assertImageFits(file: string, format: string, limits: ImageLimits): Promise<void> {
  const sizes = await pageSizes(file, limits.maxPages).catch((error: unknown) => {
    throw appError('CONVERSION_FAILED', `Could not read the ${format} image: ${(error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''}`);
  });
  const problem = imagePagesProblem(sizes, limits.maxPixels, limits.maxPages);
  if (problem !== undefined) throw appError('CONVERSION_FAILED', problem);
}
