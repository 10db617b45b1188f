// The archive formats: each one's media type, and the other spellings users send for them.
import type { FormatInfo } from './format-info.js';
import { ZIP } from './signatures.js';

export const ARCHIVE_FORMATS = {
  zip: { group: 'archive', mime: 'application/zip', signature: ZIP },
  tar: { group: 'archive', mime: 'application/x-tar', signature: { magic: [{ at: 257, ascii: 'ustar' }] } },
  'tar.gz': { group: 'archive', mime: 'application/gzip', signature: { magic: [{ hex: '1f8b' }] } },
  'tar.bz2': { group: 'archive', mime: 'application/x-bzip2', signature: { magic: [{ ascii: 'BZh' }] } },
  'tar.xz': { group: 'archive', mime: 'application/x-xz', signature: { magic: [{ hex: 'fd377a585a00' }] } },
  '7z': { group: 'archive', mime: 'application/x-7z-compressed', signature: { magic: [{ hex: '377abcaf271c' }] } },
  rar: { group: 'archive', mime: 'application/vnd.rar', signature: { magic: [{ ascii: 'Rar!\x1a\x07' }] } },
} as const satisfies Record<string, FormatInfo>;

export const ARCHIVE_ALIASES = { tgz: 'tar.gz', tbz2: 'tar.bz2', tbz: 'tar.bz2', txz: 'tar.xz' } as const;
