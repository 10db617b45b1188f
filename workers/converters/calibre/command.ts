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
