// The vector formats: each one's media type, and the other spellings users send for them.
import type { FormatInfo } from './format-info.js';

export const VECTOR_FORMATS = {
  svg: { group: 'vector', mime: 'image/svg+xml', signature: { text: true } },
  eps: { group: 'vector', mime: 'application/postscript', signature: { magic: [{ ascii: '%!PS' }, { hex: 'c5d0d3c6' }] } },
  ps: { group: 'vector', mime: 'application/postscript', signature: { magic: [{ ascii: '%!' }] } },
  emf: { group: 'vector', mime: 'image/emf', signature: { magic: [{ at: 40, ascii: ' EMF' }] } },
  wmf: { group: 'vector', mime: 'image/wmf', signature: { magic: [{ hex: 'd7cdc69a' }, { hex: '01000900' }, { hex: '02000900' }] } },
  /** OpenDocument drawing (LibreOffice Draw): a ZIP whose first entry is the stored `mimetype`. */
  odg: { group: 'vector', mime: 'application/vnd.oasis.opendocument.graphics', signature: { magic: [{ at: 30, ascii: 'mimetypeapplication/vnd.oasis.opendocument.graphics' }] } },
  /** OpenDocument drawing template: the same, of the template's mimetype. */
  otg: { group: 'vector', mime: 'application/vnd.oasis.opendocument.graphics-template', signature: { magic: [{ at: 30, ascii: 'mimetypeapplication/vnd.oasis.opendocument.graphics-template' }] } },
  // gzip-compressed SVG.
  svgz: { group: 'vector', mime: 'image/svg+xml', signature: { magic: [{ hex: '1f8b' }] } },
} as const satisfies Record<string, FormatInfo>;

export const VECTOR_ALIASES = {} as const;
