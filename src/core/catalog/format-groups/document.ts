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
} as const satisfies Record<string, FormatInfo>;

export const DOCUMENT_ALIASES = { htm: 'html', text: 'txt' } as const;
