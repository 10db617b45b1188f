// Converter option schemas: declared once per engine, validated here, shown with their defaults
// in /conversiontypes, and turned into typed values for the converters.
import { appError } from '../errors.js';

interface SpecBase {
  /** One line for /conversiontypes notes and the API console. */
  readonly description: string;
}
export interface IntegerSpec extends SpecBase {
  readonly type: 'integer';
  readonly min: number;
  readonly max: number;
  readonly default: number | null;
}
export interface NumberSpec extends SpecBase {
  readonly type: 'number';
  readonly min: number;
  readonly max: number;
  readonly default: number | null;
}
export interface BooleanSpec extends SpecBase {
  readonly type: 'boolean';
  readonly default: boolean | null;
}
export interface EnumSpec extends SpecBase {
  readonly type: 'enum';
  readonly values: readonly string[];
  readonly default: string | null;
}
export interface PatternSpec extends SpecBase {
  readonly type: 'pattern';
  readonly pattern: RegExp;
  /** Human description of the accepted form, e.g. "WIDTHxHEIGHT such as 800x600". */
  readonly form: string;
  readonly default: string | null;
}
export type OptionSpec = IntegerSpec | NumberSpec | BooleanSpec | EnumSpec | PatternSpec;
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

type ValueOf<S extends OptionSpec> = S extends IntegerSpec | NumberSpec
  ? number
  : S extends BooleanSpec
    ? boolean
    : S extends EnumSpec
      ? S['values'][number]
      : string;

/** The typed options a converter receives: every declared option, `null` when not given. */
export type OptionsOf<T extends OptionSpecs> = { readonly [K in keyof T]: ValueOf<T[K]> | null };

/** What `/conversiontypes` shows: each option with its default. */
export function optionDefaults(specs: OptionSpecs): Record<string, string | number | boolean | null> {
  return Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, spec.default]));
}

export function describeValidValues(spec: OptionSpec): string {
  switch (spec.type) {
    case 'integer':
      return `a whole number from ${spec.min} to ${spec.max}`;
    case 'number':
      return `a number from ${spec.min} to ${spec.max}`;
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${spec.values.join(', ')}`;
    case 'pattern':
      return spec.form;
  }
}

const TRUE = /^(true|1|yes|on)$/i;
const FALSE = /^(false|0|no|off)$/i;

/** Parses one raw value; returns undefined when it does not fit the spec. */
function parseValue(spec: OptionSpec, raw: unknown): string | number | boolean | undefined {
  const text = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : undefined;
  if (text === undefined) return undefined;
  switch (spec.type) {
    case 'integer': {
      if (!/^[+-]?\d+$/.test(text)) return undefined;
      const n = Number(text);
      return n >= spec.min && n <= spec.max ? n : undefined;
    }
    case 'number': {
      if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) return undefined;
      const n = Number(text);
      return n >= spec.min && n <= spec.max ? n : undefined;
    }
    case 'boolean':
      return TRUE.test(text) ? true : FALSE.test(text) ? false : undefined;
    case 'enum': {
      const match = spec.values.find((v) => v.toLowerCase() === text.toLowerCase());
      return match;
    }
    case 'pattern':
      return spec.pattern.test(text) ? text : undefined;
  }
}

export interface ValidatedOptions<T extends OptionSpecs> {
  readonly values: OptionsOf<T>;
  /** Names the request gave that this conversion does not know; they are ignored. */
  readonly ignored: readonly string[];
}

/**
 * Validates request options against a schema. Null and empty values mean "not given" (clients
 * such as the .NET one send every option as null). Unknown names are ignored, because clients
 * send one option set to many conversion types; a known option with a bad value is a 400 that
 * names the option and its valid values.
 */
export function validateOptions<T extends OptionSpecs>(
  specs: T,
  raw: Readonly<Record<string, unknown>> | undefined,
  context: string,
): ValidatedOptions<T> {
  const values: Record<string, string | number | boolean | null> = {};
  for (const [name, spec] of Object.entries(specs)) values[name] = spec.default;
  const ignored: string[] = [];
  for (const [name, rawValue] of Object.entries(raw ?? {})) {
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (spec === undefined) {
      ignored.push(name);
      continue;
    }
    if (rawValue === null || rawValue === undefined || rawValue === '') continue;
    const parsed = parseValue(spec, rawValue);
    if (parsed === undefined) {
      const shown = typeof rawValue === 'object' ? JSON.stringify(rawValue) : String(rawValue);
      throw appError(
        'INVALID_OPTION',
        `Invalid converter option ${name} = "${shown.slice(0, 100)}" for ${context}. Valid values: ${describeValidValues(spec)}.`,
      );
    }
    values[name] = parsed;
  }
  return { values: values as OptionsOf<T>, ignored };
}
