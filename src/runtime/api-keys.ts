// Without API_KEYS, `npm start` generates one key, keeps it under DATA_DIR and prints it, so a
// first start works with no configuration and restarts keep the same key.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/index.js';

export async function ensureApiKeys(config: Config): Promise<{ keys: readonly string[]; generated: string | undefined }> {
  if (config.apiKeys !== undefined) return { keys: config.apiKeys, generated: undefined };
  const file = path.join(config.dataDir, 'api-key');
  try {
    const key = (await readFile(file, 'utf8')).trim();
    if (key !== '') return { keys: [key], generated: key };
  } catch {
    // no key yet
  }
  const key = randomBytes(24).toString('base64url');
  await mkdir(config.dataDir, { recursive: true });
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return { keys: [key], generated: key };
}
