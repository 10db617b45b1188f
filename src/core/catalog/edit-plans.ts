// Plans internal to API v2 that change a file in place of converting it: watermark (sharp for
// images, pdf-lib for PDFs), metadata/write and the richer metadata read (exiftool). No v1 mode
// names them; src/core/v2/operations builds them after checking every field, so a worker runs
// only validated options.
import type { Format, Group } from './formats.js';

export const WATERMARK_ENGINE_ID = 'watermark';
export const EXIFTOOL_ENGINE_ID = 'exiftool';

/** Inputs a watermark is drawn on (the output keeps the format). */
export const WATERMARK_IMAGE_INPUTS = ['png', 'jpg', 'webp', 'tiff', 'gif', 'avif'] as const satisfies readonly Format[];
export const WATERMARK_INPUTS = [...WATERMARK_IMAGE_INPUTS, 'pdf'] as const satisfies readonly Format[];
/** What a watermark image (the `image` task's file) may be. */
export const WATERMARK_IMAGE_FORMATS = ['png', 'jpg', 'webp', 'gif', 'tiff', 'avif', 'svg'] as const satisfies readonly Format[];

export const WATERMARK_LAYERS = ['above', 'below'] as const;
export const VERTICAL_POSITIONS = ['top', 'center', 'bottom'] as const;
export const HORIZONTAL_POSITIONS = ['left', 'center', 'right'] as const;
export const FONT_ALIGNS = ['left', 'center', 'right'] as const;

/** PDF standard fonts (pdf-lib draws them without embedding a font file). */
export type PdfFont = 'Helvetica' | 'Times-Roman' | 'Courier';

/**
 * `font_name` values: CloudConvert's common names mapped to the metric-compatible fonts installed
 * here (images: by fontconfig family), and to the PDF standard font of the same metrics.
 */
export const WATERMARK_FONTS = {
  Arial: { family: 'Liberation Sans', pdf: 'Helvetica' },
  Helvetica: { family: 'Liberation Sans', pdf: 'Helvetica' },
  'Arial Narrow': { family: 'Liberation Sans Narrow', pdf: 'Helvetica' },
  'Times New Roman': { family: 'Liberation Serif', pdf: 'Times-Roman' },
  Times: { family: 'Liberation Serif', pdf: 'Times-Roman' },
  'Courier New': { family: 'Liberation Mono', pdf: 'Courier' },
  Courier: { family: 'Liberation Mono', pdf: 'Courier' },
  Calibri: { family: 'Carlito', pdf: 'Helvetica' },
  Cambria: { family: 'Caladea', pdf: 'Times-Roman' },
  'Liberation Sans': { family: 'Liberation Sans', pdf: 'Helvetica' },
  'Liberation Sans Narrow': { family: 'Liberation Sans Narrow', pdf: 'Helvetica' },
  'Liberation Serif': { family: 'Liberation Serif', pdf: 'Times-Roman' },
  'Liberation Mono': { family: 'Liberation Mono', pdf: 'Courier' },
  Carlito: { family: 'Carlito', pdf: 'Helvetica' },
  Caladea: { family: 'Caladea', pdf: 'Times-Roman' },
  'Noto Sans CJK': { family: 'Noto Sans CJK SC', pdf: 'Helvetica' },
  'Noto Serif CJK': { family: 'Noto Serif CJK SC', pdf: 'Times-Roman' },
} as const satisfies Readonly<Record<string, { family: string; pdf: PdfFont }>>;
export type WatermarkFontName = keyof typeof WATERMARK_FONTS;
export const WATERMARK_FONT_NAMES = Object.keys(WATERMARK_FONTS) as WatermarkFontName[];

