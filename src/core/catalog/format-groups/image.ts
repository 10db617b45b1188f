// The image formats: each one's media type, how its files start, and the other spellings users
// send for them.
import type { FormatInfo } from './format-info.js';

/** The ISO base media file box every HEIF/AVIF file starts with (its size, then `ftyp`). */
const FTYP = { at: 4, ascii: 'ftyp' } as const;
/** Netpbm headers: P1-P6 (plain and raw bitmap, graymap, pixmap). */
const netpbm = (...kinds: readonly number[]): { readonly magic: ReadonlyArray<{ readonly ascii: string }> } => ({ magic: kinds.map((k) => ({ ascii: `P${k}` })) });

export const IMAGE_FORMATS = {
  png: { group: 'image', mime: 'image/png' },
  jpg: { group: 'image', mime: 'image/jpeg' },
  webp: { group: 'image', mime: 'image/webp', signature: { magic: [{ at: 8, ascii: 'WEBP' }] } },
  gif: { group: 'image', mime: 'image/gif' },
  tiff: { group: 'image', mime: 'image/tiff' },
  avif: { group: 'image', mime: 'image/avif', signature: { magic: [FTYP] } },
  heif: { group: 'image', mime: 'image/heif', signature: { magic: [FTYP] } },
  bmp: { group: 'image', mime: 'image/bmp', signature: { magic: [{ ascii: 'BM' }] } },
  ico: { group: 'image', mime: 'image/vnd.microsoft.icon', signature: { magic: [{ hex: '00000100' }] } },
  cur: { group: 'image', mime: 'image/x-icon', signature: { magic: [{ hex: '00000200' }] } },
  psd: { group: 'image', mime: 'image/vnd.adobe.photoshop', signature: { magic: [{ ascii: '8BPS' }] } },
  // Targa has no magic number at its start (its optional footer is at the end).
  tga: { group: 'image', mime: 'image/x-tga', signature: { any: true } },
  pcx: { group: 'image', mime: 'image/vnd.zbrush.pcx', signature: { magic: [{ hex: '0a00' }, { hex: '0a02' }, { hex: '0a03' }, { hex: '0a04' }, { hex: '0a05' }] } },
  ppm: { group: 'image', mime: 'image/x-portable-pixmap', signature: netpbm(3, 6) },
  pgm: { group: 'image', mime: 'image/x-portable-graymap', signature: netpbm(2, 5) },
  pbm: { group: 'image', mime: 'image/x-portable-bitmap', signature: netpbm(1, 4) },
  pnm: { group: 'image', mime: 'image/x-portable-anymap', signature: netpbm(1, 2, 3, 4, 5, 6) },
  // C source: `#define name_width 16`, possibly after a comment.
  xbm: { group: 'image', mime: 'image/x-xbitmap', signature: { text: true } },
  xpm: { group: 'image', mime: 'image/x-xpixmap', signature: { magic: [{ ascii: '/* XPM */' }, { ascii: '! XPM2' }] } },
  exr: { group: 'image', mime: 'image/x-exr', signature: { magic: [{ hex: '762f3101' }] } },
  hdr: { group: 'image', mime: 'image/vnd.radiance', signature: { magic: [{ ascii: '#?RADIANCE' }, { ascii: '#?RGBE' }] } },
  dds: { group: 'image', mime: 'image/vnd-ms.dds', signature: { magic: [{ ascii: 'DDS ' }] } },
  jp2: { group: 'image', mime: 'image/jp2', signature: { magic: [{ hex: '0000000c6a5020200d0a870a' }] } },
  j2k: { group: 'image', mime: 'image/x-jp2-codestream', signature: { magic: [{ hex: 'ff4fff51' }] } },
  // A bare codestream or the ISO BMFF container.
  jxl: { group: 'image', mime: 'image/jxl', signature: { magic: [{ hex: 'ff0a' }, { hex: '0000000c4a584c200d0a870a' }] } },
  // Adobe's Digital Negative: a TIFF (either byte order) holding the sensor's mosaic.
  dng: { group: 'image', mime: 'image/x-adobe-dng', signature: { magic: [{ ascii: 'II*\0' }, { ascii: 'MM\0*' }] } },
  // Silicon Graphics image: the big-endian magic 474.
  sgi: { group: 'image', mime: 'image/x-sgi', signature: { magic: [{ hex: '01da' }] } },
  // Sun raster.
  ras: { group: 'image', mime: 'image/x-sun-raster', signature: { magic: [{ hex: '59a66a95' }] } },
  // Wireless bitmap: type 0 and a zero fixed header, then the size (no magic number beyond that).
  wbmp: { group: 'image', mime: 'image/vnd.wap.wbmp', signature: { magic: [{ hex: '0000' }] } },
  // Netpbm's arbitrary map and the portable float map (colour PF, grey Pf).
  pam: { group: 'image', mime: 'image/x-portable-arbitrarymap', signature: { magic: [{ ascii: 'P7\n' }] } },
  pfm: { group: 'image', mime: 'image/x-portable-floatmap', signature: { magic: [{ ascii: 'PF\n' }, { ascii: 'Pf\n' }, { ascii: 'PF\r' }, { ascii: 'Pf\r' }] } },
  // X window dump: the header size, then file version 7 (either byte order).
  xwd: { group: 'image', mime: 'image/x-xwindowdump', signature: { magic: [{ at: 4, hex: '00000007' }, { at: 4, hex: '07000000' }] } },
  // Flexible Image Transport System: 80-character header cards, the first one SIMPLE.
  fits: { group: 'image', mime: 'image/fits', signature: { magic: [{ ascii: 'SIMPLE  =' }] } },
  // ImageMagick's own format: a text header starting with the id key.
  miff: { group: 'image', mime: 'image/x-miff', signature: { magic: [{ ascii: 'id=ImageMagick' }] } },
  // Multiple-image and JPEG network graphics: PNG's siblings with signatures of their own.
  mng: { group: 'image', mime: 'video/x-mng', signature: { magic: [{ hex: '8a4d4e470d0a1a0a' }] } },
  jng: { group: 'image', mime: 'image/x-jng', signature: { magic: [{ hex: '8b4a4e470d0a1a0a' }] } },
  // QuickDraw picture: a 512-byte application header, the picture's size and frame, then the version opcode (2 or 1).
  pict: { group: 'image', mime: 'image/x-pict', signature: { magic: [{ at: 522, hex: '001102ff' }, { at: 522, hex: '1101' }] } },
  // Khoros visualisation image file.
  viff: { group: 'image', mime: 'image/x-viff', signature: { magic: [{ hex: 'ab01' }] } },
} as const satisfies Record<string, FormatInfo>;

export const IMAGE_ALIASES = { jpeg: 'jpg', jpe: 'jpg', tif: 'tiff', heic: 'heif', hif: 'heif', jpf: 'jp2', j2c: 'j2k', jpc: 'j2k', targa: 'tga', icon: 'ico', sun: 'ras', fit: 'fits', fts: 'fits', pct: 'pict' } as const;
