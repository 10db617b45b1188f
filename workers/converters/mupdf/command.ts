// Pure builders for the PDF engine: mutool argument lists, page_range parsing, output names and
// the density of each rendered page under the pixel limit.
import { AppError } from '../../../src/core/errors.js';
import { PDF_IMAGE_OPTIONS } from '../../../src/core/catalog/engines/pdf.js';

const passwordArgs = (password: string | null | undefined): string[] => (password === null || password === undefined ? [] : ['-p', password]);

/** `mutool show` of the page count (prints one number). */
export function buildPageCountArgs(input: string, password?: string | null): string[] {
  return ['show', ...passwordArgs(password), input, 'trailer/Root/Pages/Count'];
}

/** Renders pages to PNG files named by `pattern`, where mutool puts the page number for %d. */
export function buildRenderArgs(input: string, pattern: string, density: number, pages: readonly number[], password?: string | null): string[] {
  return ['draw', '-q', ...passwordArgs(password), '-r', String(density), '-F', 'png', '-o', pattern, input, pages.join(',')];
}

/** Text of the pages: plain, or HTML with every text line positioned as on the page. */
export function buildTextArgs(input: string, output: string, pages: readonly number[], password?: string | null, format: 'txt' | 'html' = 'txt'): string[] {
  return ['draw', '-q', ...passwordArgs(password), '-F', format, '-o', output, input, pages.join(',')];
}

/** Each page as an SVG file (text as glyph paths, images embedded), named by `pattern` like buildRenderArgs. */
export function buildSvgArgs(input: string, pattern: string, pages: readonly number[], password?: string | null): string[] {
  return ['draw', '-q', ...passwordArgs(password), '-F', 'svg', '-o', pattern, input, pages.join(',')];
}

/**
 * `mutool clean`: keeps the given pages, drops unused objects, opens with `password` (the output
 * is then decrypted) and, with `encryptPassword`, encrypts with AES-256 (as user and owner
 * password).
 */
export function buildCleanArgs(input: string, output: string, pages: readonly number[], password: string | null, encryptPassword: string | null): string[] {
  // Opened with a password, the output is saved decrypted (-D) unless it is encrypted anew.
  const encrypt = encryptPassword !== null ? ['-E', 'aes-256', '-U', encryptPassword, '-O', encryptPassword] : password !== null ? ['-D'] : [];
  return ['clean', '-gg', ...passwordArgs(password), ...encrypt, input, output, pages.join(',')];
}

/** `mutool run` of rotate-pages.mujs: every page turned clockwise by `degrees`. */
export function buildRotateArgs(script: string, input: string, output: string, degrees: string): string[] {
  return ['run', script, input, output, degrees];
}

/** `mutool convert` of images into one PDF, a page per image (per page of a TIFF). */
export function buildImagesToPdfArgs(output: string, images: readonly string[]): string[] {
  return ['convert', '-o', output, ...images];
}

/** `mutool merge` of whole PDFs into one, pages in the order given. Paths are absolute, so none starts with "-". */
export function buildMergeArgs(output: string, inputs: readonly string[]): string[] {
  return ['merge', '-o', output, ...inputs];
}

/** Thrown for a page_range outside the document; the message names the page count. */
/** A page_range outside the document: bad input (INVALID_OPTION), never retried. */
export class PageRangeError extends AppError {
  constructor(message: string) {
    super('INVALID_OPTION', message);
    this.name = 'PageRangeError';
  }
}

/**
 * The 1-based pages a page_range selects, in order and without repeats; every page when null.
 * mutool clamps pages past the end to the last page, so they are refused here instead.
 */
export function selectPages(range: string | null, count: number): number[] {
  if (range === null) return Array.from({ length: count }, (_, i) => i + 1);
  const pages: number[] = [];
  for (const part of range.split(',')) {
    const [from, to = from] = part.split('-').map(Number) as [number, number?];
    if (from < 1 || to < from) throw new PageRangeError(`page_range part "${part}" is not a range of pages from 1 up.`);
    if (to > count) throw new PageRangeError(`page_range asks for page ${to}, but the PDF has ${count} page${count === 1 ? '' : 's'}.`);
    for (let page = from; page <= to; page++) if (!pages.includes(page)) pages.push(page);
  }
  return pages;
}

/** `<name>.<ext>` for one page, else `<name>-<page>.<ext>` (the page's number in the PDF). */
export function pageFileName(outputName: string, extension: string, page: number, pageCount: number): string {
  return pageCount === 1 ? `${outputName}.${extension}` : `${outputName}-${page}.${extension}`;
}

/** `mutool run` of page-bounds.mujs: the bounds of each selected page, one line per page. */
export function buildPageBoundsArgs(script: string, input: string, pages: readonly number[], password?: string | null): string[] {
  return ['run', script, input, pages.join(','), ...(password === null || password === undefined ? [] : [password])];
}