/** A watermark's options, checked (v2 field names in camelCase; lengths in pixels or PDF points). */
export interface WatermarkOptions {
  /** PDF pages, e.g. "1,3-5"; null: every page. */
  readonly pages: string | null;
  readonly layer: (typeof WATERMARK_LAYERS)[number];
  readonly text: string | null;
  readonly fontSize: number;
  /** Text scaled to this share of the page width; null: fontSize decides. */
  readonly fontWidthPercent: number | null;
  /** `#rrggbb`. */
  readonly fontColor: string;
  readonly fontName: WatermarkFontName;
  readonly fontAlign: (typeof FONT_ALIGNS)[number];
  /** Whether the second input is the watermark image (the `image` field named a task). */
  readonly image: boolean;
  readonly imageWidth: number | null;
  readonly imageHeight: number | null;
  readonly imageWidthPercent: number | null;
  readonly positionVertical: (typeof VERTICAL_POSITIONS)[number];
  readonly positionHorizontal: (typeof HORIZONTAL_POSITIONS)[number];
  readonly marginVertical: number;
  readonly marginHorizontal: number;
  /** 1-100 (%). */
  readonly opacity: number;
  /** Degrees, counter-clockwise positive as in PDF; -360 to 360. */
  readonly rotation: number;
}

interface EditPlanBase {
  readonly inputFormat: Format;
  /** The same as inputFormat: these plans keep the format. */
  readonly outputFormat: Format;
  readonly group: Group;
}

/** v2 `watermark`: text or an image drawn on an image or on PDF pages. */
export interface WatermarkPlan extends EditPlanBase {
  readonly mode: 'watermark';
  readonly engine: typeof WATERMARK_ENGINE_ID;
  readonly options: WatermarkOptions;
}

/** v2 `metadata/write`: tags written into a copy by exiftool. */
export interface MetadataWritePlan extends EditPlanBase {
  readonly mode: 'metadata-write';
  readonly engine: typeof EXIFTOOL_ENGINE_ID;
  readonly options: { readonly tags: Readonly<Record<string, string>> };
}

/** v2 `metadata`: exiftool's tags merged over what mode=info reads (when an engine reads the format). */
export interface MetadataReadPlan extends EditPlanBase {
  readonly mode: 'metadata';
  readonly engine: typeof EXIFTOOL_ENGINE_ID;
  readonly options: Readonly<Record<string, never>>;
}

export type EditPlan = WatermarkPlan | MetadataWritePlan | MetadataReadPlan;

/** Formats exiftool writes tags into (a subset of what it can, limited to formats of this server). */
export const METADATA_WRITE_INPUTS = ['jpg', 'png', 'tiff', 'webp', 'gif', 'heif', 'avif', 'jp2', 'psd', 'dng', 'pdf', 'eps', 'mp4', 'mov', 'm4v', 'm4a', '3gp'] as const satisfies readonly Format[];
/** Formats whose tags exiftool reads for the metadata operation (beyond those of mode=info). */
export const METADATA_READ_INPUTS = [...METADATA_WRITE_INPUTS, 'bmp', 'ico', 'svg', 'mkv', 'webm', 'avi', 'mp3', 'flac', 'ogg', 'wav', 'docx', 'xlsx', 'pptx', 'odt', 'epub', 'ttf', 'otf', 'zip', 'rtf'] as const satisfies readonly Format[];

/** Pages of a `pages` field ("1,3-5", "2-"), 1-based, within `count`; undefined when malformed. */
export function selectPages(pages: string | null, count: number): number[] | undefined {
  if (pages === null || pages.trim() === '' || pages.trim().toLowerCase() === 'all') return Array.from({ length: count }, (_, i) => i + 1);
  const chosen = new Set<number>();
  for (const part of pages.split(',')) {
    const m = /^\s*(\d+)\s*(?:(-)\s*(\d*)\s*)?$/.exec(part);
    if (m === null) return undefined;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : m[3] === '' || m[3] === undefined ? count : Number(m[3]);
    if (from < 1 || to < from) return undefined;
    for (let p = from; p <= Math.min(to, count); p++) chosen.add(p);
  }
  return [...chosen].sort((a, b) => a - b);
}
