// The archive formats: each one's media type, and the other spellings users send for them.
import type { FormatInfo } from './format-info.js';

export const ARCHIVE_FORMATS = {
  zip: { group: 'archive', mime: 'application/zip' },
  tar: { group: 'archive', mime: 'application/x-tar' },
  'tar.gz': { group: 'archive', mime: 'application/gzip' },
  'tar.bz2': { group: 'archive', mime: 'application/x-bzip2' },
  'tar.xz': { group: 'archive', mime: 'application/x-xz' },
  '7z': { group: 'archive', mime: 'application/x-7z-compressed' },
  rar: { group: 'archive', mime: 'application/vnd.rar' },
} as const satisfies Record<string, FormatInfo>;

export const ARCHIVE_ALIASES = { tgz: 'tar.gz', tbz2: 'tar.bz2', tbz: 'tar.bz2', txz: 'tar.xz' } as const;
