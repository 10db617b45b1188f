// The keys the server accepts: API_KEYS (server-wide limits) plus KEYS_FILE (per-key name,
// email and limits). Without either, `npm start` generates one key, keeps it under DATA_DIR and
// prints it, so a first start works with no configuration and restarts keep the same key.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/index.js';
import { parseKeysFile, plainKeys, type AccountSpec } from '../core/accounts.js';

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

export async function ensureApiKeys(config: Config): Promise<{ keys: AccountSpec[]; generated: string | undefined }> {
  const keys = await configuredKeys(config);
  if (keys.length > 0) return { keys, generated: undefined };
  const file = path.join(config.dataDir, 'api-key');
  let key = '';
  try {
    key = (await readFile(file, 'utf8')).trim();
  } catch {
    // no key yet
  }
  if (key === '') {
    key = randomBytes(24).toString('base64url');
    await mkdir(config.dataDir, { recursive: true });
    await writeFile(file, `${key}\n`, { mode: 0o600 });
  }
  return { keys: plainKeys([key], config.account), generated: key };
}
