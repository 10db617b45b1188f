// The converter engines. The worker's registry must implement every id listed here.

export const ENGINE_IDS = ['sharp', 'ffmpeg', 'libreoffice', 'mupdf'] as const;
export type EngineId = (typeof ENGINE_IDS)[number];

/** When several engines can do a pair, the first in this list wins. */
export const ENGINE_PRECEDENCE: readonly EngineId[] = ['sharp', 'ffmpeg', 'libreoffice', 'mupdf'];

/** Engines that can also describe an input (`mode=info`). */
export const INFO_ENGINE_IDS = ['sharp', 'ffmpeg'] as const satisfies readonly EngineId[];
export type InfoEngineId = (typeof INFO_ENGINE_IDS)[number];
