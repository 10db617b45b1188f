// Every engine's catalog record, and what the rest of the server derives from them: which engines
// have which ability, their options, and which engine serves mode=info or mode=compress for a
// format. A new engine id in engines.ts without a record here fails to compile.
import { ALL_ENGINE_IDS, type AnyEngineId } from './engines.js';
import type { Ability, EngineCatalog } from './engine-record.js';
import { ARCHIVE_ENGINE } from './engines/archive.js';
import { CAD_ENGINE } from './engines/cad.js';
import { GHOSTSCRIPT_ENGINE } from './engines/compress.js';
import { EBOOK_ENGINE } from './engines/ebook.js';
import { FONT_ENGINE } from './engines/font.js';
import { IMAGE_ENGINE } from './engines/image.js';
import { MAGICK_ENGINE } from './engines/imagemagick.js';
import { MEDIA_ENGINE } from './engines/media.js';
import { MODEL_ENGINE } from './engines/model.js';
import { OFFICE_ENGINE } from './engines/office.js';
import { PANDOC_ENGINE } from './engines/pandoc.js';
import { PDF_ENGINE } from './engines/pdf.js';
import { TRACE_ENGINE } from './engines/trace.js';
import { VECTOR_ENGINE } from './engines/vector.js';
import { WEBSITE_ENGINE } from './engines/website.js';
import type { Format } from './formats.js';
import type { OptionSpecs, OptionsOf } from './options.js';

export const ENGINE_CATALOG = {
  sharp: IMAGE_ENGINE,
  imagemagick: MAGICK_ENGINE,
  ffmpeg: MEDIA_ENGINE,
  libreoffice: OFFICE_ENGINE,
  inkscape: VECTOR_ENGINE,
  mupdf: PDF_ENGINE,
  chromium: WEBSITE_ENGINE,
  calibre: EBOOK_ENGINE,
  pandoc: PANDOC_ENGINE,
  ghostscript: GHOSTSCRIPT_ENGINE,
  archive: ARCHIVE_ENGINE,
  potrace: TRACE_ENGINE,
  fonttools: FONT_ENGINE,
  cad: CAD_ENGINE,
  assimp: MODEL_ENGINE,
} as const satisfies Record<AnyEngineId, EngineCatalog>;

type Catalog = typeof ENGINE_CATALOG;

/** The engines whose record has ability `A`. */
export type EnginesWith<A extends Ability> = { [E in AnyEngineId]: Catalog[E] extends { readonly [K in A]: object } ? E : never }[AnyEngineId];

/** Engines of mode=convert. */
export type EngineId = EnginesWith<'convert'>;
/** Engines that can also describe an input (mode=info). */
export type InfoEngineId = EnginesWith<'info'>;
/** Engines of mode=compress (which one runs depends on the input format). */
export type CompressEngineId = EnginesWith<'compress'>;

/** The engines with ability `ability`, in precedence order. */
export function enginesWith<A extends Ability>(ability: A): readonly EnginesWith<A>[] {
  return ALL_ENGINE_IDS.filter((engine): engine is EnginesWith<A> => (ENGINE_CATALOG[engine] as EngineCatalog)[ability] !== undefined);
}

export const ENGINE_IDS = enginesWith('convert');
export const INFO_ENGINE_IDS = enginesWith('info');
export const COMPRESS_ENGINE_IDS = enginesWith('compress');

type OptionsOfAbility<E extends AnyEngineId, A extends 'convert' | 'info' | 'compress'> = Catalog[E] extends { readonly [K in A]: { readonly options: infer O extends OptionSpecs } } ? O : never;

/** Per engine, every option its converter may receive. */
export const ENGINE_OPTIONS = Object.fromEntries(ENGINE_IDS.map((e) => [e, ENGINE_CATALOG[e].convert.options])) as { readonly [E in EngineId]: OptionsOfAbility<E, 'convert'> };
/** Per engine, the options of mode=info. */
export const INFO_OPTIONS = Object.fromEntries(INFO_ENGINE_IDS.map((e) => [e, ENGINE_CATALOG[e].info.options])) as { readonly [E in InfoEngineId]: OptionsOfAbility<E, 'info'> };
/** Per engine, the options of mode=compress. */
export const COMPRESS_OPTIONS = Object.fromEntries(COMPRESS_ENGINE_IDS.map((e) => [e, ENGINE_CATALOG[e].compress.options])) as { readonly [E in CompressEngineId]: OptionsOfAbility<E, 'compress'> };

/** Typed options per engine, as a converter receives them. */
export type EngineOptions = { readonly [E in EngineId]: OptionsOf<OptionsOfAbility<E, 'convert'>> };

/** The first engine (in precedence order) whose `ability` reads `format`. */
function byInput<A extends 'info' | 'compress'>(ability: A, engines: readonly EnginesWith<A>[]): Readonly<Partial<Record<Format, EnginesWith<A>>>> {
  const found: Partial<Record<Format, EnginesWith<A>>> = {};
  for (const engine of engines) for (const format of (ENGINE_CATALOG[engine] as EngineCatalog)[ability]?.inputs ?? []) found[format] ??= engine;
  return found;
}

/** The formats mode=info reads, and the engine for each. */
export const INFO_ENGINES = byInput('info', INFO_ENGINE_IDS);
/** The formats mode=compress reads, and the engine for each. */
export const COMPRESS_ENGINES = byInput('compress', COMPRESS_ENGINE_IDS);