/** A page's box in points as `mutool draw` renders it (rotation and UserUnit applied). */
export interface PageBounds {
  readonly page: number;
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** page-bounds.mujs's output; throws when a line is not "<page> x0 y0 x1 y1". */
export function parsePageBounds(stdout: string): PageBounds[] {
  return stdout.split('\n').filter((line) => line.trim() !== '').map((line) => {
    const [page, x0, y0, x1, y1] = line.trim().split(/\s+/).map(Number);
    if (page === undefined || x0 === undefined || y0 === undefined || x1 === undefined || y1 === undefined || ![page, x0, y0, x1, y1].every(Number.isFinite)) {
      throw new Error(`mutool printed no page bounds: "${line.slice(0, 100)}"`);
    }
    return { page, x0, y0, x1, y1 };
  });
}

/** Width and height in pixels of a page drawn at `density` dpi (rounded outwards, as mutool does, or larger). */
export function pagePixels(b: PageBounds, density: number): { width: number; height: number } {
  // Multiplied before dividing: 14400 × 150 / 72 is exactly 30000, 14400 × (150 / 72) is not.
  const at = (points: number): number => (points * density) / 72;
  return { width: Math.ceil(at(b.x1)) - Math.floor(at(b.x0)), height: Math.ceil(at(b.y1)) - Math.floor(at(b.y0)) };
}

const fits = (b: PageBounds, density: number, maxPixels: number): boolean => {
  const { width, height } = pagePixels(b, density);
  return width * height <= maxPixels;
};

/**
 * The largest whole density up to `upTo` at which the page fits in `maxPixels` (0: none). No
 * density above 72·√(max / area) fits (rounding only adds pixels), so the search starts there
 * and steps down over the few densities rounding pushes over.
 */
export function largestDensity(b: PageBounds, maxPixels: number, upTo: number): number {
  const area = (b.x1 - b.x0) * (b.y1 - b.y0);
  let density = area <= 0 ? upTo : Math.min(upTo, Math.floor(72 * Math.sqrt(maxPixels / area)));
  while (density > 0 && !fits(b, density, maxPixels)) density--;
  return density;
}

/** A page too large to render within the pixel limit. */
/** A page over MAX_IMAGE_PIXELS: INVALID_OPTION when a smaller density would do, else CONVERSION_FAILED. */
export class PixelLimitError extends AppError {
  /** True when a smaller converteroptions[density] would do (the client's choice was the problem). */
  constructor(message: string, readonly optionProblem: boolean) {
    super(optionProblem ? 'INVALID_OPTION' : 'CONVERSION_FAILED', message);
    this.name = 'PixelLimitError';
  }
}

/** One `mutool draw` run: these pages at this density. */
export interface RenderGroup {
  readonly density: number;
  readonly pages: readonly number[];
}

/**
 * The density of each page so that none exceeds `maxPixels`: the client's density, which must
 * fit every page (else PixelLimitError names the largest that does), or the default, lowered
 * for each page that needs it. Pages at one density are grouped into one mutool run.
 */
export function planRender(bounds: readonly PageBounds[], density: number | null, defaultDensity: number, maxPixels: number): RenderGroup[] {
  const wanted = density ?? defaultDensity;
  const chosen = new Map<number, number[]>();
  let tightest: { b: PageBounds; largest: number } | undefined;
  for (const b of bounds) {
    const largest = fits(b, wanted, maxPixels) ? wanted : largestDensity(b, maxPixels, wanted);
    if (largest < wanted && (tightest === undefined || largest < tightest.largest)) tightest = { b, largest };
    chosen.set(largest, [...(chosen.get(largest) ?? []), b.page]);
  }
  if (tightest !== undefined && (density !== null || tightest.largest < 1)) {
    const { width, height } = pagePixels(tightest.b, wanted);
    const page = `Page ${tightest.b.page} would be ${width}x${height} pixels at ${wanted} dpi, more than the limit of ${maxPixels} (MAX_IMAGE_PIXELS)`;
    if (tightest.largest < 1) throw new PixelLimitError(`${page}, at any density.`, false);
    const smaller = tightest.largest >= PDF_IMAGE_OPTIONS.density.min ? `Give converteroptions[density] = ${tightest.largest} or less, or leave it out` : 'Leave converteroptions[density] out';
    throw new PixelLimitError(`${page}. ${smaller} to let the server lower the density of such pages.`, true);
  }
  return [...chosen].map(([d, pages]) => ({ density: d, pages }));
}

/** What is wrong with an image's pages for mutool to decode (each page on its own), or undefined. */
export function imagePagesProblem(pages: ReadonlyArray<{ readonly width: number; readonly height: number }>, maxPixels: number, maxPages: number): string | undefined {
  if (pages.length > maxPages) return `The image has ${pages.length} pages or frames; this server makes PDFs of at most ${maxPages} pages (PDF_MAX_PAGES).`;
  const index = pages.findIndex((p) => p.width * p.height > maxPixels);
  const page = pages[index];
  if (page === undefined) return undefined;
  const which = pages.length === 1 ? 'The image' : `Page ${index + 1} of the image`;
  return `${which} is ${page.width}x${page.height} pixels, more than the limit of ${maxPixels} (MAX_IMAGE_PIXELS). Use a smaller image.`;
}

/** `mutool run` of page-count.mujs: prints the page count of any document mutool reads (XPS, OpenXPS...). */
export function buildPageCountScriptArgs(script: string, input: string): string[] {
  return ['run', script, input];
}

/** `ddjvu` of every page of a DjVu document into one multi-page TIFF, at the pages' own resolution. */
export function buildDdjvuArgs(input: string, output: string): string[] {
  return ['-format=tiff', input, output];
}

/**
 * The pages of a DjVu document, in order, from `djvudump`'s listing: one INFO chunk per page
 * ("INFO [10]   DjVu 2550x3300, v24, 300 dpi, ..."). An indirect document (pages in other files)
 * lists none.
 */
export function parseDjvuDump(stdout: string): Array<{ width: number; height: number }> {
  return [...stdout.matchAll(/^\s*INFO \[\d+\]\s+DjVu (\d+)x(\d+)/gm)].map((m) => ({ width: Number(m[1]), height: Number(m[2]) }));
}
