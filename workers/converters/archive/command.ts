// Pure builders for the archive engine: bsdtar argument lists for packing, the compressor
// commands for one-file formats, and where each readable format's contents come from.
import { FORMATS, type Format } from '../../../src/core/catalog/index.js';
import type { FormatInfo, Signature } from '../../../src/core/catalog/format-groups/format-info.js';
import { matchesSignature, signatureLength } from '../../../src/core/file-signatures.js';
import type { TarSource } from '../../archive-reading/tar-source.js';

export { TOOL_ENV, type TarSource } from '../../archive-reading/tar-source.js';

/**
 * The stream compressors, each a format of one compressed file and the filter of a compressed
 * tar. `pack`/`unpack` precede the level flag (`-1`..`-9`, which every one of them takes) and the
 * file; everything goes to stdout. `-n`: gzip keeps the server's file name and time out.
 */
const COMPRESSORS = {
  gz: { binary: 'gzip', pack: ['-c', '-n'], unpack: ['-dc'], bsdtarFilter: '-z', levelOption: 'gzip:compression-level' },
  bz2: { binary: 'bzip2', pack: ['-c'], unpack: ['-dc'], bsdtarFilter: '-j', levelOption: 'bzip2:compression-level' },
  // --format=xz: xz would otherwise also read the older .lzma format.
  xz: { binary: 'xz', pack: ['-c'], unpack: ['-dc', '--format=xz'], bsdtarFilter: '-J', levelOption: 'xz:compression-level' },
  zst: { binary: 'zstd', pack: ['-q', '-c'], unpack: ['-q', '-dc'], bsdtarFilter: '--zstd', levelOption: 'zstd:compression-level' },
  lz: { binary: 'lzip', pack: ['-q', '-c'], unpack: ['-q', '-dc'], bsdtarFilter: '--lzip', levelOption: 'lzip:compression-level' },
  lz4: { binary: 'lz4', pack: ['-q', '-c'], unpack: ['-q', '-dc'], bsdtarFilter: '--lz4', levelOption: 'lz4:compression-level' },
  // The legacy .lzma ("LZMA alone") stream, by xz; --format=lzma both ways.
  lzma: { binary: 'xz', pack: ['-c', '--format=lzma'], unpack: ['-dc', '--format=lzma'], bsdtarFilter: '--lzma', levelOption: 'lzma:compression-level' },
} as const satisfies Partial<Record<Format, { binary: string; pack: readonly string[]; unpack: readonly string[]; bsdtarFilter: string; levelOption: string }>>;
/** A format of one compressed file (gz, bz2, xz, zst, lz, lz4, lzma). */
export type SingleFileFormat = keyof typeof COMPRESSORS;

export function isSingleFileFormat(format: Format): format is SingleFileFormat {
  return Object.hasOwn(COMPRESSORS, format);
}

/** Each compressed tar and its compressor. */
const COMPRESSED_TARS = { 'tar.gz': 'gz', 'tar.bz2': 'bz2', 'tar.xz': 'xz', 'tar.zst': 'zst', 'tar.lz': 'lz', 'tar.lz4': 'lz4', 'tar.lzma': 'lzma' } as const satisfies Partial<Record<Format, SingleFileFormat>>;
type CompressedTar = keyof typeof COMPRESSED_TARS;

/** The formats bsdtar writes from several files, and how. */
const PACK_FORMATS = {
  zip: { format: 'zip', filter: undefined, levelOption: 'zip:compression-level' },
  tar: { format: 'pax', filter: undefined, levelOption: undefined },
  ...(Object.fromEntries(
    Object.entries(COMPRESSED_TARS).map(([tar, c]) => [tar, { format: 'pax', filter: COMPRESSORS[c].bsdtarFilter, levelOption: COMPRESSORS[c].levelOption }]),
  ) as Record<CompressedTar, { format: 'pax'; filter: string; levelOption: string }>),
  '7z': { format: '7zip', filter: undefined, levelOption: '7zip:compression-level' },
  cpio: { format: 'newc', filter: undefined, levelOption: undefined },
  ar: { format: 'argnu', filter: undefined, levelOption: undefined },
  // ISO 9660 level 1 names are 8.3: the Rock Ridge and Joliet records (on by default) keep the
  // real names. Not compressed (zisofs stays off), so no level.
  iso: { format: 'iso9660', filter: undefined, levelOption: undefined },
} as const satisfies Partial<Record<Format, { format: string; filter: string | undefined; levelOption: string | undefined }>>;
export type PackFormat = keyof typeof PACK_FORMATS;

