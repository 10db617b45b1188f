// Pure builders for the imagemagick engine: ImageMagick's policy and arguments, the arguments of
// the JPEG XL and RAW helpers, and the parsers of what their header readers print.
import type { EngineOptions, Format } from '../../../src/core/catalog/index.js';
import { appError } from '../../../src/core/errors.js';

export type MagickOptions = EngineOptions['imagemagick'];

/** ImageMagick's coder of each format it reads or writes here: every file name gets one, so nothing picks a coder from a name or from content. */
export const MAGICK_CODERS: Readonly<Partial<Record<Format, string>>> = {
  bmp: 'BMP',
  ico: 'ICO',
  cur: 'CUR',
  psd: 'PSD',
  tga: 'TGA',
  pcx: 'PCX',
  ppm: 'PPM',
  pgm: 'PGM',
  pbm: 'PBM',
  pnm: 'PNM',
  xbm: 'XBM',
  xpm: 'XPM',
  exr: 'EXR',
  hdr: 'HDR',
  dds: 'DDS',
  jp2: 'JP2',
  j2k: 'J2K',
  heif: 'HEIC',
  sgi: 'SGI',
  ras: 'SUN',
  wbmp: 'WBMP',
  pam: 'PAM',
  pfm: 'PFM',
  xwd: 'XWD',
  fits: 'FITS',
  miff: 'MIFF',
  mng: 'MNG',
  jng: 'JNG',
  pict: 'PICT',
  viff: 'VIFF',
  png: 'PNG',
  jpg: 'JPEG',
  webp: 'WEBP',
  gif: 'GIF',
  tiff: 'TIFF',
  avif: 'AVIF',
};

export function coderOf(format: Format): string {
  const coder = MAGICK_CODERS[format];
  if (coder === undefined) throw new Error(`ImageMagick has no coder for ${format} here`);
  return coder;
}

/**
 * The policy every ImageMagick run reads (MAGICK_CONFIGURE_PATH, on top of the system's): every
 * coder refused but the ones above (no `text:`, `msl:`, `mvg:`, `url:`, `ephemeral:`, PostScript
 * or PDF, which would run Ghostscript), no external delegate program, no `@file` argument
 * expansion, one thread (light conversions run many at once) and bounded memory before the pixel
 * cache goes to the job's folder.
 */
export function magickPolicy(): string {
  const coders = [...new Set(Object.values(MAGICK_CODERS))].join(',');
  return [
    '<policymap>',
    '  <policy domain="delegate" rights="none" pattern="*"/>',
    '  <policy domain="coder" rights="none" pattern="*"/>',
    `  <policy domain="coder" rights="read|write" pattern="{${coders}}"/>`,
    '  <policy domain="module" rights="none" pattern="{MSL,MVG,TEXT,TXT,URL,EPHEMERAL,PS,PDF,SVG}"/>',
    '  <policy domain="path" rights="none" pattern="@*"/>',
    '  <policy domain="filter" rights="none" pattern="*"/>',
    '  <policy domain="resource" name="thread" value="1"/>',
    '  <policy domain="resource" name="memory" value="256MiB"/>',
    '  <policy domain="resource" name="map" value="512MiB"/>',
    '</policymap>',
    '',
  ].join('\n');
}

const GEOMETRY_FLAG = { maximum: '', minimum: '^', exact: '!' } as const;

/** ImageMagick's geometry for `resize` (validated as 800x600, 800x or x600). */
export function resizeGeometry(resize: string, mode: MagickOptions['resizemode'], enlarge: boolean | null): string {
  const [w = '', h = ''] = resize.split('x');
  if (w === '0' || /^0+$/.test(w) || /^0+$/.test(h)) {
    throw appError('INVALID_OPTION', `converteroptions[resize] = ${resize} has a side of 0 pixels. Give sizes from 1 up, or leave one side empty to keep the aspect ratio (800x).`);
  }
  // Both sides are needed to stretch or cover; with one, the aspect ratio decides the other.
  const flag = w !== '' && h !== '' ? GEOMETRY_FLAG[mode ?? 'maximum'] : '';
  return `${w}x${h}${flag}${enlarge === true ? '' : '>'}`;
}

