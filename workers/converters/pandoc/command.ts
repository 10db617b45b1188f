// Pure builders for the markup engine: how a pair is made (which runs), pandoc's arguments for
// each run from the typed options, and WeasyPrint's. No value of the client's ever becomes an
// option of its own: formats map to fixed reader/writer names, options to fixed flags.
import type { EngineOptions, Format } from '../../../src/core/catalog/index.js';

type PandocOptions = EngineOptions['pandoc'];

/** pandoc's reader for each input format. */
export const PANDOC_READERS: Readonly<Partial<Record<Format, string>>> = {
  md: 'markdown',
  rst: 'rst',
  org: 'org',
  textile: 'textile',
  mediawiki: 'mediawiki',
  docbook: 'docbook',
  tex: 'latex',
  ipynb: 'ipynb',
  html: 'html',
  docx: 'docx',
  odt: 'odt',
  epub: 'epub',
};

/** pandoc's writer for each output format (pdf: HTML, laid out by WeasyPrint). */
export const PANDOC_WRITERS: Readonly<Partial<Record<Format, string>>> = {
  md: 'markdown',
  rst: 'rst',
  org: 'org',
  textile: 'textile',
  mediawiki: 'mediawiki',
  docbook: 'docbook5',
  asciidoc: 'asciidoc',
  tex: 'latex',
  ipynb: 'ipynb',
  html: 'html5',
  txt: 'plain',
  rtf: 'rtf',
  docx: 'docx',
  odt: 'odt',
  epub: 'epub3',
  pdf: 'html5',
};

/**
 * How an output is made:
 * - `text`: one run of pandoc --sandbox writes it (the sandbox keeps readers and writers from
 *   reading any file but the input: include directives and image paths go nowhere);
 * - `package`: docx, odt and epub writers read pandoc's data files, which pandoc 2.17's sandbox
 *   cannot (jgm/pandoc#8128): a sandboxed run reads the input into pandoc's JSON (images
 *   extracted), ast-safety.ts keeps only images from that extraction, and a second run writes;
 * - `pdf`: a sandboxed run writes a complete HTML page, WeasyPrint lays it out loading nothing.
 */
export type PandocRoute = 'text' | 'package' | 'pdf';

const PACKAGES: readonly Format[] = ['docx', 'odt', 'epub'];

export function routeOf(outputFormat: Format): PandocRoute {
  if (outputFormat === 'pdf') return 'pdf';
  return PACKAGES.includes(outputFormat) ? 'package' : 'text';
}

function readerOf(format: Format): string {
  const reader = PANDOC_READERS[format];
  if (reader === undefined) throw new Error(`pandoc reads no ${format}`);
  return reader;
}

function writerOf(format: Format): string {
  const writer = PANDOC_WRITERS[format];
  if (writer === undefined) throw new Error(`pandoc writes no ${format}`);
  return writer;
}

function absolute(...paths: readonly string[]): void {
  if (paths.some((p) => !p.startsWith('/'))) throw new Error('pandoc paths must be absolute');
}

/**
 * Outputs whose writers have no header to add (no title block) and are written without
 * --standalone: with it, readers take a lone top-level heading as the title (reStructuredText),
 * which these writers would then drop.
 */
export const BODY_ONLY: readonly Format[] = ['textile', 'mediawiki', 'ipynb', 'txt'];

/** The flags of the options that apply to the writer (the catalog shows each pair its subset). */
function optionFlags(outputFormat: Format, options: PandocOptions): string[] {
  const flags: string[] = [];
  const standaloneAlways = outputFormat === 'pdf' || PACKAGES.includes(outputFormat) || outputFormat === 'rtf';
  if (!BODY_ONLY.includes(outputFormat) && (standaloneAlways || options.standalone !== false)) flags.push('--standalone');
  if (options.toc === true) flags.push('--toc');
  if (options.number_sections === true) flags.push('--number-sections');
  const style = options.highlight_style ?? 'pygments';
  if (style === 'none') flags.push('--no-highlight');
  else flags.push('--highlight-style', style);
  flags.push('--wrap', options.wrap ?? 'auto');
  return flags;
}

/** Lightweight markup outputs, whose divs unwrap-divs.lua turns into their content. */
export const UNWRAPPED_OUTPUTS: readonly Format[] = ['md', 'rst', 'org', 'textile', 'mediawiki', 'asciidoc', 'txt'];

/**
 * The sandboxed run that writes a text output (route `text`), or the HTML page of a pdf.
 * `unwrapFilter` is the path of unwrap-divs.lua (ours), applied to UNWRAPPED_OUTPUTS.
 */
export function buildTextArgs(input: string, output: string, inputFormat: Format, outputFormat: Format, options: PandocOptions, unwrapFilter: string): string[] {
  absolute(input, output, unwrapFilter);
  const filter = UNWRAPPED_OUTPUTS.includes(outputFormat) ? ['--lua-filter', unwrapFilter] : [];
  return ['--sandbox', '--quiet', '--from', readerOf(inputFormat), '--to', writerOf(outputFormat), ...optionFlags(outputFormat, options), ...filter, '--output', output, input];
}

/** The sandboxed run that reads the input into pandoc's JSON, its images extracted into `mediaDir` (route `package`). */
export function buildReadArgs(input: string, json: string, mediaDir: string, inputFormat: Format): string[] {
  absolute(input, json, mediaDir);
  return ['--sandbox', '--quiet', '--from', readerOf(inputFormat), '--to', 'json', '--extract-media', mediaDir, '--output', json, input];
}

/**
 * The run that writes a package from the checked JSON (route `package`). Not sandboxed by pandoc
 * (its sandbox cannot read the writers' data files), so it reads only what ast-safety.ts left:
 * images under `mediaDir`; the resource path is that folder too.
 */
export function buildWriteArgs(json: string, output: string, mediaDir: string, outputFormat: Format, options: PandocOptions): string[] {
  absolute(json, output, mediaDir);
  return ['--quiet', '--from', 'json', '--to', writerOf(outputFormat), '--resource-path', mediaDir, ...optionFlags(outputFormat, options), '--output', output, json];
}

/** The WeasyPrint script's arguments: HTML in, PDF out, page size, most pages. */
export function buildPdfArgs(script: string, html: string, pdf: string, options: PandocOptions, maxPages: number): string[] {
  absolute(script, html, pdf);
  return [script, html, pdf, options.page_size ?? 'A4', String(maxPages)];
}

/** The exit code of pdf-layout.py for a document longer than the page limit. */
export const TOO_MANY_PAGES_EXIT = 3;
