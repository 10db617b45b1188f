// Every engine of the catalog, implemented. A catalog engine without an entry here fails to
// compile (the registry types are mapped over the catalog's EngineId union).
import type { Config } from '../../src/config/index.js';
import { createImageEngine } from './image/index.js';
import type { ConverterRegistry, InfoReaderRegistry } from './types.js';

export interface Engines {
  readonly converters: ConverterRegistry;
  readonly infoReaders: InfoReaderRegistry;
}

export function createEngines(config: Config): Engines {
  const image = createImageEngine({ maxPixels: config.image.maxPixels });
  return {
    converters: { sharp: image } satisfies ConverterRegistry,
    infoReaders: { sharp: image } satisfies InfoReaderRegistry,
  };
}
