// Pure builders for the CAD engine: the text encoding a DXF's header declares, the importer's and
// Inkscape's arguments, and the margin and pixel size of the cropped drawing. Every path given
// here is absolute, so no file name is ever read as an option.
import type { EngineOptions, Format } from '../../../src/core/catalog/index.js';

type CadOptions = EngineOptions['cad'];
export type DxfEncoding = Exclude<NonNullable<CadOptions['encoding']>, 'auto'>;

/** $DWGCODEPAGE values the importer has a codec for. */
const CODE_PAGES: Readonly<Record<string, DxfEncoding>> = { ANSI_1250: 'cp1250', ANSI_1252: 'cp1252', ANSI_932: 'cp932', DOS932: 'cp932' };

/** A header variable's value: the group after `9\n$NAME`, e.g. `1\nAC1024`. */
function headerValue(head: string, name: string): string | undefined {
  const match = new RegExp(`^\\s*9\\r?\\n\\$${name}\\r?\\n\\s*\\d+\\r?\\n([^\\r\\n]*)`, 'm').exec(head);
  return match?.[1]?.trim();
}

/**
 * The encoding of a DXF's texts: forced by the option, else from its header. AutoCAD 2007
 * (AC1021) and later write UTF-8; older files use their $DWGCODEPAGE, latin_1 when unknown.
 */
export function dxfEncoding(head: string, option: CadOptions['encoding']): DxfEncoding {
  if (option !== null && option !== 'auto') return option;
  const version = headerValue(head, 'ACADVER');
  if (version === undefined || /^AC\d{4}$/.test(version) && Number(version.slice(2)) >= 1021) return 'utf_8';
  return CODE_PAGES[(headerValue(head, 'DWGCODEPAGE') ?? '').toUpperCase()] ?? 'latin_1';
}

/** python's arguments to run Inkscape's DXF importer: no user site or PYTHON* variables, manual scale from the origin. */
export function dxfImportArgs(importer: string, input: string, output: string, options: CadOptions, encoding: DxfEncoding): string[] {
  if (![importer, input, output].every((p) => p.startsWith('/'))) throw new Error('DXF import paths must be absolute');
  return ['-E', '-s', importer, '--scalemethod=manual', `--scale=${options.scale ?? 1}`, `--textscale=${options.text_scale ?? 1}`, `--encoding=${encoding}`, `--output=${output}`, input];
}

/** Inkscape's arguments: the drawing's own area (not the importer's A4 page), as SVG or PDF. */
export function cadInkscapeArgs(input: string, output: string, type: Extract<Format, 'svg' | 'pdf'>): string[] {
  if (!input.startsWith('/') || !output.startsWith('/')) throw new Error('Inkscape paths must be absolute');
  const args = [`--export-filename=${output}`, `--export-type=${type}`, '--export-area-drawing'];
  // SVG as Inkscape writes it: its inkscape:label attributes keep the DXF's layer names.
  if (type === 'pdf') args.push(`--export-margin=${MARGIN_MM}`);
  return [...args, input];
}

/** Space around the drawing, so strokes on its edge are not cut in half. */
export const MARGIN_MM = 2;
const PX_PER_MM = 96 / 25.4;

export interface SvgBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

const NUMBER = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?`;

/** The viewBox of an SVG's root element. */
export function svgViewBox(svg: string): SvgBox | undefined {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const values = new RegExp(String.raw`\bviewBox="\s*(${NUMBER})[\s,]+(${NUMBER})[\s,]+(${NUMBER})[\s,]+(${NUMBER})\s*"`).exec(root);
  if (values === null) return undefined;
  const [x, y, width, height] = values.slice(1).map(Number) as [number, number, number, number];
  return width > 0 && height > 0 ? { x, y, width, height } : undefined;
}

/** The SVG with MARGIN_MM more on each side (root viewBox, width and height in user units). */
export function padSvg(svg: string, box: SvgBox): string {
  const pad = MARGIN_MM * PX_PER_MM;
  const padded = { x: box.x - pad, y: box.y - pad, width: box.width + 2 * pad, height: box.height + 2 * pad };
  const round = (n: number): string => String(Math.round(n * 1000) / 1000);
  return svg.replace(/<svg\b[^>]*>/, (root) =>
    root
      .replace(/\sviewBox="[^"]*"/, ` viewBox="${round(padded.x)} ${round(padded.y)} ${round(padded.width)} ${round(padded.height)}"`)
      .replace(/\swidth="[^"]*"/, ` width="${round(padded.width)}"`)
      .replace(/\sheight="[^"]*"/, ` height="${round(padded.height)}"`),
  );
}

/** The pixel size of a png/jpg `width` pixels wide, the height in the drawing's proportions (at least 1). */
export function rasterSize(box: SvgBox, width: number): { readonly width: number; readonly height: number } {
  return { width, height: Math.max(1, Math.round((width * box.height) / box.width)) };
}
