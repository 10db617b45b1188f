// The archive engine: mode=archive packs several files into one archive; mode=extract unpacks
// an archive into its files.
import type { EngineCatalog } from '../engine-record.js';
import type { Format } from '../formats.js';
import type { OptionSpecs } from '../options.js';

/** Formats of one compressed file: mode=archive compresses exactly one input into them, mode=extract gives that file back. */
export const SINGLE_FILE_FORMATS: readonly Format[] = ['gz', 'bz2', 'xz', 'zst', 'lz', 'lz4', 'lzma'];
/**
 * What mode=archive writes (`outputformat`). An iso is an ISO 9660 image with Rock Ridge and
 * Joliet names (bsdtar's writer); cpio is the SVR4 "newc" form; ar the GNU form (binutils').
 */
export const ARCHIVE_OUTPUTS: readonly Format[] = ['zip', 'tar', 'tar.gz', 'tar.bz2', 'tar.xz', 'tar.zst', 'tar.lz', 'tar.lz4', 'tar.lzma', '7z', 'cpio', 'ar', 'iso', ...SINGLE_FILE_FORMATS];
/**
 * Written, never read: cpio and ar are text from their first byte (headers and, for text
 * entries, contents), and libarchive, which guesses the format it reads, then also tries its
 * uudecode filter and its mtree reader on them: an entry holding a uuencoded mtree makes it read
 * files named there from the server's disk. No reader that takes the format as given is at hand.
 */
const WRITE_ONLY: readonly Format[] = ['cpio', 'ar'];
/**
 * What mode=extract reads (`inputformat`). RAR, CAB and RPM packages are read (libarchive),
 * never written: no free RAR writer exists, and the others are distribution formats with
 * metadata of their own. A .deb gives its installed files (not its control files).
 */
export const EXTRACT_INPUTS: readonly Format[] = [...ARCHIVE_OUTPUTS.filter((f) => !WRITE_ONLY.includes(f)), 'rar', 'cab', 'deb', 'rpm'];

export const ARCHIVE_OPTIONS = {
  compression_level: {
    type: 'integer',
    min: 1,
    max: 9,
    default: null,
    description: 'How hard to compress: 1 is fastest, 9 is smallest; empty keeps the format\'s usual level. Ignored for tar (not compressed).',
  },
} as const satisfies OptionSpecs;

/**
 * No options: encrypted archives are refused (libarchive cannot decrypt 7z, and passing
 * passwords to bsdtar's reader is not possible in the streaming mode extraction relies on).
 */
export const EXTRACT_OPTIONS = {} as const satisfies OptionSpecs;

export const ARCHIVE_ENGINE = {
  archive: { outputs: ARCHIVE_OUTPUTS, options: ARCHIVE_OPTIONS, extractInputs: EXTRACT_INPUTS, extractOptions: EXTRACT_OPTIONS },
} as const satisfies EngineCatalog;
