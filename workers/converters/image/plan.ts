// Pure: CloudConvert image options → a declarative sharp plan. Unit-tested without sharp;
// run.ts applies it.
import type { EngineOptions, Format } from '../../../src/core/catalog/index.js';
import { appError } from '../../../src/core/errors.js';
import { MULTI_PAGE_OUTPUTS } from '../../../src/core/catalog/engines/image.js';

export type ImageOptions = EngineOptions['sharp'];

export type ImageOperation =
  | { readonly op: 'autoOrient' }
  | { readonly op: 'rotate'; readonly degrees: number }
  | { readonly op: 'resize'; readonly width: number | undefined; readonly height: number | undefined; readonly fit: 'inside' | 'outside' | 'fill'; readonly withoutEnlargement: boolean }
  | { readonly op: 'grayscale' }
  | { readonly op: 'flatten'; readonly background: string }
  | { readonly op: 'keepMetadata' };

export type Encoder =
  | { readonly format: 'png' }
  | { readonly format: 'gif' }
  | { readonly format: 'jpeg' | 'webp' | 'avif' | 'tiff'; readonly quality: number | undefined };

export interface ImagePlan {
  /** Load every page/frame as one animated image (multi-page output) or one page per output. */
  readonly pages: 'animated' | 'each' | 'single';
  readonly density: number | undefined;
  readonly operations: readonly ImageOperation[];
  readonly encoder: Encoder;
  readonly extension: string;
}

const FIT = { maximum: 'inside', minimum: 'outside', exact: 'fill' } as const;

/** Parses `800x600`, `800x` or `x600`; validation already guaranteed the form. */
export function parseSize(value: string): { width: number | undefined; height: number | undefined } {
  const [w = '', h = ''] = value.split('x');
  return { width: w === '' ? undefined : Number(w), height: h === '' ? undefined : Number(h) };
}

function encoderFor(format: Format, quality: number | null): Encoder {
  const q = quality ?? undefined;
  switch (format) {
    case 'jpg':
      return { format: 'jpeg', quality: q };
    case 'webp':
    case 'avif':
    case 'tiff':
      return { format, quality: q };
    case 'gif':
      return { format: 'gif' };
    default:
      return { format: 'png' };
  }
}

export function planImage(options: ImageOptions, outputFormat: Format, pageCount: number): ImagePlan {
  const operations: ImageOperation[] = [];
  if (options.auto_orient !== false) operations.push({ op: 'autoOrient' });
  if (options.rotate !== null && options.rotate % 360 !== 0) operations.push({ op: 'rotate', degrees: options.rotate });
  if (options.resize !== null) {
    const { width, height } = parseSize(options.resize);
    if (width === 0 || height === 0) throw appError('INVALID_OPTION', `converteroptions[resize] = ${options.resize} has a side of 0 pixels. Give sizes from 1 up, or leave one side empty to keep the aspect ratio (800x).`);
    const fit = options.resizemode === null ? 'inside' : FIT[options.resizemode];
    operations.push({ op: 'resize', width, height, fit, withoutEnlargement: options.resizeenlarge !== true });
  }
  if (options.grayscale === true) operations.push({ op: 'grayscale' });
  if (outputFormat === 'jpg') operations.push({ op: 'flatten', background: '#ffffff' }); // jpg has no alpha
  if (options.strip_metatags !== true) operations.push({ op: 'keepMetadata' });
  const multiPageOutput = (MULTI_PAGE_OUTPUTS as readonly string[]).includes(outputFormat);
  return {
    pages: pageCount <= 1 ? 'single' : multiPageOutput ? 'animated' : 'each',
    density: options.density ?? undefined,
    operations,
    encoder: encoderFor(outputFormat, options.quality),
    extension: outputFormat,
  };
}

/** What sharp's header says about the input's pages (the first page's size). */
export interface PageFacts {
  readonly pages: number;
  readonly width: number;
  readonly height: number;
  /** GIF and WebP frames are decoded from the first one on, whichever one is asked for. */
  readonly sequential: boolean;
}

export interface PageLimits {
  /** IMAGE_MAX_PAGES */
  readonly maxPages: number;
  /** MAX_IMAGE_PIXELS */
  readonly maxPixels: number;
}

/**
 * Why a multi-page input is refused, or undefined. Every multi-page input has at most maxPages
 * pages (one output file each, or the frames of one animation). An animated output holds every
 * frame in one image, and each page of a GIF or WebP costs the decoding of all frames before
 * it: for both, all frames together may have no more pixels than one image may (the bound sharp
 * itself applies to an animated load). TIFF pages decode on their own; each is limited alone.
 */
export function pagesProblem(facts: PageFacts, mode: ImagePlan['pages'], limits: PageLimits): string | undefined {
  if (facts.pages <= 1) return undefined;
  if (facts.pages > limits.maxPages) {
    return `The image has ${facts.pages} pages or frames; this server converts at most ${limits.maxPages} (IMAGE_MAX_PAGES). Split it or use fewer frames.`;
  }
  const total = facts.pages * facts.width * facts.height;
  if ((mode === 'animated' || facts.sequential) && total > limits.maxPixels) {
    return `The image has ${facts.pages} frames of ${facts.width}x${facts.height} pixels, ${total} in all, more than the limit of ${limits.maxPixels} (MAX_IMAGE_PIXELS). Use fewer or smaller frames.`;
  }
  return undefined;
}
