// The one place that reads process.env: turns the environment into a validated, typed, frozen
// Config. Every setting is declared once, in settings.ts (and storage.ts); a bad value fails at
// start with a ConfigError naming the variable, never later at run time.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { SECTIONS } from './settings.js';
import type { ConfigOf, Env, Lookup, Placement, Setting, SettingMap, Source } from './setting.js';

export { ConfigError } from './error.js';
export { LOG_FORMATS, LOG_LEVELS, SANDBOX_MODES, type LogFormat, type LogLevel, type SandboxMode } from './settings.js';
export type { TelemetryConfig } from './telemetry.js';

/** The settings, in the shape the rest of the server reads; derived from the declaration. */
export type Config = ConfigOf<typeof SECTIONS>;
/** Limits of keys from API_KEYS, and the defaults of keys from KEYS_FILE. */
export type AccountLimits = Config['account'];
/** Throttle of failed API-key attempts per client address. */
export type KeyFailureLimits = Config['keyFailures'];

const MAX_SECRET_FILE_BYTES = 64 * 1024;

/** A source whose `get` reads each setting once, so derived defaults may ask in any order. */
function sourceOf(env: Env, cwd: string): Source {
  const values = new Map<Setting<unknown>, unknown>();
  const reading = new Set<Setting<unknown>>();
  const get: Lookup = <T>(setting: Setting<T>): T => {
    if (values.has(setting)) return values.get(setting) as T;
    if (reading.has(setting)) throw new Error(`The default of ${setting.name} depends on itself`);
    reading.add(setting);
    const value = setting.read(source);
    values.set(setting, value);
    return value;
  };
  const source: Source = {
    raw: (name) => {
      const value = env[name]?.trim();
      return value === '' ? undefined : value;
    },
    exact: (name) => env[name],
    cwd,
    get,
    readFile: (file) => {
      const full = path.resolve(cwd, file);
      // A secret is a line of text: a path to something else (a disk image, /dev/zero) is a mistake.
      const stats = statSync(full);
      if (!stats.isFile()) throw new Error('not a regular file');
      if (stats.size > MAX_SECRET_FILE_BYTES) throw new Error(`larger than ${MAX_SECRET_FILE_BYTES / 1024} KiB`);
      return readFileSync(full, 'utf8');
    },
  };
  return source;
}

/** What loadConfig needs of a section, whatever its settings. */
interface AnySection {
  readonly placement: Placement;
  readonly settings: SettingMap;
  build(values: never, get: Lookup): unknown;
}

/** Frozen all the way down, so no part of the server can change what another part was started with. */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
  return value;
}

/** Reads every declared setting from `env` (relative paths against `cwd`); tests pass their own env. */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const { get } = sourceOf(env, cwd);
  const config: Record<string, unknown> = {};
  for (const [key, section] of Object.entries<AnySection>(SECTIONS)) {
    const values = Object.fromEntries(Object.entries(section.settings).map(([field, setting]) => [field, get(setting)]));
    const part = section.build(values as never, get);
    if (section.placement === 'root') Object.assign(config, part);
    else config[key] = part;
  }
  return deepFreeze(config) as Config;
}
