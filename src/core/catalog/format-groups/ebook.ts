// The ebook formats: each one's media type, how its files start, and the other spellings users
// send for them.
import type { FormatInfo } from './format-info.js';
import { ZIP } from './signatures.js';

export const EBOOK_FORMATS = {
  epub: { group: 'ebook', mime: 'application/epub+zip', signature: ZIP },
  mobi: { group: 'ebook', mime: 'application/x-mobipocket-ebook', signature: { magic: [{ at: 60, ascii: 'BOOKMOBI' }] } },
  azw3: { group: 'ebook', mime: 'application/vnd.amazon.ebook', signature: { magic: [{ at: 60, ascii: 'BOOKMOBI' }] } },
  fb2: { group: 'ebook', mime: 'application/x-fictionbook+xml', signature: { text: true } },
  lit: { group: 'ebook', mime: 'application/x-ms-reader', signature: { magic: [{ ascii: 'ITOLITLS' }] } },
  /**
   * A Palm database: its type and creator at byte 60 name the reader calibre uses (PalmDoc,
   * eReader, Plucker, zTXT, Haodoo); a Mobipocket book (BOOKMOBI) is declared as mobi instead.
   */
  pdb: {
    group: 'ebook',
    mime: 'application/vnd.palm',
    signature: { magic: ['TEXtREAd', 'PNRdPPrs', 'PNPdPPrs', 'DataPlkr', 'zTXTGPlm', 'BOOKMTIT', 'BOOKMTIU'].map((ascii) => ({ at: 60, ascii })) },
  },
  lrf: { group: 'ebook', mime: 'application/x-sony-bbeb', signature: { magic: [{ hex: '4c0052004600' }] } },
  rb: { group: 'ebook', mime: 'application/x-rocketbook', signature: { magic: [{ hex: 'b00cb00c02004e55564f' }] } },
  snb: { group: 'ebook', mime: 'application/x-snb-ebook', signature: { magic: [{ ascii: 'SNBP000B' }] } },
  tcr: { group: 'ebook', mime: 'application/x-tcr-ebook', signature: { magic: [{ ascii: '!!8-Bit!!' }] } },
  /** eReader's Palm Markup Language, as text (its images are not read: the file comes alone). */
  pml: { group: 'ebook', mime: 'application/x-pml', signature: { text: true } },
  htmlz: { group: 'ebook', mime: 'application/htmlz+zip', signature: ZIP },
  txtz: { group: 'ebook', mime: 'application/txtz+zip', signature: ZIP },
  /** Comic book archives: the pages as images in a zip, rar or 7z archive. */
  cbz: { group: 'ebook', mime: 'application/vnd.comicbook+zip', signature: ZIP },
  cbr: { group: 'ebook', mime: 'application/vnd.comicbook-rar', signature: { magic: [{ hex: '526172211a07' }] } },
  cb7: { group: 'ebook', mime: 'application/x-cb7', signature: { magic: [{ hex: '377abcaf271c' }] } },
} as const satisfies Record<string, FormatInfo>;

export const EBOOK_ALIASES = { azw: 'azw3' } as const;
