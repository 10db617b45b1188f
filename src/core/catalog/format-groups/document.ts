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
} as const satisfies Record<string, FormatInfo>;

export const DOCUMENT_ALIASES = { htm: 'html', text: 'txt' } as const;
