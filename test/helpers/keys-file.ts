// KEYS_FILE for a test: the entries written as JSON into a temp folder of their own.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface KeysFileEntry {
  readonly key: string;
  readonly name?: string;
  readonly email?: string;
  readonly maxtime?: number;
  readonly maxsize?: number;
  readonly concurrent?: number;
  readonly minutes?: number;
  readonly rate_limit?: { readonly requests?: number; readonly window_seconds?: number };
}

export interface TempJsonFile {
  readonly path: string;
  remove(): Promise<void>;
}

/** Writes `content` as JSON (or as is, when a string) to a new temp file. */
export async function writeTempJson(name: string, content: unknown): Promise<TempJsonFile> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'oc-json-'));
  const file = path.join(dir, name);
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return { path: file, remove: () => rm(dir, { recursive: true, force: true }) };
}

export const writeKeysFile = (entries: readonly KeysFileEntry[]): Promise<TempJsonFile> => writeTempJson('keys.json', entries);
