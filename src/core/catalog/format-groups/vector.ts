// The vector formats: each one's media type, and the other spellings users send for them.
import type { FormatInfo } from './format-info.js';

export const VECTOR_FORMATS = {
  svg: { group: 'vector', mime: 'image/svg+xml' },
  eps: { group: 'vector', mime: 'application/postscript' },
  ps: { group: 'vector', mime: 'application/postscript' },
  emf: { group: 'vector', mime: 'image/emf' },
  wmf: { group: 'vector', mime: 'image/wmf' },
  /** OpenDocument drawing (LibreOffice Draw): a ZIP whose first entry is the stored `mimetype`. */
  odg: { group: 'vector', mime: 'application/vnd.oasis.opendocument.graphics', signature: { magic: [{ at: 30, ascii: 'mimetypeapplication/vnd.oasis.opendocument.graphics' }] } },
} as const satisfies Record<string, FormatInfo>;

export const VECTOR_ALIASES = {} as const;