/** Inputs whose samples may be 32-bit (float or integer). */
const FLOAT_INPUTS = new Set<Format>(['pfm', 'fits', 'miff']);

/** Outputs whose quality setting ImageMagick passes to a lossy encoder. */
const LOSSY = new Set<Format>(['jpg', 'webp', 'avif', 'heif', 'jp2', 'j2k', 'jng']);

/**
 * convert's arguments: the first image of the input (read by its coder), the options in a fixed
 * order, written by the output's coder. Paths are absolute and prefixed with a coder, values are
 * validated numbers or geometries, so nothing the client sends becomes an option or a coder.
 */
export function buildMagickArgs(input: { readonly format: Format; readonly path: string }, output: { readonly format: Format; readonly path: string }, options: MagickOptions): string[] {
  if (!input.path.startsWith('/') || !output.path.startsWith('/')) throw new Error('ImageMagick paths must be absolute');
  const args = [`${coderOf(input.format)}:${input.path}[0]`, '-auto-orient'];
  if (options.rotate !== null && options.rotate % 360 !== 0) args.push('-background', 'white', '-rotate', String(options.rotate));
  if (options.resize !== null) args.push('-resize', resizeGeometry(options.resize, options.resizemode, options.resizeenlarge));
  // Windows icons hold at most 256x256 pixels.
  if (output.format === 'ico') args.push('-resize', '256x256>');
  if (options.grayscale === true) args.push('-colorspace', 'Gray');
  if (output.format === 'jpg') args.push('-background', 'white', '-alpha', 'remove', '-alpha', 'off');
  // ImageMagick 6 writes palette images as indexed PSDs that its own reader (and others) refuse.
  if (output.format === 'psd') args.push('-type', 'TrueColorAlpha');
  // ImageMagick 6 writes bilevel images as 1-bit VIFFs its own reader refuses.
  if (output.format === 'viff') args.push('-type', 'TrueColor');
  // Float inputs keep 32 bits a sample, more than OpenJPEG reads back.
  if (FLOAT_INPUTS.has(input.format) && (output.format === 'jp2' || output.format === 'j2k')) args.push('-depth', '16');
  // PFM has no comments: ImageMagick would write an input's comment into the header.
  if (output.format === 'pfm') args.push('+set', 'comment');
  if (options.strip_metatags === true) args.push('-strip');
  if (options.quality !== null && LOSSY.has(output.format)) args.push('-quality', String(options.quality));
  return [...args, `${coderOf(output.format)}:${output.path}`];
}

/** identify's arguments for the size of the input's first image, read from its header only. */
export function buildIdentifyArgs(input: { readonly format: Format; readonly path: string }): string[] {
  if (!input.path.startsWith('/')) throw new Error('ImageMagick paths must be absolute');
  return ['-ping', '-format', '%m|%w|%h|%[colorspace]|%z|%r\\n', `${coderOf(input.format)}:${input.path}`];
}

export interface MagickHeader {
  readonly format: string;
  readonly width: number;
  readonly height: number;
  readonly colorspace: string;
  readonly depth: number;
  /** Images in the file (icon sizes, layers, frames, pages). */
  readonly images: number;
  readonly alpha: boolean;
}

/** identify's lines (one per image) → the first image's header; undefined when it printed none. */
export function parseIdentify(stdout: string): MagickHeader | undefined {
  const lines = stdout.split('\n').filter((l) => l.includes('|'));
  const [format = '', width = '', height = '', colorspace = '', depth = '', type = ''] = lines[0]?.split('|') ?? [];
  if (!/^\d+$/.test(width) || !/^\d+$/.test(height)) return undefined;
  return { format, width: Number(width), height: Number(height), colorspace, depth: Number(depth) || 0, images: lines.length, alpha: /Alpha|Matte/i.test(type) };
}

