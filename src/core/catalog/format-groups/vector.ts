// The vector formats: each one's media type, and the other spellings users send for them.
import type { FormatInfo } from './format-info.js';

export const VECTOR_FORMATS = {
  svg: { group: 'vector', mime: 'image/svg+xml' },
  // gzip-compressed SVG.
  svgz: { group: 'vector', mime: 'image/svg+xml', signature: { magic: [{ hex: '1f8b' }] } },
  eps: { group: 'vector', mime: 'application/postscript' },
  ps: { group: 'vector', mime: 'application/postscript' },
  emf: { group: 'vector', mime: 'image/emf' },
  wmf: { group: 'vector', mime: 'image/wmf' },
} as const satisfies Record<string, FormatInfo>;

export const VECTOR_ALIASES = {} as const;
