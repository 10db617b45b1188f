// Pure builders for the ebook engine: ebook-convert's arguments and environment, its progress
// lines, and the message of a failed conversion.
import type { EngineOptions, Format } from '../../../src/core/catalog/index.js';

type CalibreOptions = EngineOptions['calibre'];

const MARGINS = [
  ['margin_top', 'top'],
  ['margin_bottom', 'bottom'],
  ['margin_left', 'left'],
  ['margin_right', 'right'],
] as const;

/** Page-oriented outputs have page margins of their own, which override calibre's common ones. */
const PAGE_MARGIN_PREFIX: Readonly<Partial<Record<Format, string>>> = { pdf: '--pdf-page-margin', docx: '--docx-page-margin' };

/**
 * What the input format needs so that calibre reads only the uploaded file: an html file's links
 * to other local pages are not followed (its images must sit beside it, which nothing does: the
 * file is alone in its folder), and a txt is plain text, because calibre's Markdown and Textile
 * readers load any relative image path from disk.
 */
const INPUT_ARGS: Readonly<Partial<Record<Format, readonly string[]>>> = {
  html: ['--max-levels=0'],
  txt: ['--formatting-type=plain'],
  // calibre's Markdown reader embeds images at relative paths, and "../" leaves the txtz's folder.
  txtz: ['--formatting-type=plain'],
  // The pages go in as they are: calibre's page processing starts a pool of Python processes
  // (10 s for 3 pages here, against 3 s in all without it).
  cbz: ['--no-process'],
};

/**
 * ebook-convert's arguments. Every option value is part of its own `--name=value` argument, so
 * a value such as "--authors=x" stays a value and never becomes an option.
 */
export function buildConvertArgs(input: string, output: string, inputFormat: Format, outputFormat: Format, options: CalibreOptions): string[] {
  const args = [input, output, ...(INPUT_ARGS[inputFormat] ?? [])];
  if (options.base_font_size !== null) args.push(`--base-font-size=${options.base_font_size}`);
  const pagePrefix = PAGE_MARGIN_PREFIX[outputFormat];
  for (const [name, side] of MARGINS) {
    const value = options[name];
    if (value === null) continue;
    args.push(`--margin-${side}=${value}`);
    if (pagePrefix !== undefined) args.push(`${pagePrefix}-${side}=${value}`);
  }
  if (options.title !== null) args.push(`--title=${options.title}`);
  if (options.authors !== null) args.push(`--authors=${options.authors}`);
  return args;
}

/** The folders of one run inside the job's folder, so nothing is shared with other runs. */
export interface CalibreDirs {
  readonly home: string;
  readonly config: string;
  readonly cache: string;
  readonly temp: string;
  /** Must exist with mode 0700 (Qt refuses another). */
  readonly runtime: string;
}

/**
 * ebook-convert's own variables (on top of the sandbox's PATH and LANG): config, cache and temp
 * in the job's folder, and Qt without a display. QtWebEngine (PDF output) runs the book's pages
 * with Chromium's sandbox wherever it can (`browserSandbox`); only where it cannot (root, or no
 * user namespaces) does it run without, still inside the tool sandbox, and calibre blocks every
 * request that is not for a file of the book.
 */
export function buildEnv(dirs: CalibreDirs, browserSandbox: boolean): Record<string, string> {
  return {
    HOME: dirs.home,
    TMPDIR: dirs.temp,
    CALIBRE_TEMP_DIR: dirs.temp,
    CALIBRE_CONFIG_DIRECTORY: dirs.config,
    CALIBRE_CACHE_DIRECTORY: dirs.cache,
    XDG_CONFIG_HOME: dirs.config,
    XDG_CACHE_HOME: dirs.cache,
    XDG_RUNTIME_DIR: dirs.runtime,
    QT_QPA_PLATFORM: 'offscreen',
    ...(browserSandbox ? {} : { QTWEBENGINE_CHROMIUM_FLAGS: '--no-sandbox' }),
  };
}

/** ebook-convert's progress lines ("34% Running transforms on e-book..."): the last one in a chunk. */
export function parseProgress(chunk: string): { percent: number; message: string } | undefined {
  let last: { percent: number; message: string } | undefined;
  for (const match of chunk.matchAll(/^(\d{1,3})% (.+)$/gm)) {
    const percent = Number(match[1]);
    if (percent <= 100) last = { percent, message: (match[2] ?? '').trim() };
  }
  return last;
}

