// Reading a task's fields: each reader records what is wrong under the field's name, so one 422
// names every bad field at once. Empty strings and null mean "not given" (strict clients send
// every optional field, e.g. PHP's `"name": null`).
import { assertAllowedHost } from '../../net/address-guard.js';
import { InvalidDataError, type FieldErrors } from './types.js';

export class FieldReader {
  readonly errors: FieldErrors = {};

  constructor(readonly payload: Readonly<Record<string, unknown>>) {}

  fail(field: string, message: string): undefined {
    (this.errors[field] ??= []).push(message);
    return undefined;
  }

  /** Throws the 422 when any field was bad. */
  done(): void {
    if (Object.keys(this.errors).length > 0) throw new InvalidDataError(this.errors);
  }

  private given(field: string): unknown {
    const value = this.payload[field];
    return value === null || value === '' ? undefined : value;
  }

  string(field: string, options: { required?: boolean; max?: number } = {}): string | undefined {
    const value = this.given(field);
    if (value === undefined) return options.required === true ? this.fail(field, `The ${field} field is required.`) : undefined;
    if (typeof value !== 'string' && typeof value !== 'number') return this.fail(field, `The ${field} field must be a string.`);
    const text = String(value);
    if (text.length > (options.max ?? 10_000)) return this.fail(field, `The ${field} field may have at most ${options.max ?? 10_000} characters.`);
    return text;
  }

  boolean(field: string): boolean | undefined {
    const value = this.given(field);
    if (value === undefined) return undefined;
    if (value === true || value === 'true' || value === 1 || value === '1') return true;
    if (value === false || value === 'false' || value === 0 || value === '0') return false;
    return this.fail(field, `The ${field} field must be true or false.`);
  }

  integer(field: string, range: { min: number; max: number }): number | undefined {
    const value = this.given(field);
    if (value === undefined) return undefined;
    const number = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isInteger(number) || number < range.min || number > range.max) return this.fail(field, `The ${field} field must be an integer from ${range.min} to ${range.max}.`);
    return number;
  }

  oneOf<T extends string>(field: string, values: readonly T[], options: { required?: boolean } = {}): T | undefined {
    const value = this.string(field, options);
    if (value === undefined) return undefined;
    const lower = value.toLowerCase();
    if (!(values as readonly string[]).includes(lower)) return this.fail(field, `The selected ${field} "${value.slice(0, 40)}" is invalid. Valid values: ${values.join(', ')}.`);
    return lower as T;
  }

  /** An http(s) URL without credentials whose host, if an IP literal, passes the address guard. */
  url(field: string, allowPrivate: boolean, options: { required?: boolean } = {}): URL | undefined {
    const value = this.string(field, { ...options, max: 8192 });
    if (value === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return this.fail(field, `The ${field} "${value.slice(0, 100)}" is not a URL. Give a full http:// or https:// URL.`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return this.fail(field, `The URL scheme ${url.protocol} of ${field} is not allowed. Give an http:// or https:// URL.`);
    if (url.username !== '' || url.password !== '') return this.fail(field, `URLs with credentials (user:password@host) are not accepted in ${field}.`);
    try {
      assertAllowedHost(url.hostname, { allowPrivate });
    } catch (error) {
      return this.fail(field, error instanceof Error ? error.message : `The host of ${field} is not allowed.`);
    }
    return url;
  }

  /** An object of string values (e.g. `headers`). */
  stringMap(field: string): Record<string, string> | undefined {
    const value = this.given(field);
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) return this.fail(field, `The ${field} field must be an object of strings.`);
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.some(([, v]) => typeof v !== 'string' && typeof v !== 'number')) return this.fail(field, `Every value of ${field} must be a string.`);
    return Object.fromEntries(entries.map(([k, v]) => [k, String(v)]));
  }
}

/** The payload without the named fields (credentials), for storing and showing. */
export const without = (payload: Readonly<Record<string, unknown>>, fields: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(Object.entries(payload).filter(([k]) => !fields.includes(k)));
