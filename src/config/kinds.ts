// The kinds of setting (integer, boolean, text, one of a list, URL, path, list...): each builder
// takes the declaration (variable, default, range, unit, meaning) and returns a Setting that
// validates the variable and documents itself. Values that are not valid fail naming the variable.
import path from 'node:path';
import { ConfigError, fail } from './error.js';
import type { Derived, Setting, SettingDoc, Source } from './setting.js';

const code = (text: string): string => `\`${text}\``;
const doc = (name: string, type: string, fallback: string, meaning: string): SettingDoc[] => [{ variable: code(name), type, default: fallback, meaning }];
const isDerived = <T>(value: T | Derived<T>): value is Derived<T> => typeof value === 'object' && value !== null && 'from' in value;

/** The Config's unit where it differs from the variable's: seconds → ms, MiB → bytes. */
const UNITS = { ms: 1000, bytes: 1024 * 1024 } as const;

export interface IntSpec {
  /** A number, or one derived from other settings; a derived one outside min..max is clamped into it. */
  readonly default: number | Derived<number>;
  readonly min: number;
  readonly max: number;
  /** Multiplies the value into the Config's unit (the variable is in seconds or MiB). */
  readonly to?: keyof typeof UNITS;
}

export function int(name: string, spec: IntSpec, meaning: string): Setting<number> {
  const { min, max } = spec;
  // A literal default outside its own range is a slip in the table: fail on import, in every test.
  if (!isDerived(spec.default) && (spec.default < min || spec.default > max)) throw new Error(`${name}: default ${spec.default} outside ${min}..${max}`);
  const fallback = isDerived(spec.default) ? `${spec.default.text} (kept within ${min}–${max})` : code(String(spec.default));
  return {
    name,
    docs: doc(name, `integer ${min}–${max}`, fallback, meaning),
    read(source) {
      return wholeNumber(source, name, spec) * (spec.to === undefined ? 1 : UNITS[spec.to]);
    },
  };
}

