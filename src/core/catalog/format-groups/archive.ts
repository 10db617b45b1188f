// The archive formats: each one's media type, how its files start, and the other spellings users
// send for them. Compressed tars start like their compressor's stream (a tar.zst is a zst whose
// content is a tar): the format named by inputformat picks the reading.
import type { FormatInfo, Signature } from './format-info.js';

const GZIP: Signature = { magic: [{ hex: '1f8b' }] };
const BZIP2: Signature = { magic: [{ ascii: 'BZh' }] };
const XZ: Signature = { magic: [{ hex: 'fd377a585a00' }] };
const ZSTD: Signature = { magic: [{ hex: '28b52ffd' }] };
const LZIP: Signature = { magic: [{ ascii: 'LZIP' }] };
const LZ4: Signature = { magic: [{ hex: '04224d18' }] };
// The .lzma ("LZMA alone") header has no mark: its first byte packs the coder's lc/lp/pb (0x5d,
// 3/0/2, the value every xz and 7-Zip preset writes), then the dictionary size as 32 bits
// little-endian, whose low two bytes are zero for every preset's size (64 KiB and up, powers of two).
const LZMA: Signature = { magic: [{ hex: '5d0000' }] };

export const ARCHIVE_FORMATS = {
  zip: { group: 'archive', mime: 'application/zip', signature: { magic: [{ ascii: 'PK\x03\x04' }, { ascii: 'PK\x05\x06' }] } },
  // No common start (the "ustar" mark at byte 257 is missing in old tars): the engine's tar parser checks every header.
  tar: { group: 'archive', mime: 'application/x-tar' },
  'tar.gz': { group: 'archive', mime: 'application/gzip', signature: GZIP },
  'tar.bz2': { group: 'archive', mime: 'application/x-bzip2', signature: BZIP2 },
  'tar.xz': { group: 'archive', mime: 'application/x-xz', signature: XZ },
  'tar.zst': { group: 'archive', mime: 'application/zstd', signature: ZSTD },
  'tar.lz': { group: 'archive', mime: 'application/x-lzip', signature: LZIP },
  'tar.lz4': { group: 'archive', mime: 'application/x-lz4', signature: LZ4 },
  'tar.lzma': { group: 'archive', mime: 'application/x-lzma', signature: LZMA },
  '7z': { group: 'archive', mime: 'application/x-7z-compressed', signature: { magic: [{ hex: '377abcaf271c' }] } },
  rar: { group: 'archive', mime: 'application/vnd.rar', signature: { magic: [{ ascii: 'Rar!\x1a\x07' }] } },
  // One compressed file (no archive inside): extracted, it is that file.
  gz: { group: 'archive', mime: 'application/gzip', signature: GZIP },
  bz2: { group: 'archive', mime: 'application/x-bzip2', signature: BZIP2 },
  xz: { group: 'archive', mime: 'application/x-xz', signature: XZ },
  zst: { group: 'archive', mime: 'application/zstd', signature: ZSTD },
  lz: { group: 'archive', mime: 'application/x-lzip', signature: LZIP },
  lz4: { group: 'archive', mime: 'application/x-lz4', signature: LZ4 },
  lzma: { group: 'archive', mime: 'application/x-lzma', signature: LZMA },
  // cpio: portable ASCII (070707), SVR4 "newc" (070701, what bsdtar writes) and its CRC variant
  // (070702), and the old binary header in either byte order.
  cpio: { group: 'archive', mime: 'application/x-cpio', signature: { magic: [{ ascii: '070707' }, { ascii: '070701' }, { ascii: '070702' }, { hex: 'c771' }, { hex: '71c7' }] } },
  // ar (static libraries, .a): a .deb is one too; inputformat=ar lists its three members.
  ar: { group: 'archive', mime: 'application/x-archive', signature: { magic: [{ ascii: '!<arch>\n' }] } },
  cab: { group: 'archive', mime: 'application/vnd.ms-cab-compressed', signature: { magic: [{ ascii: 'MSCF\0\0\0\0' }] } },
  // ISO 9660: 16 sectors of system area (zeros, or a hybrid image's boot code), then the first
  // volume descriptor, "CD001" at byte 32769: past the first 1024 bytes, so its check reads
  // signatureLength(signature) bytes (src/core/file-signatures.ts).
  iso: { group: 'archive', mime: 'application/x-iso9660-image', signature: { magic: [{ at: 32769, ascii: 'CD001' }] } },
  // An ar archive whose first member is debian-binary.
  deb: { group: 'archive', mime: 'application/vnd.debian.binary-package', signature: { magic: [{ ascii: '!<arch>\ndebian-binary' }] } },
  rpm: { group: 'archive', mime: 'application/x-rpm', signature: { magic: [{ hex: 'edabeedb' }] } },
} as const satisfies Record<string, FormatInfo>;

export const ARCHIVE_ALIASES = {
  tgz: 'tar.gz',
  tbz2: 'tar.bz2',
  tbz: 'tar.bz2',
  txz: 'tar.xz',
  tzst: 'tar.zst',
  'tar.zstd': 'tar.zst',
  tlz: 'tar.lz',
  'tar.lzip': 'tar.lz',
  gzip: 'gz',
  bzip2: 'bz2',
  zstd: 'zst',
  lzip: 'lz',
  tlzma: 'tar.lzma',
  a: 'ar',
} as const;
