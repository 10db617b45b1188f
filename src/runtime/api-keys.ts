// The keys the server accepts: API_KEYS (server-wide limits) plus KEYS_FILE (per-key name,
// email and limits). Without either, the first process to start generates one key and keeps it
// under DATA_DIR, the API and `npm start` print it, so a first start works with no configuration,
// restarts keep the same key, and processes sharing DATA_DIR (compose) share it.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createFileOnce } from './create-once.js';
import path from 'node:path';
import type { Config } from '../config/index.js';
import { parseKeysFile, plainKeys, type AccountSpec } from '../core/accounts.js';

/** The generated key's file under DATA_DIR. */
const KEY_FILE = 'api-key';

/** The keys of API_KEYS and KEYS_FILE; a bad file fails the start with what is wrong. */
export async function configuredKeys(config: Config): Promise<AccountSpec[]> {
  const specs = plainKeys(config.apiKeys ?? [], config.account);
  if (config.keysFile === undefined) return specs;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(config.keysFile, 'utf8'));
  } catch (error) {
    throw new Error(`Invalid KEYS_FILE ${config.keysFile}: ${(error as Error).message}`);
  }
  return [...specs, ...parseKeysFile(json, config.account)];
}

/**
 * API_KEYS / KEYS_FILE, else the key kept in DATA_DIR/api-key, created on first start. `generated`
 * is that key (for the log), undefined when keys are configured. Processes sharing DATA_DIR (the
 * API and workers of a compose stack) may start at the same moment: all of them get one key.
 */
export async function ensureApiKeys(config: Config): Promise<{ keys: AccountSpec[]; generated: string | undefined }> {
  const keys = await configuredKeys(config);
  if (keys.length > 0) return { keys, generated: undefined };
  const key = await storedOrNewKey(path.join(config.dataDir, KEY_FILE));
  return { keys: plainKeys([key], config.account), generated: key };
}

/** The line the API (or `npm start`) prints so the operator can find the generated key. */
export function generatedKeyNotice(config: Config, key: string): string {
  return `\nAPI key (stored in ${path.join(config.dataDir, KEY_FILE)}): ${key}\n`;
}

/** The key in `file`; undefined when there is no file. A file is only ever placed whole (below). */
async function readKey(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const key = text.trim();
  if (key === '') throw new Error(`${file} is empty: delete it to have a new key generated, or set API_KEYS`);
  return key;
}

/** The stored key, or a new one: of processes racing here exactly one places its key, the others read it. */
async function storedOrNewKey(file: string): Promise<string> {
  const stored = await readKey(file);
  if (stored !== undefined) return stored;
  const candidate = randomBytes(24).toString('base64url');
  if (createFileOnce(file, `${candidate}\n`)) return candidate;
  // Another process placed its key first (or it was removed again since: start over).
  return await storedOrNewKey(file);
}
