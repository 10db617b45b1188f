// The ebook formats: each one's media type, and the other spellings users send for them.
import type { FormatInfo } from './format-info.js';
import { ZIP } from './signatures.js';

export const EBOOK_FORMATS = {
  epub: { group: 'ebook', mime: 'application/epub+zip', signature: ZIP },
  mobi: { group: 'ebook', mime: 'application/x-mobipocket-ebook', signature: { magic: [{ at: 60, ascii: 'BOOKMOBI' }] } },
  azw3: { group: 'ebook', mime: 'application/vnd.amazon.ebook', signature: { magic: [{ at: 60, ascii: 'BOOKMOBI' }] } },
  fb2: { group: 'ebook', mime: 'application/x-fictionbook+xml', signature: { text: true } },
} as const satisfies Record<string, FormatInfo>;

export const EBOOK_ALIASES = { azw: 'azw3' } as const;