function wholeNumber(source: Source, name: string, { default: fallback, min, max }: IntSpec): number {
  const raw = source.raw(name);
  // A derived default follows another setting that may allow more (WORKER_CONCURRENCY=200 must
  // not start 200 browsers): it is clamped. A value the operator wrote is never changed silently.
  if (raw === undefined) return isDerived(fallback) ? Math.min(max, Math.max(min, fallback.from(source.get))) : fallback;
  if (!/^-?\d+$/.test(raw)) fail(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) fail(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function bool(name: string, fallback: boolean | Derived<boolean>, meaning: string): Setting<boolean> {
  return {
    name,
    docs: doc(name, '`true` or `false`', isDerived(fallback) ? fallback.text : code(String(fallback)), meaning),
    read(source) {
      const raw = source.raw(name);
      if (raw === undefined) return isDerived(fallback) ? fallback.from(source.get) : fallback;
      if (/^(true|1|yes|on)$/i.test(raw)) return true;
      if (/^(false|0|no|off)$/i.test(raw)) return false;
      return fail(name, `must be true or false, got "${raw}"`);
    },
  };
}

/** A rule a text value must follow, and its wording in errors and the README. */
export interface Pattern {
  readonly test: RegExp;
  readonly rule: string;
}

/** A value with a default, or an optional one whose absence `unset` explains in the README. */
export type Fallback<T> = { readonly default: T | Derived<T> } | { readonly unset: string };

function fallbackText<T>(fallback: Fallback<T>, show: (value: T) => string): string {
  if ('unset' in fallback) return fallback.unset;
  return isDerived(fallback.default) ? fallback.default.text : show(fallback.default);
}

function fallbackValue<T>(fallback: Fallback<T>, source: Source): T | undefined {
  if ('unset' in fallback) return undefined;
  return isDerived(fallback.default) ? fallback.default.from(source.get) : fallback.default;
}

type Read<F, T> = F extends { readonly default: unknown } ? T : T | undefined;

export function text<F extends Fallback<string>>(name: string, spec: F & { readonly pattern?: Pattern }, meaning: string): Setting<Read<F, string>> {
  return {
    name,
    docs: doc(name, spec.pattern === undefined ? 'text' : `text: ${spec.pattern.rule}`, fallbackText(spec, code), meaning),
    read(source) {
      const value = source.raw(name) ?? fallbackValue(spec, source);
      if (value !== undefined && spec.pattern !== undefined && !spec.pattern.test.test(value)) fail(name, `must be ${spec.pattern.rule}`);
      return value as Read<F, string>;
    },
  };
}

/** An external program: a name looked up in PATH, or a path. */
export function command(name: string, fallback: string, meaning: string): Setting<string> {
  return { name, docs: doc(name, 'command', code(fallback), meaning), read: (source) => source.raw(name) ?? fallback };
}

export function oneOf<const V extends string>(name: string, values: readonly V[], fallback: NoInfer<V>, meaning: string): Setting<V> {
  return {
    name,
    docs: doc(name, `one of ${values.map(code).join(', ')}`, code(fallback), meaning),
    read(source) {
      const raw = source.raw(name);
      if (raw === undefined) return fallback;
      if (!(values as readonly string[]).includes(raw)) fail(name, `must be one of ${values.join(', ')}, got "${raw}"`);
      return raw as V;
    },
  };
}

/** A file or folder; relative paths are resolved against the working directory. */
export function filePath<F extends Fallback<string>>(name: string, spec: F, meaning: string): Setting<Read<F, string>> {
  return {
    name,
    docs: doc(name, 'path', fallbackText(spec, code), meaning),
    read(source) {
      const value = source.raw(name) ?? fallbackValue(spec, source);
      return (value === undefined ? undefined : path.resolve(source.cwd, value)) as Read<F, string>;
    },
  };
}

function parseUrl(name: string, raw: string, protocols: readonly string[]): URL {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return fail(name, `must be a URL such as ${protocols[0] ?? ''}//host:port, got "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) fail(name, `must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  return parsed;
}

const urlType = (protocols: readonly string[]): string => `URL (${protocols.map(code).join(' or ')})`;

/** An optional URL with one of `protocols`, kept as a URL object. */
export function url(name: string, spec: { readonly protocols: readonly string[]; readonly unset: string }, meaning: string): Setting<URL | undefined> {
  return {
    name,
    docs: doc(name, urlType(spec.protocols), spec.unset, meaning),
    read(source) {
      const raw = source.raw(name);
      return raw === undefined ? undefined : parseUrl(name, raw, spec.protocols);
    },
  };
}

/** An optional URL with one of `protocols`, normalized to text (what client libraries take). */
export function urlText(name: string, spec: { readonly protocols: readonly string[]; readonly unset: string }, meaning: string): Setting<string | undefined> {
  const parsed = url(name, spec, meaning);
  return { ...parsed, read: (source) => parsed.read(source)?.toString() };
}

/** The base of an HTTP API: http(s), without trailing slashes, so paths can be appended. */
export function baseUrl<F extends Fallback<string>>(name: string, spec: F, meaning: string): Setting<Read<F, string>> {
  const protocols = ['http:', 'https:'];
  return {
    name,
    docs: doc(name, urlType(protocols), fallbackText(spec, code), meaning),
    read(source) {
      const raw = source.raw(name);
      const value = raw === undefined ? fallbackValue(spec, source) : parseUrl(name, raw, protocols).toString();
      return value?.replace(/\/+$/, '') as Read<F, string>;
    },
  };
}

/** Comma-separated items, each following `item`; undefined when there is none. */
export function list(name: string, spec: { readonly item: Pattern; readonly unset: string }, meaning: string): Setting<readonly string[] | undefined> {
  return {
    name,
    docs: doc(name, `comma-separated list: ${spec.item.rule}`, spec.unset, meaning),
    read(source) {
      const items = (source.raw(name) ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
      if (items.some((item) => !spec.item.test.test(item))) fail(name, `must be comma-separated ${spec.item.rule}`);
      return items.length > 0 ? items : undefined;
    },
  };
}

/** Variables handed on untouched (not validated: they are the tools' business, not ours). */
export function passthrough(names: readonly string[], meaning: string): Setting<Readonly<Record<string, string>>> {
  return {
    name: names.join(' / '),
    docs: [{ variable: names.map(code).join(' / '), type: 'text', default: "(the worker's)", meaning }],
    read: (source) => Object.fromEntries(names.flatMap((name) => [[name, source.exact(name)]]).filter((entry): entry is [string, string] => entry[1] !== undefined)),
  };
}

/** The value of `original`, for a second place in the Config that needs it; documented once, there. */
export const sameAs = <T>(original: Setting<T>): Setting<T> => ({ name: original.name, docs: [], read: (source) => source.get(original) });

export interface CustomSpec<T> {
  /** What values it takes, and its default, as the README shows them. */
  readonly type: string;
  readonly default: string;
  /** Gets the trimmed variable (undefined when unset or blank) and its name for ConfigErrors. */
  readonly parse: (raw: string | undefined, name: string) => T;
}

/** A setting whose value needs its own parser. */
export function custom<T>(name: string, spec: CustomSpec<T>, meaning: string): Setting<T> {
  return { name, docs: doc(name, spec.type, spec.default, meaning), read: (source) => spec.parse(source.raw(name), name) };
}

/** The variable that may name a file holding a secret setting's value: `API_KEYS_FILE` for `API_KEYS`. */
export const fileVariable = (name: string): string => `${name}_FILE`;

/** `source`, with `name` answered by `value` (read from a file) instead of the environment. */
function withValue(source: Source, name: string, value: string): Source {
  const trimmed = value.trim();
  return {
    ...source,
    raw: (asked) => (asked === name ? (trimmed === '' ? undefined : trimmed) : source.raw(asked)),
    exact: (asked) => (asked === name ? value : source.exact(asked)),
  };
}

/** The value in the file `fromFile` names, without its trailing newline; fails naming `fromFile`. */
function readSecretFile(source: Source, fromFile: string, file: string): string {
  let text: string;
  try {
    text = source.readFile(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return fail(fromFile, `names ${file}, which cannot be read (${reason})`);
  }
  const value = text.replace(/[\r\n]+$/, '');
  if (value.trim() === '') fail(fromFile, `names ${file}, which is empty`);
  return value;
}

/** `problem` without `value`: quoted as kinds quote it (`got "..."`), and anywhere when long enough to be unambiguous. */
function hide(problem: string, value: string): string {
  const unquoted = problem.replaceAll(`"${value}"`, '(hidden)');
  return value.length >= 8 ? unquoted.replaceAll(value, '(hidden)') : unquoted;
}

/**
 * Marks a setting as a credential. Its value may come from the file `<NAME>_FILE` names (a
 * Docker or Kubernetes secret mounted as a file) instead of the variable itself; setting both is
 * refused. An error about a bad value never repeats the value (it goes to logs).
 */
export function secret<T>(setting: Setting<T>): Setting<T> {
  const { name } = setting;
  const fromFile = fileVariable(name);
  const read = (source: Source, value: string | undefined, origin: string): T => {
    try {
      return setting.read(source);
    } catch (error) {
      if (!(error instanceof ConfigError) || error.variable !== name) throw error;
      const problem = value === undefined ? error.problem : hide(error.problem, value);
      throw new ConfigError(name, `${origin}${problem}`);
    }
  };
  return {
    name,
    secret: true,
    docs: setting.docs.map((row) => ({ ...row, variable: `${row.variable} (or ${code(fromFile)})` })),
    read(source) {
      const file = source.raw(fromFile);
      if (file === undefined) return read(source, source.raw(name), '');
      if (source.raw(name) !== undefined) fail(fromFile, `and ${name} are both set: keep only one of them`);
      const value = readSecretFile(source, fromFile, file);
      return read(withValue(source, name, value), value.trim(), `(read from ${fromFile}) `);
    },
  };
}
