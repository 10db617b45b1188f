// Every engine of the catalog, implemented. A catalog engine without an entry here fails to
// compile (the registry types are mapped over the catalog's EngineId union).
import { createMediaEngine, type MediaEngineSettings } from './ffmpeg/index.js';
import { createImageEngine, type ImageEngineSettings } from './image/index.js';
import type { ConverterRegistry, InfoReaderRegistry } from './types.js';

export interface Engines {
  readonly converters: ConverterRegistry;
  readonly infoReaders: InfoReaderRegistry;
}

export interface EngineSettings {
  readonly image: ImageEngineSettings;
  readonly media: MediaEngineSettings;
}

export function createEngines(settings: EngineSettings): Engines {
  const image = createImageEngine(settings.image);
  const media = createMediaEngine(settings.media);
  return {
    converters: { sharp: image, ffmpeg: media } satisfies ConverterRegistry,
    infoReaders: { sharp: image, ffmpeg: media } satisfies InfoReaderRegistry,
  };
}
