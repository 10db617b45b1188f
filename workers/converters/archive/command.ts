// Pure builders for the archive engine: bsdtar argument lists for packing and for reading an
// archive as one plain tar stream.
import type { Format } from '../../../src/core/catalog/index.js';
import type { TarSource } from '../../archive-reading/tar-source.js';

export { TOOL_ENV, type TarSource } from '../../archive-reading/tar-source.js';

/** The formats mode=archive writes, and how bsdtar writes each. */
const PACK_FORMATS = {
  zip: { format: 'zip', filter: [], levelOption: 'zip:compression-level' },
  tar: { format: 'pax', filter: [], levelOption: undefined },
  'tar.gz': { format: 'pax', filter: ['-z'], levelOption: 'gzip:compression-level' },
  'tar.bz2': { format: 'pax', filter: ['-j'], levelOption: 'bzip2:compression-level' },
  'tar.xz': { format: 'pax', filter: ['-J'], levelOption: 'xz:compression-level' },
  '7z': { format: '7zip', filter: [], levelOption: '7zip:compression-level' },
} as const satisfies Partial<Record<Format, { format: string; filter: readonly string[]; levelOption: string | undefined }>>;
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
    ...spec.filter,
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

/** How the start of each extractable format must look, checked before any tool reads the file. */
const SIGNATURES = {
  zip: [Buffer.from('PK\x03\x04', 'latin1'), Buffer.from('PK\x05\x06', 'latin1')],
  '7z': [Buffer.from('377abcaf271c', 'hex')],
  rar: [Buffer.from('Rar!\x1a\x07', 'latin1')],
  'tar.gz': [Buffer.from('1f8b', 'hex')],
  'tar.bz2': [Buffer.from('BZh', 'latin1')],
  'tar.xz': [Buffer.from('fd377a585a00', 'hex')],
  tar: [],
} as const satisfies Partial<Record<Format, readonly Buffer[]>>;
export type ExtractFormat = keyof typeof SIGNATURES;

export function isExtractFormat(format: Format): format is ExtractFormat {
  return Object.hasOwn(SIGNATURES, format);
}

/** Whether a file starting with `head` is of `format` (tar has no signature at its start; its parser checks each header). */
export function hasSignature(format: ExtractFormat, head: Buffer): boolean {
  const signatures: readonly Buffer[] = SIGNATURES[format];
  return signatures.length === 0 || signatures.some((s) => head.subarray(0, s.length).equals(s));
}

/**
 * Compressed tars are only decompressed (gzip, bzip2, xz): their contents must then be tar.
 * zip, 7z and rar are converted by bsdtar into one pax tar stream on stdout, names and types
 * unchanged; nothing is written to disk. bsdtar runs under `setsid` so it has no terminal to
 * ask for a passphrase on (encrypted archives then fail at once instead of waiting).
 *
 * Why not bsdtar for everything: libarchive guesses the format, and one it accepts (mtree, a
 * text format, also inside gzip or uuencode) makes it read files named in the "archive" from
 * the server's disk. Tars therefore never reach libarchive, and the others only after their
 * signature was checked (which mtree and uuencode text never start with).
 */
export function tarSource(format: ExtractFormat, archive: string, bsdtar: string): TarSource {
  switch (format) {
    case 'tar':
      return { kind: 'file' };
    case 'tar.gz':
      return { kind: 'tool', binary: 'gzip', args: ['-dc', '--', archive], label: 'gzip' };
    case 'tar.bz2':
      return { kind: 'tool', binary: 'bzip2', args: ['-dc', '--', archive], label: 'bzip2' };
    case 'tar.xz':
      return { kind: 'tool', binary: 'xz', args: ['-dc', '--', archive], label: 'xz' };
    case 'zip':
    case '7z':
    case 'rar':
      return { kind: 'tool', binary: 'setsid', args: ['-w', bsdtar, '-c', '-f', '-', '--format', 'pax', `@${archive}`], label: 'bsdtar' };
  }
}
