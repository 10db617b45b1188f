// Files that several processes sharing DATA_DIR may all try to create at their first start (the
// generated API key, the secrets key): exactly one wins, and nobody reads half a file.
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes `content` to `file` (mode 0600) unless the file exists. It goes to a temporary file
 * first, which link() puts in place only if no other process did so first (link never replaces).
 * True when this call created the file; false when another process had, so read theirs.
 */
export function createFileOnce(file: string, content: string): boolean {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    unlinkSync(temporary);
  }
}
