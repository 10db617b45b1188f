// Small test files made at test time.
import sharp from 'sharp';

export const SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"><rect width="120" height="80" fill="#f00"/><circle cx="60" cy="40" r="30" fill="#00f"/></svg>',
);

export const pngOf = (width: number, height: number, color = '#3366cc'): Promise<Buffer> =>
  sharp({ create: { width, height, channels: 4, background: color } }).png().toBuffer();

/** A multi-page TIFF with `pages` pages of 40x30 pixels. */
export async function multiPageTiff(pages: number): Promise<Buffer> {
  const frames = await Promise.all(Array.from({ length: pages }, (_, i) => sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 40 * i, g: 100, b: 200 } } }).raw().toBuffer()));
  return sharp(Buffer.concat(frames), { raw: { width: 40, height: 30 * pages, channels: 3, pageHeight: 30 } }).tiff().toBuffer();
}

/** An animated GIF with `frames` frames. */
export async function animatedGif(frames: number): Promise<Buffer> {
  const raw = await Promise.all(Array.from({ length: frames }, (_, i) => sharp({ create: { width: 32, height: 32, channels: 4, background: { r: 60 * i, g: 0, b: 0, alpha: 1 } } }).raw().toBuffer()));
  return sharp(Buffer.concat(raw), { raw: { width: 32, height: 32 * frames, channels: 4, pageHeight: 32 } }).gif().toBuffer();
}

/** Bytes that claim to be a PNG but are not one. */
export const CORRUPT_PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('this is not really a png')]);
