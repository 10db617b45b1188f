// The engines' ids, in precedence order: when several engines can do a pair, the first in this
// list wins. The list is the one place an engine id exists, so precedence is complete by
// construction; engine-catalog.ts requires a catalog record for every id (the compiler says which
// is missing), and the worker's registries one implementation per ability.
//
// inkscape before mupdf: svg → pdf stays vector (mupdf would rasterize it through sharp); sharp
// still serves svg → png (faster). calibre after the document engines: docx → pdf stays with
// LibreOffice. pandoc after both: it lists only the document pairs they do not serve. imagemagick
// right after sharp: it lists only pairs sharp cannot do (bmp, psd, heif, jxl, dng...), so the
// order between them decides nothing, but the two image engines stay together. potrace: it only
// traces what no other engine writes (raster → svg, eps). fonttools: fonts only, no other engine
// reads them. cad and assimp read formats no other engine reads (dxf; 3D models).
export const ALL_ENGINE_IDS = ['sharp', 'imagemagick', 'ffmpeg', 'libreoffice', 'inkscape', 'mupdf', 'chromium', 'calibre', 'pandoc', 'ghostscript', 'archive', 'potrace', 'fonttools', 'cad', 'assimp'] as const;
export type AnyEngineId = (typeof ALL_ENGINE_IDS)[number];

/** The engine of mode=archive and mode=extract. */
export const ARCHIVE_ENGINE_ID = 'archive' satisfies AnyEngineId;

/** The engine that merges PDFs in mode=combine (after the other inputs became PDFs). */
export const COMBINE_ENGINE_ID = 'mupdf' satisfies AnyEngineId;
