// PRESETS_FILE: presets every key can use, read once at start; a bad file fails the start.
import { readFile } from 'node:fs/promises';
import type { Config } from '../config/index.js';
import { parsePresetsFile, type Preset } from '../core/presets.js';

export async function configuredPresets(config: Config): Promise<Preset[]> {
  if (config.presetsFile === undefined) return [];
  let json: unknown;
  try {
    json = JSON.parse(await readFile(config.presetsFile, 'utf8'));
  } catch (error) {
    throw new Error(`Invalid PRESETS_FILE ${config.presetsFile}: ${(error as Error).message}`);
  }
  return parsePresetsFile(json);
}
