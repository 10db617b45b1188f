// Pure builders for the vector engine: which tools a pair needs (its route), their argument
// lists, and the pixel size of a raster output. Every path given here is absolute, so no file
// name is ever read as an option.
import type { EngineOptions, Format } from '../../../src/core/catalog/index.js';

export type GhostscriptDevice = 'pdfwrite' | 'ps2write' | 'eps2write' | 'pngalpha';

/** What a pair takes, in tool runs. */
export type VectorRoute =
  /** One Inkscape export. */
  | { readonly kind: 'inkscape' }
  /** One Ghostscript run. */
  | { readonly kind: 'ghostscript'; readonly device: GhostscriptDevice }
  /** Ghostscript makes a one-page PDF, Inkscape exports it. */
  | { readonly kind: 'ghostscript-inkscape' }
  /** Inkscape makes a PDF to measure the page, then exports a PNG of an exact size. */
  | { readonly kind: 'inkscape-raster' }
  /** The EPS bounding box gives the size, Ghostscript renders a PNG of exactly that size. */
  | { readonly kind: 'ghostscript-raster' };

const INKSCAPE_INPUTS: ReadonlySet<Format> = new Set(['svg', 'emf', 'wmf', 'pdf']);
const VECTOR_OUTPUTS: ReadonlySet<Format> = new Set(['svg', 'pdf', 'eps', 'ps', 'emf', 'wmf']);
const GHOSTSCRIPT_DEVICES: Readonly<Partial<Record<Format, GhostscriptDevice>>> = { pdf: 'pdfwrite', ps: 'ps2write', eps: 'eps2write' };

/** The route of a pair; undefined for a pair the catalog does not list. */
export function routeFor(input: Format, output: Format): VectorRoute | undefined {
  if (input === output) return undefined;
  if (output === 'png') {
    if (input === 'emf' || input === 'wmf') return { kind: 'inkscape-raster' };
    return input === 'eps' ? { kind: 'ghostscript-raster' } : undefined;
  }
  if (!VECTOR_OUTPUTS.has(output)) return undefined;
  const device = GHOSTSCRIPT_DEVICES[output];
  // PostScript family in and out: Ghostscript keeps every page and the fonts as they are.
  if ((input === 'pdf' || input === 'eps' || input === 'ps') && device !== undefined) return { kind: 'ghostscript', device };
  if (INKSCAPE_INPUTS.has(input)) return { kind: 'inkscape' };
  return input === 'eps' || input === 'ps' ? { kind: 'ghostscript-inkscape' } : undefined;
}

export interface PixelSize {
  readonly width: number;
  readonly height: number;
}

export interface InkscapeExport {
  readonly input: string;
  readonly output: string;
  readonly type: Format;
  readonly textToPath: boolean;
  /** The page of a PDF input (1-based); null for other inputs. */
  readonly page: number | null;
  /** PNG only: the exact output size. */
  readonly pixels?: PixelSize;
}

/** Inkscape's arguments: always the page area, plain SVG, exact pixels for PNG. */
export function inkscapeArgs(e: InkscapeExport): string[] {
  const args = [`--export-filename=${e.output}`, `--export-type=${e.type}`, '--export-area-page'];
  if (e.page !== null) args.push(`--pdf-page=${e.page}`);
  if (e.type === 'svg') args.push('--export-plain-svg');
  if (e.textToPath && e.type !== 'png') args.push('--export-text-to-path');
  if (e.pixels !== undefined) args.push(`--export-width=${e.pixels.width}`, `--export-height=${e.pixels.height}`);
  return [...args, e.input];
}

export interface GhostscriptRun {
  readonly input: string;
  readonly output: string;
  readonly device: GhostscriptDevice;
  /** EPS input: the page is the bounding box. */
  readonly epsCrop: boolean;
  readonly textToPath: boolean;
  /** Only this page (1-based); null for every page. */
  readonly page: number | null;
  /** pngalpha: the exact device size, the drawing scaled to fit it. */
  readonly pixels?: PixelSize;
  readonly density?: number;
}

/**
 * Ghostscript's arguments: -dSAFER (no file access beyond input and output), batch mode, and
 * the input after -f so it is always a file name. The output must not contain '%' (Ghostscript
 * reads it as a page number format); the engine writes to fixed names for that reason.
 */
