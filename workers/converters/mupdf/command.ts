// Pure builders for the PDF engine: mutool argument lists, page_range parsing and output names.

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
export class PageRangeError extends Error {
  override name = 'PageRangeError';
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
