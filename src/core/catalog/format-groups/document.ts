// The document formats: each one's media type, and the other spellings users send for them.
import type { FormatInfo } from './format-info.js';

export const DOCUMENT_FORMATS = {
  pdf: { group: 'document', mime: 'application/pdf' },
  doc: { group: 'document', mime: 'application/msword' },
  docx: { group: 'document', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  odt: { group: 'document', mime: 'application/vnd.oasis.opendocument.text' },
  rtf: { group: 'document', mime: 'application/rtf' },
  txt: { group: 'document', mime: 'text/plain' },
  html: { group: 'document', mime: 'text/html' },
  // More office formats (LibreOffice), XPS/OpenXPS (mutool) and DjVu (djvulibre): issue 18's office part.
  // ZIP packages (OOXML, XPS) start with a local file header (504b0304), OLE2 files with d0cf11e0a1b11ae1.
  docm: { group: 'document', mime: 'application/vnd.ms-word.document.macroEnabled.12', signature: { magic: [{ hex: '504b0304' }] } },
  dotx: { group: 'document', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.template', signature: { magic: [{ hex: '504b0304' }] } },
  dot: { group: 'document', mime: 'application/msword', signature: { magic: [{ hex: 'd0cf11e0a1b11ae1' }] } },
  fodt: { group: 'document', mime: 'application/vnd.oasis.opendocument.text-flat-xml', signature: { text: true } },
  abw: { group: 'document', mime: 'application/x-abiword', signature: { text: true } },
  xps: { group: 'document', mime: 'application/vnd.ms-xpsdocument', signature: { magic: [{ hex: '504b0304' }] } },
  oxps: { group: 'document', mime: 'application/oxps', signature: { magic: [{ hex: '504b0304' }] } },
  djvu: { group: 'document', mime: 'image/vnd.djvu', signature: { magic: [{ ascii: 'AT&TFORM' }] } },
} as const satisfies Record<string, FormatInfo>;

export const DOCUMENT_ALIASES = { htm: 'html', text: 'txt', djv: 'djvu' } as const;