export function ghostscriptArgs(r: GhostscriptRun): string[] {
  if (r.output.includes('%')) throw new Error(`Ghostscript output path must not contain '%': ${r.output}`);
  // -sstdout=%stderr: PostScript errors are printed to stdout otherwise, and the engine reads stderr.
  const args = ['-q', '-dSAFER', '-dBATCH', '-dNOPAUSE', '-sstdout=%stderr', `-sDEVICE=${r.device}`, `-sOutputFile=${r.output}`];
  if (r.epsCrop) args.push('-dEPSCrop');
  if (r.page !== null) args.push(`-sPageList=${r.page}`);
  if (r.textToPath && r.device !== 'pngalpha') args.push('-dNoOutputFonts');
  if (r.pixels !== undefined) {
    args.push(`-g${r.pixels.width}x${r.pixels.height}`, `-r${r.density ?? 96}`, '-dFIXEDMEDIA', '-dEPSFitPage', '-dPDFFitPage', '-dTextAlphaBits=4', '-dGraphicsAlphaBits=4');
  }
  return [...args, '-f', r.input];
}

/** Ghostscript's bbox device on one page: it prints a %%BoundingBox only if the page exists. */
export function ghostscriptPageProbeArgs(input: string, page: number): string[] {
  return ['-q', '-dSAFER', '-dBATCH', '-dNOPAUSE', '-sstdout=%stderr', '-sDEVICE=bbox', `-sPageList=${page}`, '-f', input];
}

/** Whether the bbox device's stderr shows the probed page. */
export const probeFoundPage = (stderr: string): boolean => /^%%BoundingBox:/m.test(stderr);

export interface PointSize {
  /** In PostScript points (1/72 inch). */
  readonly width: number;
  readonly height: number;
}

/**
 * The pixel size of a raster output for a page of `page` points: width and height as given
 * (one alone keeps the aspect ratio), else the page at `density` dots per inch.
 */
export function rasterSize(page: PointSize, options: Pick<EngineOptions['inkscape'], 'density' | 'width' | 'height'>): PixelSize {
  const atLeastOne = (n: number): number => Math.max(1, Math.round(n));
  const { width, height } = options;
  if (width !== null && height !== null) return { width, height };
  if (width !== null) return { width, height: atLeastOne((width * page.height) / page.width) };
  if (height !== null) return { width: atLeastOne((height * page.width) / page.height), height };
  const scale = (options.density ?? 96) / 72;
  return { width: atLeastOne(page.width * scale), height: atLeastOne(page.height * scale) };
}

const NUMBER = '(-?\\d+(?:\\.\\d+)?)';
const BOX = `${NUMBER}\\s+${NUMBER}\\s+${NUMBER}\\s+${NUMBER}`;

function boxSize(match: RegExpExecArray | null): PointSize | undefined {
  if (match === null) return undefined;
  const [x1, y1, x2, y2] = match.slice(1, 5).map(Number) as [number, number, number, number];
  const size = { width: x2 - x1, height: y2 - y1 };
  return size.width > 0 && size.height > 0 ? size : undefined;
}

/** The first page's MediaBox of a PDF written by Inkscape (cairo writes it as plain text). */
export function pdfMediaBox(text: string): PointSize | undefined {
  return boxSize(new RegExp(`/MediaBox\\s*\\[\\s*${BOX}\\s*\\]`).exec(text));
}

/** An EPS's size from its DSC header: %%HiResBoundingBox, else %%BoundingBox. */
export function epsBoundingBox(header: string): PointSize | undefined {
  return boxSize(new RegExp(`^%%HiResBoundingBox:\\s*${BOX}`, 'm').exec(header)) ?? boxSize(new RegExp(`^%%BoundingBox:\\s*${BOX}`, 'm').exec(header));
}

/** Inkscape's home, settings and caches inside the job's folder (it writes preferences on start). */
export function inkscapeEnvironment(home: string): Record<string, string> {
  return { HOME: home, XDG_CONFIG_HOME: `${home}/.config`, XDG_CACHE_HOME: `${home}/.cache`, XDG_DATA_HOME: `${home}/.local/share` };
}
