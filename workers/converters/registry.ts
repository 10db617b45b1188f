// Every engine of the catalog, implemented. A catalog engine without an entry here fails to
// compile (the registry types are mapped over the catalog's engine id unions).
import { ALL_ENGINE_IDS, type AnyEngineId } from '../../src/core/catalog/index.js';
import type { CommandPlan } from '../../src/core/catalog/resolve.js';
import { createArchiveEngine, type ArchiveEngineSettings } from './archive/index.js';
import { createModelEngine, type ModelEngineSettings } from './assimp/index.js';
import { createCadEngine, type CadEngineSettings } from './cad/index.js';
import { createEbookEngine, type EbookEngineSettings } from './calibre/index.js';
import { createChromiumEngine, type ChromiumEngineSettings } from './chromium/index.js';
import { createFontEngine, type FontEngineSettings } from './fonttools/index.js';
import { createMediaEngine, type MediaEngineSettings } from './ffmpeg/index.js';
import { createGhostscriptEngine, type GhostscriptEngineSettings } from './ghostscript/index.js';
import { createImageEngine, type ImageEngineSettings } from './image/index.js';
import { createMagickEngine, type MagickEngineSettings } from './imagemagick/index.js';
import { createVectorEngine, type VectorEngineSettings } from './inkscape/index.js';
import { createOfficeEngine, type OfficeEngineSettings } from './libreoffice/index.js';
import { createMarkupEngine, type MarkupEngineSettings } from './pandoc/index.js';
import { createPdfEngine, type PdfEngineSettings } from './mupdf/index.js';
import { createPdfToolsEngine, type PdfToolsSettings } from './pdftools/index.js';
import { createTraceEngine, type TraceEngineSettings } from './potrace/index.js';
import { createExiftoolEngine, type ExiftoolEngineSettings, type MetadataTool } from './exiftool/index.js';
import { createWatermarkEngine, type WatermarkEngineSettings, type Watermarker } from './watermark/index.js';
import type { Archiver, CommandRunner, CompressorRegistry, ConverterRegistry, InfoReaderRegistry, PdfMerger, PdfToolRunner, PoolWarmer } from './types.js';

/** The engines that keep long-lived tool processes in a pool. */
export type PoolEngineId = 'libreoffice' | 'chromium';

export interface Engines {
  /** Every engine id this registry runs (advertised with the worker's heartbeat). */
  readonly ids: readonly AnyEngineId[];
  readonly converters: ConverterRegistry;
  readonly infoReaders: InfoReaderRegistry;
  readonly compressors: CompressorRegistry;
  readonly archiver: Archiver;
  readonly pdfMerger: PdfMerger;
  /** The pdf/* operations of API v2. */
  readonly pdfTools: PdfToolRunner;
  /** API v2's watermark (no catalog engine: it keeps the format). */
  readonly watermarker: Watermarker;
  /** API v2's metadata/write and the tags of metadata (exiftool). */
  readonly metadata: MetadataTool;
  /** API v2's `command` operation, by the engine whose tools it runs. */
  readonly commands: { readonly [E in CommandPlan['engine']]: CommandRunner };
  /** The pools of long-running processes, to start before the first job (WARM_POOLS). */
  readonly pools: { readonly [E in PoolEngineId]: PoolWarmer };
  /** Stops the engines' long-running processes (LibreOffice, Chromium), also those still starting, and removes their files. */
  close(): Promise<void>;
}

export interface EngineSettings {
  readonly image: ImageEngineSettings;
  readonly media: MediaEngineSettings;
  readonly office: OfficeEngineSettings;
  readonly pdf: PdfEngineSettings;
  readonly chromium: ChromiumEngineSettings;
  readonly ebook: EbookEngineSettings;
  readonly vector: VectorEngineSettings;
  readonly archive: ArchiveEngineSettings;
  readonly ghostscript: GhostscriptEngineSettings;
  readonly pdfTools: PdfToolsSettings;
  readonly trace: TraceEngineSettings;
  readonly fonts: FontEngineSettings;
  readonly markup: MarkupEngineSettings;
  readonly cad: CadEngineSettings;
  readonly model: ModelEngineSettings;
  readonly magick: MagickEngineSettings;
  readonly watermark: WatermarkEngineSettings;
  readonly exiftool: ExiftoolEngineSettings;
}

export function createEngines(settings: EngineSettings): Engines {
  const image = createImageEngine(settings.image);
  const media = createMediaEngine(settings.media);
  const office = createOfficeEngine(settings.office);
  const pdf = createPdfEngine(settings.pdf);
  const chromium = createChromiumEngine(settings.chromium);
  const fonts = createFontEngine(settings.fonts);
  const model = createModelEngine(settings.model);
  const magick = createMagickEngine(settings.magick);
  const converters = {
    sharp: image,
    imagemagick: magick,
    ffmpeg: media,
    libreoffice: office,
    mupdf: pdf,
    chromium,
    calibre: createEbookEngine(settings.ebook),
    inkscape: createVectorEngine(settings.vector),
    pandoc: createMarkupEngine(settings.markup),
    potrace: createTraceEngine(settings.trace),
    fonttools: fonts,
    cad: createCadEngine(settings.cad),
    assimp: model,
  } satisfies ConverterRegistry;
  const compressors = { sharp: image, ghostscript: createGhostscriptEngine(settings.ghostscript) } satisfies CompressorRegistry;
  return {
    ids: ALL_ENGINE_IDS,
    converters,
    infoReaders: {
      sharp: image,
      imagemagick: magick,
      ffmpeg: media,
      fonttools: fonts,
      assimp: model,
    } satisfies InfoReaderRegistry,
    compressors,
    archiver: createArchiveEngine(settings.archive),
    pdfMerger: pdf,
    pdfTools: createPdfToolsEngine(settings.pdfTools),
    watermarker: createWatermarkEngine(settings.watermark),
    metadata: createExiftoolEngine(settings.exiftool),
    commands: { ffmpeg: media, imagemagick: magick },
    pools: { libreoffice: office, chromium },
    close: async () => {
      await Promise.all([office.close(), chromium.close()]);
    },
  };
}
