// The converter engines. The worker's registry must implement every id listed here.

/** Engines of mode=convert: each converts the format pairs the catalog gives it. */
export const ENGINE_IDS = ['sharp', 'ffmpeg', 'libreoffice', 'mupdf', 'chromium', 'calibre', 'inkscape'] as const;
export type EngineId = (typeof ENGINE_IDS)[number];

/**
 * When several engines can do a pair, the first in this list wins. inkscape before mupdf: svg → pdf
 * stays vector (mupdf would rasterize it through sharp); sharp still serves svg → png (faster).
 */
export const ENGINE_PRECEDENCE: readonly EngineId[] = ['sharp', 'ffmpeg', 'libreoffice', 'inkscape', 'mupdf', 'chromium', 'calibre'];

/** Engines that can also describe an input (`mode=info`). */
export const INFO_ENGINE_IDS = ['sharp', 'ffmpeg'] as const satisfies readonly EngineId[];
export type InfoEngineId = (typeof INFO_ENGINE_IDS)[number];

/** Engines of mode=compress (which one runs depends on the input format). */
export const COMPRESS_ENGINE_IDS = ['sharp', 'ghostscript'] as const;
export type CompressEngineId = (typeof COMPRESS_ENGINE_IDS)[number];

/** The engine of mode=archive and mode=extract. */
export const ARCHIVE_ENGINE_ID = 'archive';

/** The engine that merges PDFs in mode=combine (after the other inputs became PDFs). */
export const COMBINE_ENGINE_ID = 'mupdf';

/** Every engine a worker may run, for its heartbeat and /readyz. */
export const ALL_ENGINE_IDS = [...ENGINE_IDS, 'ghostscript', ARCHIVE_ENGINE_ID] as const;
export type AnyEngineId = (typeof ALL_ENGINE_IDS)[number];