/** The exception calibre ended with: the last "SomeError: message" line of its traceback. */
function lastException(stderr: string): { name: string; message: string } | undefined {
  const lines = stderr.split('\n').map((line) => line.trim()).reverse();
  for (const line of lines) {
    const match = /^([A-Za-z_][\w.]*(?:Error|Exception|Zipfile))(?::\s*(.*))?$/.exec(line);
    if (match !== null) return { name: match[1] ?? '', message: (match[2] ?? '').slice(0, 300) };
  }
  return undefined;
}

/** What a client reads when ebook-convert fails: what went wrong and what to check. */
export function describeFailure(stderr: string, inputFormat: Format, outputFormat: Format): string {
  const exception = lastException(stderr);
  if (exception !== undefined && /DRM/i.test(exception.name)) {
    return `calibre could not convert the ${inputFormat} file: it is protected by DRM. Only DRM-free books can be converted.`;
  }
  const detail = exception === undefined ? 'ebook-convert stopped with an error' : exception.message || exception.name.split('.').pop() || exception.name;
  return `calibre could not convert the ${inputFormat} file to ${outputFormat}: ${detail.replace(/\.$/, '')}. Check that the file is a valid, DRM-free ${inputFormat} file.`;
}

/** The image entries of a comic archive that become pages (what calibre's comic reader takes). */
export const COMIC_PAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'gif', 'webp'] as const;

/** The page extension of an entry name (lower case), or undefined for an entry that is not a page. */
export function comicPageExtension(entryName: string): string | undefined {
  const ext = /\.([A-Za-z]+)$/.exec(entryName)?.[1]?.toLowerCase();
  return ext !== undefined && (COMIC_PAGE_EXTENSIONS as readonly string[]).includes(ext) ? ext : undefined;
}

/** The page order: by entry name, digits compared as numbers (page2 before page10), as comic readers do. */
export function comicPageOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' }) || (a < b ? -1 : a > b ? 1 : 0);
}

/** The name of page `index` (0-based) of `count`: 0001.png..., wide enough that names sort as pages. */
export function comicPageName(index: number, count: number, ext: string): string {
  return `${String(index + 1).padStart(Math.max(4, String(count).length), '0')}.${ext === 'jpeg' ? 'jpg' : ext}`;
}

/** How the start of each comic archive must look before libarchive reads it (it guesses the format). */
const COMIC_SIGNATURES = {
  cbz: [Buffer.from('PK\x03\x04', 'latin1')],
  cbr: [Buffer.from('Rar!\x1a\x07', 'latin1')],
  cb7: [Buffer.from('377abcaf271c', 'hex')],
} as const;
export type ComicFormat = keyof typeof COMIC_SIGNATURES;

export function isComicFormat(format: Format): format is ComicFormat {
  return Object.hasOwn(COMIC_SIGNATURES, format);
}

export function hasComicSignature(format: ComicFormat, head: Buffer): boolean {
  return COMIC_SIGNATURES[format].some((s) => head.subarray(0, s.length).equals(s));
}

/**
 * bsdtar turning the comic archive into one pax tar stream on stdout (nothing written to disk),
 * under `setsid` so an encrypted archive fails at once instead of asking for a passphrase. Only
 * after the signature check: libarchive guesses the format, and some it accepts (mtree) name
 * files on the server's disk.
 */
export function comicReadArgs(archive: string, bsdtar: string): string[] {
  return ['-w', bsdtar, '-c', '-f', '-', '--format', 'pax', `@${archive}`];
}

/**
 * bsdtar packing the listed pages (names relative to `folder`, NUL-separated in `listFile`) as a
 * cbz (zip, stored: the pages are already compressed images) or cb7, without owners or
 * attributes of the server's files.
 */
export function comicPackArgs(format: 'cbz' | 'cb7', output: string, folder: string, listFile: string): string[] {
  const kind = format === 'cbz' ? ['--format', 'zip', '--options', 'zip:compression=store'] : ['--format', '7zip'];
  return ['-c', '-f', output, ...kind, '--uid', '0', '--gid', '0', '--uname', '', '--gname', '', '--no-xattrs', '--no-acls', '--no-fflags', '-C', folder, '--null', '-T', listFile];
}
