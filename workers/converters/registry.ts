// Every engine of the catalog, implemented. A catalog engine without an entry here fails to
// compile (the registry types are mapped over the catalog's EngineId union).
import { createMediaEngine, type MediaEngineSettings } from './ffmpeg/index.js';
import { createImageEngine, type ImageEngineSettings } from './image/index.js';
import { createOfficeEngine, type OfficeEngineSettings } from './libreoffice/index.js';
import { createPdfEngine, type PdfEngineSettings } from './mupdf/index.js';
import type { ConverterRegistry, InfoReaderRegistry } from './types.js';

export interface Engines {
  readonly converters: ConverterRegistry;
  readonly infoReaders: InfoReaderRegistry;
  /** Stops the engines' long-running processes (the LibreOffice pool) and removes their files. */
  close(): Promise<void>;
}

export interface EngineSettings {
  readonly image: ImageEngineSettings;
  readonly media: MediaEngineSettings;
  readonly office: OfficeEngineSettings;
  readonly pdf: PdfEngineSettings;
}

export function createEngines(settings: EngineSettings): Engines {
  const image = createImageEngine(settings.image);
  const media = createMediaEngine(settings.media);
  const office = createOfficeEngine(settings.office);
  return {
    converters: { sharp: image, ffmpeg: media, libreoffice: office, mupdf: createPdfEngine(settings.pdf) } satisfies ConverterRegistry,
    infoReaders: { sharp: image, ffmpeg: media } satisfies InfoReaderRegistry,
    close: () => office.close(),
  };
}
