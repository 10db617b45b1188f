// The watermark image (the file of the task named in `image`) is decoded by sharp inside the
// worker, outside the tool sandbox: only raster formats whose first bytes say so are read. An SVG
// would let librsvg resolve references with the worker's rights, and a file named .png may be one.
import sharp, { type Metadata } from 'sharp';
import { signatureOf } from '../../../src/core/catalog/formats.js';
import { appError } from '../../../src/core/errors.js';
import { matchesSignature, readHead, startsLike } from '../../../src/core/file-signatures.js';

const RASTER = ['png', 'jpg', 'gif', 'tiff', 'webp', 'avif'] as const;

const firstLine = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';

async function isRaster(path: string): Promise<boolean> {
  const head = await readHead(path);
  return RASTER.some((format) => {
    if (format !== 'webp' && format !== 'avif') return startsLike(format, head);
    const signature = signatureOf(format);
    return signature !== undefined && matchesSignature(signature, head);
  });
}

/** The watermark image's metadata; refuses anything but a png, jpg, gif, tiff, webp or avif file. */
export async function watermarkImageMetadata(path: string, maxPixels: number): Promise<Metadata> {
  const refused = (why: string) => appError('CONVERSION_FAILED', `The watermark image (the file of the task named in "image") ${why}. Give a png, jpg, webp, gif, tiff or avif file.`);
  if (!(await isRaster(path))) throw refused('is not an image this server takes as a watermark: its first bytes are not those of a png, jpg, webp, gif, tiff or avif file (SVG is not taken)');
  return sharp(path, { limitInputPixels: maxPixels }).metadata().catch((error: unknown) => {
    throw refused(`is not an image this server can read: ${firstLine(error)}`);
  });
}