export function isPackFormat(format: Format): format is PackFormat {
  return Object.hasOwn(PACK_FORMATS, format);
}

export interface PackCommand {
  readonly format: PackFormat;
  /** The archive to write. */
  readonly output: string;
  /** Folder holding exactly the files to pack, under their entry names. */
  readonly folder: string;
  /** File listing the entry names, NUL-separated (so no name is ever read as an option). */
  readonly listFile: string;
  /** 1 (fastest) to 9 (smallest), or null for the format's default. */
  readonly level: number | null;
}

/**
 * `bsdtar -c` of the listed files, names relative to `folder`. Owner names, extended attributes,
 * ACLs and file flags of the server's files stay out of the archive.
 */
export function buildPackArgs(command: PackCommand): string[] {
  const spec = PACK_FORMATS[command.format];
  const level = command.level !== null && spec.levelOption !== undefined ? ['--options', `${spec.levelOption}=${command.level}`] : [];
  return [
    '-c',
    '-f',
    command.output,
    '--format',
    spec.format,
    ...(spec.filter === undefined ? [] : [spec.filter]),
    ...level,
    '--uid',
    '0',
    '--gid',
    '0',
    '--uname',
    '',
    '--gname',
    '',
    '--no-xattrs',
    '--no-acls',
    '--no-fflags',
    '-C',
    command.folder,
    '--null',
    '-T',
    command.listFile,
  ];
}

/** The contents of `listFile` for these entry names. */
export function packListContents(names: readonly string[]): string {
  return names.map((name) => `${name}\0`).join('');
}

/** A tool run whose stdout is the data wanted. */
export interface StreamCommand {
  readonly binary: string;
  readonly args: readonly string[];
  /** The tool named in errors. */
  readonly label: string;
}

/** The compressor writing `file` compressed as `format` to stdout; level 1-9 or null (its default). */
export function compressCommand(format: SingleFileFormat, file: string, level: number | null): StreamCommand {
  const spec = COMPRESSORS[format];
  return { binary: spec.binary, args: [...spec.pack, ...(level === null ? [] : [`-${level}`]), '--', file], label: spec.binary };
}

/** The decompressor writing the content of `file` (a `format` stream) to stdout. */
export function decompressCommand(format: SingleFileFormat, file: string): StreamCommand {
  const spec = COMPRESSORS[format];
  return { binary: spec.binary, args: [...spec.unpack, '--', file], label: spec.binary };
}

/** The formats read through bsdtar's own readers (libarchive), after their signature was checked. */
const LIBARCHIVE_FORMATS = ['zip', '7z', 'rar', 'cab', 'iso', 'rpm'] as const satisfies readonly Format[];

/** The formats mode=extract reads as archives of several entries. */
const ARCHIVE_READS = ['tar', ...(Object.keys(COMPRESSED_TARS) as CompressedTar[]), ...LIBARCHIVE_FORMATS, 'deb'] as const;
export type ArchiveReadFormat = (typeof ARCHIVE_READS)[number];
/** Every format mode=extract reads: archives, and one-file formats (whose content is the one output). */
export type ExtractFormat = ArchiveReadFormat | SingleFileFormat;

export function isExtractFormat(format: Format): format is ExtractFormat {
  return (ARCHIVE_READS as readonly string[]).includes(format) || isSingleFileFormat(format);
}

