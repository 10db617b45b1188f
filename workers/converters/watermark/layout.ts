// Pure geometry and markup of a watermark, shared by the image and the PDF drawer: where the
// watermark's box sits on a page, how big an image watermark is, and the SVG of a text one.
import { WATERMARK_FONTS, type WatermarkOptions } from '../../../src/core/catalog/edit-plans.js';

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** The top-left corner of a `box` on a `page` of the same units, origin top-left, y down. */
export function placeBox(page: Size, box: Size, options: Pick<WatermarkOptions, 'positionVertical' | 'positionHorizontal' | 'marginVertical' | 'marginHorizontal'>): { left: number; top: number } {
  const left = options.positionHorizontal === 'left' ? options.marginHorizontal : options.positionHorizontal === 'right' ? page.width - box.width - options.marginHorizontal : (page.width - box.width) / 2;
  const top = options.positionVertical === 'top' ? options.marginVertical : options.positionVertical === 'bottom' ? page.height - box.height - options.marginVertical : (page.height - box.height) / 2;
  return { left: Math.round(left), top: Math.round(top) };
}

/**
 * The size an image watermark is drawn at: image_width_percent of the page width, else
 * image_width / image_height (the other side keeps the aspect ratio), else its own size; never
 * wider or taller than the page.
 */
export function imageBox(page: Size, natural: Size, options: Pick<WatermarkOptions, 'imageWidth' | 'imageHeight' | 'imageWidthPercent'>): Size {
  const ratio = natural.height / Math.max(natural.width, 1);
  let width = natural.width;
  let height = natural.height;
  if (options.imageWidthPercent !== null) {
    width = (page.width * options.imageWidthPercent) / 100;
    height = width * ratio;
  } else if (options.imageWidth !== null || options.imageHeight !== null) {
    width = options.imageWidth ?? (options.imageHeight ?? 0) / ratio;
    height = options.imageHeight ?? width * ratio;
  }
  const fit = Math.min(1, page.width / Math.max(width, 1), page.height / Math.max(height, 1));
  return { width: Math.max(1, Math.round(width * fit)), height: Math.max(1, Math.round(height * fit)) };
}

const escapeXml = (text: string): string => text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

/** The text's lines (a `\n` in `text` starts a new one). */
export const linesOf = (text: string): string[] => text.split(/\r?\n/);

/**
 * An SVG of the text at `fontSize` px in the option's font and colour, on a transparent canvas
 * generous enough for any glyph (the caller trims it to the ink). Opacity is applied by the
 * caller, the same way for text and images.
 */
export function textSvg(options: Pick<WatermarkOptions, 'text' | 'fontName' | 'fontColor' | 'fontAlign'>, fontSize: number): { svg: string; size: Size } {
  const lines = linesOf(options.text ?? '');
  const longest = Math.max(...lines.map((l) => l.length), 1);
  const size = { width: Math.ceil(longest * fontSize * 1.2 + fontSize), height: Math.ceil(lines.length * fontSize * 1.3 + fontSize) };
  const anchor = options.fontAlign === 'left' ? 'start' : options.fontAlign === 'right' ? 'end' : 'middle';
  const x = options.fontAlign === 'left' ? fontSize / 2 : options.fontAlign === 'right' ? size.width - fontSize / 2 : size.width / 2;
  const family = WATERMARK_FONTS[options.fontName].family;
  const tspans = lines.map((line, i) => `<tspan x="${x}" y="${Math.round(fontSize * (1 + i * 1.3))}">${escapeXml(line)}</tspan>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}"><text font-family="${escapeXml(family)}" font-size="${fontSize}" fill="${options.fontColor}" text-anchor="${anchor}" xml:space="preserve">${tspans}</text></svg>`;
  return { svg, size };
}

/** `#rrggbb` as 0-1 RGB components (pdf-lib's rgb()). */
export function rgbOf(color: string): { r: number; g: number; b: number } {
  const n = Number.parseInt(color.slice(1), 16);
  return { r: ((n >> 16) & 255) / 255, g: ((n >> 8) & 255) / 255, b: (n & 255) / 255 };
}

/**
 * Where pdf-lib must start drawing a box of `box` size whose unrotated bottom-left would be at
 * (x, y), so that, turned by `degrees` about its origin, the box stays centred where it was.
 */
export function rotatedOrigin(x: number, y: number, box: Size, degrees: number): { x: number; y: number } {
  const rad = (degrees * Math.PI) / 180;
  const cx = x + box.width / 2;
  const cy = y + box.height / 2;
  const dx = -box.width / 2;
  const dy = -box.height / 2;
  return { x: cx + dx * Math.cos(rad) - dy * Math.sin(rad), y: cy + dx * Math.sin(rad) + dy * Math.cos(rad) };
}
