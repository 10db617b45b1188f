// The ebook formats: each one's media type, and the other spellings users send for them.
import type { FormatInfo } from './format-info.js';

export const EBOOK_FORMATS = {
  epub: { group: 'ebook', mime: 'application/epub+zip' },
  mobi: { group: 'ebook', mime: 'application/x-mobipocket-ebook' },
  azw3: { group: 'ebook', mime: 'application/vnd.amazon.ebook' },
  fb2: { group: 'ebook', mime: 'application/x-fictionbook+xml' },
} as const satisfies Record<string, FormatInfo>;

export const EBOOK_ALIASES = { azw: 'azw3' } as const;