/** The catalog's signature of `format`, if it has one. */
const signatureOf = (format: ExtractFormat): Signature | undefined => {
  const info: FormatInfo = FORMATS[format];
  return info.signature;
};

/** How many bytes of the file's start hasSignature needs for `format`. */
export function headLength(format: ExtractFormat): number {
  const signature = signatureOf(format);
  return signature === undefined ? 0 : signatureLength(signature);
}

/**
 * Whether a file starting with `head` (headLength(format) bytes, or the whole file) is of
 * `format`, by the catalog's signature. tar has none at its start; its parser checks each header.
 */
export function hasSignature(format: ExtractFormat, head: Buffer): boolean {
  const signature = signatureOf(format);
  if (signature === undefined) return true;
  return matchesSignature(signature, head) && (format !== 'iso' || startsBinary(head));
}

/**
 * Whether the first 16 bytes hold a byte no text line has. An ISO image's signature is 32 KB in:
 * its start (the system area: zeros, or a hybrid image's boot code) is free, and libarchive takes
 * a file starting with mtree or uuencode text for those formats even with "CD001" further on. A
 * text start is therefore refused, as in no real ISO image.
 */
function startsBinary(head: Buffer): boolean {
  return [...head.subarray(0, 16)].some((b) => b < 0x09 || (b > 0x0d && b < 0x20) || b >= 0x7f);
}

/**
 * Compressed tars are only decompressed: their contents must then be tar. A .deb's files are the
 * tar dpkg-deb takes out of it (the package's control files stay in). zip, 7z, rar, cab, iso and
 * rpm are converted by bsdtar into one pax tar stream on stdout, names and types unchanged;
 * nothing is written to disk. bsdtar runs under `setsid` so it has no terminal to ask for a
 * passphrase on (encrypted archives then fail at once instead of waiting).
 *
 * Why not bsdtar for everything: libarchive guesses the format, and one it accepts (mtree, a
 * text format, also inside gzip or uuencode) makes it read files named in the "archive" from
 * the server's disk. Tars therefore never reach libarchive, and the others only after their
 * signature was checked (which mtree and uuencode text never start with). cpio and ar, text
 * from their first byte (uuencode's filter reads past such a start), are written only.
 */
export function tarSource(format: ArchiveReadFormat, archive: string, bsdtar: string): TarSource {
  if (format === 'tar') return { kind: 'file' };
  if (format === 'deb') return { kind: 'tool', binary: 'dpkg-deb', args: ['--fsys-tarfile', '--', archive], label: 'dpkg-deb' };
  if (Object.hasOwn(COMPRESSED_TARS, format)) return { kind: 'tool', ...decompressCommand(COMPRESSED_TARS[format as CompressedTar], archive) };
  return { kind: 'tool', binary: 'setsid', args: ['-w', bsdtar, '-c', '-f', '-', '--format', 'pax', `@${archive}`], label: 'bsdtar' };
}

/** Suffixes of one-file formats, and what a name ending in them stands for once decompressed. */
const SUFFIXES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\.(?:tgz|taz)$/i, '.tar'],
  [/\.(?:tbz2?|tbz)$/i, '.tar'],
  [/\.txz$/i, '.tar'],
  [/\.tzst$/i, '.tar'],
  [/\.tlz$/i, '.tar'],
  [/\.tlzma$/i, '.tar'],
  [/\.(?:gz|gzip|bz2|bzip2|xz|zst|zstd|lz|lzip|lz4|lzma)$/i, ''],
];

/** The name of the file inside a one-file archive named `archiveName`: `notes.txt.gz` holds `notes.txt`. */
export function decompressedName(archiveName: string): string {
  for (const [suffix, replacement] of SUFFIXES) {
    if (suffix.test(archiveName)) {
      const name = archiveName.replace(suffix, replacement);
      if (name !== '' && name !== replacement) return name;
    }
  }
  return archiveName === '' ? 'file' : archiveName;
}
