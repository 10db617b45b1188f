// Every engine of the catalog, implemented. A catalog engine without an entry here fails to
// compile (the registry types are mapped over the catalog's EngineId union).
import { createImageEngine, type ImageEngineSettings } from './image/index.js';
import type { ConverterRegistry, InfoReaderRegistry } from './types.js';

export interface Engines {
  readonly converters: ConverterRegistry;
  readonly infoReaders: InfoReaderRegistry;
}

export interface EngineSettings {
  readonly image: ImageEngineSettings;
}

export function createEngines(settings: EngineSettings): Engines {
  const image = createImageEngine(settings.image);
  return {
    converters: { sharp: image } satisfies ConverterRegistry,
    infoReaders: { sharp: image } satisfies InfoReaderRegistry,
  };
}
