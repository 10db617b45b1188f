// The image formats: each one's media type, and the other spellings users send for them.
import type { FormatInfo } from './format-info.js';

export const IMAGE_FORMATS = {
  png: { group: 'image', mime: 'image/png' },
  jpg: { group: 'image', mime: 'image/jpeg' },
  webp: { group: 'image', mime: 'image/webp', signature: { magic: [{ at: 8, ascii: 'WEBP' }] } },
  gif: { group: 'image', mime: 'image/gif' },
  tiff: { group: 'image', mime: 'image/tiff' },
  avif: { group: 'image', mime: 'image/avif', signature: { magic: [{ at: 4, ascii: 'ftyp' }] } },
  heif: { group: 'image', mime: 'image/heif', signature: { magic: [{ at: 4, ascii: 'ftyp' }] } },
} as const satisfies Record<string, FormatInfo>;

export const IMAGE_ALIASES = { jpeg: 'jpg', jpe: 'jpg', tif: 'tiff', heic: 'heif' } as const;
