// htmlz and txtz are ZIP archives that calibre unpacks before reading: their layout must be one
// every ZIP reader agrees on (zip-structure.ts), and their entries must pass the archive engine's
// checks (no absolute path, "..", too many entries, or expansion past the archive limits).
import { readFile, stat } from 'node:fs/promises';
import { appError } from '../../../src/core/errors.js';
import { checkEntry, checkTotals, type ExtractLimits } from '../../archive-reading/entries.js';
import { readZipEntries, ZipStructureError } from './zip-structure.js';

/** Larger zipped books are not read into memory to be checked (and so not converted). */
const MAX_ZIPPED_BOOK_BYTES = 256 * 1024 * 1024;

/** Throws CONVERSION_FAILED when calibre must not unpack this htmlz or txtz. */
export async function assertSafeZippedBook(file: string, format: string, limits: ExtractLimits): Promise<void> {
  const { size } = await stat(file);
  if (size > MAX_ZIPPED_BOOK_BYTES) throw appError('CONVERSION_FAILED', `The ${format} file is larger than ${MAX_ZIPPED_BOOK_BYTES / 1024 / 1024} MB, the most this server unpacks for calibre.`);
  try {
    const entries = readZipEntries(await readFile(file));
    let total = 0;
    for (const [i, entry] of entries.entries()) {
      checkEntry({ name: entry.name, type: entry.name.endsWith('/') ? 'directory' : 'file', size: entry.size });
      total += entry.size;
      checkTotals(i + 1, total, size, limits);
    }
  } catch (error) {
    if (error instanceof ZipStructureError) throw appError('CONVERSION_FAILED', `The ${format} file is not a ZIP archive this server can check: ${error.message}. Make it again and upload it again.`);
    throw error;
  }
}
