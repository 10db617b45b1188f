// The archive engine: packs files into zip/tar/7z archives (mode=archive) and unpacks archives
// into their files (mode=extract), refusing unsafe entries and extraction bombs.
import { appError } from '../../../src/core/errors.js';
import type { Archiver } from '../types.js';

export interface ArchiveEngineSettings {
  readonly maxEntries: number;
  readonly maxTotalBytes: number;
  readonly maxRatio: number;
}

export function createArchiveEngine(_settings: ArchiveEngineSettings): Archiver {
  const notYet = () => Promise.reject(appError('NOT_SUPPORTED_YET', 'Archives are not available yet.'));
  return { archive: notYet, extract: notYet };
}