/** jxlinfo's first line ("JPEG XL image, 64x48, lossy, 16-bit RGB") → the size. */
export function parseJxlInfo(stdout: string): { width: number; height: number } | undefined {
  const match = /JPEG XL (?:image|animation), (\d+)x(\d+)/.exec(stdout);
  return match === null ? undefined : { width: Number(match[1]), height: Number(match[2]) };
}

/** raw-identify -v's "Output size: W x H" (after rotation and binning); undefined when LibRaw cannot read the file. */
export function parseRawIdentify(stdout: string): { width: number; height: number } | undefined {
  const match = /^Output size:\s+(\d+)\s*x\s*(\d+)/m.exec(stdout);
  return match === null ? undefined : { width: Number(match[1]), height: Number(match[2]) };
}

/** dcraw_emu: the camera's white balance, 8-bit sRGB, written as a TIFF at `output`. */
export function buildDcrawArgs(input: string, output: string): string[] {
  if (!input.startsWith('/') || !output.startsWith('/')) throw new Error('dcraw_emu paths must be absolute');
  return ['-w', '-T', '-Z', output, input];
}

/** djxl: the JPEG XL decoded to a PNG. */
export function buildDjxlArgs(input: string, output: string): string[] {
  if (!input.startsWith('/') || !output.startsWith('/')) throw new Error('djxl paths must be absolute');
  return [input, output];
}

/** cjxl from a PNG: `quality` 1-100 (100 lossless), else cjxl's default (visually lossless). */
export function buildCjxlArgs(input: string, output: string, quality: number | null): string[] {
  if (!input.startsWith('/') || !output.startsWith('/')) throw new Error('cjxl paths must be absolute');
  return [input, output, ...(quality === null ? [] : ['-q', String(quality)])];
}

/** The last meaningful line of a tool's stderr, without ImageMagick's program prefix and source location. */
export function toolMessage(stderr: string): string | undefined {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/no images defined/.test(l));
  const line = lines[0];
  return line?.replace(/^[\w.-]+: /, '').replace(/ @ (error|warning)\/\S+$/, '').replace(/`\/[^']*'/g, '').replace(/\s+/g, ' ').trim().slice(0, 300);
}

/** An EPS's drawing size in points, from its %%HiResBoundingBox or %%BoundingBox comment. */
export function epsSize(header: string): { width: number; height: number } | undefined {
  const box = '(-?[\\d.]+)\\s+(-?[\\d.]+)\\s+(-?[\\d.]+)\\s+(-?[\\d.]+)';
  const match = new RegExp(`^%%HiResBoundingBox:\\s*${box}`, 'm').exec(header) ?? new RegExp(`^%%BoundingBox:\\s*${box}`, 'm').exec(header);
  if (match === null) return undefined;
  const [llx, lly, urx, ury] = match.slice(1, 5).map(Number) as [number, number, number, number];
  const width = urx - llx;
  const height = ury - lly;
  return Number.isFinite(width) && Number.isFinite(height) && width > 0 && height > 0 ? { width, height } : undefined;
}

/**
 * Ghostscript drawing the first page of an EPS into a PNG with transparency, cropped to its
 * bounding box. -dSAFER keeps the PostScript from touching files; the paths are absolute.
 */
export function buildEpsArgs(input: string, output: string, density: number): string[] {
  if (!input.startsWith('/') || !output.startsWith('/')) throw new Error('ghostscript paths must be absolute');
  return ['-dSAFER', '-dBATCH', '-dNOPAUSE', '-dQUIET', '-sDEVICE=pngalpha', '-dEPSCrop', `-r${density}`, '-dTextAlphaBits=4', '-dGraphicsAlphaBits=4', '-dFirstPage=1', '-dLastPage=1', `-sOutputFile=${output}`, input];
}
