// Engine classes: which conversions share a queue and a worker's concurrency. Light engines
// finish a typical file in milliseconds and use little memory; heavy ones run seconds to hours
// and hold hundreds of MB. Each class has its own BullMQ queue, its own concurrency per worker
// and its own per-key slots, so a burst of small images never waits behind a long video and a
// key's videos do not take the slots of its images.
import { ALL_ENGINE_IDS, type AnyEngineId } from './engines.js';
import type { ConversionPlan } from './resolve.js';
import { INFO_ENGINES } from './engine-catalog.js';

export const ENGINE_CLASSES = ['light', 'heavy'] as const;
export type EngineClass = (typeof ENGINE_CLASSES)[number];

/** The class of each engine (the compiler asks for a new engine's class). */
export const ENGINE_CLASS = {
  sharp: 'light',
  mupdf: 'light',
  ghostscript: 'light',
  archive: 'light',
  potrace: 'light',
  imagemagick: 'light',
  ffmpeg: 'heavy',
  libreoffice: 'heavy',
  chromium: 'heavy',
  calibre: 'heavy',
  // pandoc itself takes 0.1-0.5 s on small files, but seconds and hundreds of MB on a long docx
  // or epub, and PDF output adds WeasyPrint (about 1.2 s and 64 MB for one page).
  pandoc: 'heavy',
  inkscape: 'heavy',
  // A web font converts in a fraction of a second, but brotli (woff2) takes seconds on a large
  // font and fontforge's outline conversion of a CJK font a minute and over 1 GB.
  fonttools: 'heavy',
  cad: 'heavy',
  // A model of 250 000 vertices takes assimp 1-2 s of CPU and 280 MB.
  assimp: 'heavy',
} as const satisfies Record<AnyEngineId, EngineClass>;

/** The engines of one class, for logs and the docs. */
export const enginesOfClass = (engineClass: EngineClass): readonly AnyEngineId[] => ALL_ENGINE_IDS.filter((engine) => ENGINE_CLASS[engine] === engineClass);

/**
 * The class a process runs in. Not always its plan's engine: mode=combine turns each input into
 * PDF pages first, and an input may be an office document (LibreOffice), so combine is heavy.
 * Transfers (API v2 imports and exports) move files of any size at the speed of the remote
 * side: heavy, so a slow 1 GiB download never holds a light slot.
 */
export function engineClassOf(plan: Pick<ConversionPlan, 'mode' | 'engine' | 'inputFormat'>): EngineClass {
  if (plan.mode === 'combine' || plan.mode === 'transfer' || plan.engine === 'transfer') return 'heavy';
  // The PDF tools include OCR and PDF/A (seconds of CPU per page, several processes): heavy.
  if (plan.mode === 'pdftool' || plan.engine === 'pdftools') return 'heavy';
  // pdf-lib parses a whole PDF in the worker's own thread: heavy, so it never holds a light slot
  // for long. Image watermarks are sharp's (threads of libvips): light.
  if (plan.engine === 'watermark') return plan.inputFormat === 'pdf' ? 'heavy' : 'light';
  // exiftool is quick; the metadata read also runs the format's mode=info engine, whose class counts.
  if (plan.engine === 'exiftool') {
    const info = plan.inputFormat === undefined ? undefined : INFO_ENGINES[plan.inputFormat];
    return plan.mode === 'metadata' && info !== undefined ? ENGINE_CLASS[info] : 'light';
  }
  return ENGINE_CLASS[plan.engine];
}
