// The shapes a setting is declared in: a Setting reads one variable (its type, default, range and
// unit live in its declaration), a Section groups settings into one part of the Config, and
// ConfigOf derives the Config type from the sections, so the type cannot drift from the table.
import type { AnyEngineId } from '../core/catalog/engines.js';

/** The environment as loadConfig receives it. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The value of another setting (read once, on first use): what derived defaults are made of. */
export type Lookup = <T>(setting: Setting<T>) => T;

/** What a setting reads from. */
export interface Source {
  /** The variable, trimmed; undefined when unset or blank (blank means "use the default"). */
  raw(name: string): string | undefined;
  /** The variable exactly as given, for values passed on untouched. */
  exact(name: string): string | undefined;
  /** Relative paths are resolved against this folder. */
  readonly cwd: string;
  readonly get: Lookup;
  /** The text of a small regular file (relative to `cwd`, at most 64 KiB); throws when it cannot be read. */
  readFile(file: string): string;
}

/** One row of the README's configuration table. */
export interface SettingDoc {
  /** The variable name(s), in markdown. */
  readonly variable: string;
  /** What values it takes, with the range: `integer 1–64`, `true or false`... */
  readonly type: string;
  /** The default as the reader sees it, in markdown; for derived defaults, how it is computed. */
  readonly default: string;
  /** One line: what it changes. */
  readonly meaning: string;
}

export interface Setting<T> {
  /** The variable a ConfigError about this setting names. */
  readonly name: string;
  /** Its rows of the README table; none for an alias, whose original documents it. */
  readonly docs: readonly SettingDoc[];
  /** A credential: `<name>_FILE` may hold it instead, and no error repeats its value (see `secret`). */
  readonly secret?: boolean;
  /** Reads and validates the value, converted to the Config's unit; throws ConfigError naming the variable. */
  read(source: Source): T;
}

/** A default computed from other settings, with the words the README shows for it. */
export interface Derived<T> {
  readonly text: string;
  readonly from: (get: Lookup) => T;
}

export const derived = <T>(text: string, from: (get: Lookup) => T): Derived<T> => ({ text, from });

export type SettingMap = Readonly<Record<string, Setting<unknown>>>;

/** The parsed values of a group of settings, field by field. */
export type Values<S extends SettingMap> = { readonly [K in keyof S]: S[K] extends Setting<infer T> ? T : never };

/** nested: the section is one field of the Config; root: its fields sit at the Config's top level. */
export type Placement = 'nested' | 'root';

export interface Section<S extends SettingMap, V, P extends Placement> {
  /** The heading of its part of the README table. */
  readonly title: string;
  /** The converter engine the section configures, when it belongs to one. */
  readonly engine: AnyEngineId | undefined;
  readonly placement: P;
  readonly settings: S;
  /** Turns the values into the section's part of the Config; checks across settings live here. */
  build(values: Values<S>, get: Lookup): V;
}

interface SectionOptions<S extends SettingMap> {
  readonly engine?: AnyEngineId;
  /** A rule across settings of the section (e.g. one timeout not longer than another); throws ConfigError. */
  readonly check?: (values: Values<S>) => void;
}

function plain<S extends SettingMap, P extends Placement>(placement: P, title: string, settings: S, options: SectionOptions<S>): Section<S, Values<S>, P> {
  return {
    title,
    engine: options.engine,
    placement,
    settings,
    build(values) {
      options.check?.(values);
      return values;
    },
  };
}

/** A section whose values are, field by field, the Config's `key` of the same name. */
export const section = <S extends SettingMap>(title: string, settings: S, options: SectionOptions<S> = {}): Section<S, Values<S>, 'nested'> =>
  plain('nested', title, settings, options);

/** A section whose fields are top-level fields of the Config (kept there so the Config's shape stays). */
export const rootSection = <S extends SettingMap>(title: string, settings: S): Section<S, Values<S>, 'root'> => plain('root', title, settings, {});

/** A section whose Config part is assembled from its values (a union, optional sub-objects). */
export const composite = <S extends SettingMap, V>(title: string, settings: S, build: (values: Values<S>, get: Lookup) => V): Section<S, V, 'nested'> => ({
  title,
  engine: undefined,
  placement: 'nested',
  settings,
  build,
});

type Built<X> = X extends { build(...args: never[]): infer V } ? V : never;
type Nested<D> = { readonly [K in keyof D as D[K] extends { placement: 'root' } ? never : K]: Built<D[K]> };
type RootParts<D> = { [K in keyof D]: D[K] extends { placement: 'root' } ? Built<D[K]> : never }[keyof D];
type Intersection<U> = (U extends unknown ? (part: U) => void : never) extends (all: infer I) => void ? I : never;
type Flatten<T> = { [K in keyof T]: T[K] } & {};

/** The Config a declaration of sections produces: nested sections by key, root sections merged in. */
export type ConfigOf<D> = Flatten<Nested<D> & Intersection<RootParts<D>>>;
