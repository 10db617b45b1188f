// The document formats: each one's media type, and the other spellings users send for them.
import type { FormatInfo } from './format-info.js';
import { OLE2, ZIP } from './signatures.js';

export const DOCUMENT_FORMATS = {
  pdf: { group: 'document', mime: 'application/pdf' },
  doc: { group: 'document', mime: 'application/msword', signature: OLE2 },
  docx: { group: 'document', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', signature: ZIP },
  odt: { group: 'document', mime: 'application/vnd.oasis.opendocument.text', signature: ZIP },
  rtf: { group: 'document', mime: 'application/rtf', signature: { magic: [{ ascii: '{\\rtf' }] } },
  txt: { group: 'document', mime: 'text/plain', signature: { text: true } },
  html: { group: 'document', mime: 'text/html', signature: { text: true } },
  // Markup formats read and written by pandoc (engines/pandoc.ts): plain text, so checked as text.
  md: { group: 'document', mime: 'text/markdown', signature: { text: true } },
  rst: { group: 'document', mime: 'text/x-rst', signature: { text: true } },
  org: { group: 'document', mime: 'text/x-org', signature: { text: true } },
  textile: { group: 'document', mime: 'text/x-textile', signature: { text: true } },
  mediawiki: { group: 'document', mime: 'text/x-mediawiki', signature: { text: true } },
  docbook: { group: 'document', mime: 'application/docbook+xml', signature: { text: true } },
  asciidoc: { group: 'document', mime: 'text/x-asciidoc', signature: { text: true } },
  tex: { group: 'document', mime: 'application/x-tex', signature: { text: true } },
  ipynb: { group: 'document', mime: 'application/x-ipynb+json', signature: { text: true } },
  // More office formats (LibreOffice), XPS/OpenXPS (mutool) and DjVu (djvulibre): issue 18's office part.
  docm: { group: 'document', mime: 'application/vnd.ms-word.document.macroEnabled.12', signature: ZIP },
  dotx: { group: 'document', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.template', signature: ZIP },
  dot: { group: 'document', mime: 'application/msword', signature: OLE2 },
  fodt: { group: 'document', mime: 'application/vnd.oasis.opendocument.text-flat-xml', signature: { text: true } },
  abw: { group: 'document', mime: 'application/x-abiword', signature: { text: true } },
  // OpenDocument text template (a ZIP whose first entry is the stored mimetype), through LibreOffice.
  ott: { group: 'document', mime: 'application/vnd.oasis.opendocument.text-template', signature: { magic: [{ at: 30, ascii: 'mimetypeapplication/vnd.oasis.opendocument.text-template' }] } },
  xps: { group: 'document', mime: 'application/vnd.ms-xpsdocument', signature: ZIP },
  oxps: { group: 'document', mime: 'application/oxps', signature: ZIP },
  djvu: { group: 'document', mime: 'image/vnd.djvu', signature: { magic: [{ ascii: 'AT&TFORM' }] } },
} as const satisfies Record<string, FormatInfo>;

export const DOCUMENT_ALIASES = {
  htm: 'html',
  text: 'txt',
  // pandoc's markup formats
  markdown: 'md',
  latex: 'tex',
  adoc: 'asciidoc',
  dbk: 'docbook',
  djv: 'djvu',
} as const;
