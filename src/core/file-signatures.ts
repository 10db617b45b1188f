// How files of a format start, checked before a tool opens an upload: tools that pick their
// reader from a name or from the first bytes must get the format the client declared, or
// nothing. The checks are pure; readHead is the one file read they need.
import { open } from 'node:fs/promises';
import type { Signature } from './catalog/format-groups/format-info.js';

/** How many bytes of a file's start the checks below need. */
export const SIGNATURE_BYTES = 1024;

/** The first `bytes` bytes of a file (fewer when it is shorter); SIGNATURE_BYTES by default. */
export async function readHead(file: string, bytes = SIGNATURE_BYTES): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(bytes), 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export const SIGNED_FORMATS = ['pdf', 'png', 'jpg', 'gif', 'tiff'] as const;
export type SignedFormat = (typeof SIGNED_FORMATS)[number];

const PDF_HEADER = Buffer.from('%PDF-', 'latin1');

const startsWith = (head: Uint8Array, bytes: readonly number[], at = 0): boolean => bytes.every((b, i) => head[at + i] === b);
const latin1 = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

/**
 * Whether a PDF reader (and Ghostscript) takes the file as a PDF: `%PDF-` within its first 1024
 * bytes, and no '%' before it. Ghostscript runs a file as PostScript when it starts with `%!` or
 * `%%`, or has `%!PS` before `%PDF-`, even if `%PDF-` follows (gs 10 pdf_main.ps, `run`); a PJL
 * prefix (ESC%-12345X) also switches to PostScript. Every one of these has a '%' first.
 */
export function startsLikePdf(head: Uint8Array): boolean {
  const bytes = Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, SIGNATURE_BYTES));
  const header = bytes.indexOf(PDF_HEADER);
  // The header must end within the 1023 bytes Ghostscript peeks at.
  return header !== -1 && header + PDF_HEADER.length < SIGNATURE_BYTES && bytes.indexOf(0x25) === header;
}

/** Whether the file starts like `format` (PNG, JPEG, GIF, TIFF or BigTIFF signature, or a PDF header). */
export function startsLike(format: SignedFormat, head: Uint8Array): boolean {
  switch (format) {
    case 'pdf':
      return startsLikePdf(head);
    case 'png':
      return startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case 'jpg':
      return startsWith(head, [0xff, 0xd8, 0xff]);
    case 'gif':
      return startsWith(head, latin1('GIF87a')) || startsWith(head, latin1('GIF89a'));
    case 'tiff':
      return [latin1('II*\0'), latin1('MM\0*'), latin1('II+\0'), latin1('MM\0+')].some((magic) => startsWith(head, magic));
  }
}

const DESCRIPTION: Readonly<Record<SignedFormat, string>> = {
  pdf: 'a PDF (with %PDF- in its first 1024 bytes, and no PostScript before it)',
  png: 'a PNG image',
  jpg: 'a JPEG image',
  gif: 'a GIF image',
  tiff: 'a TIFF image',
};

/** What a client reads when `label` (e.g. "The pdf file") does not start like `format`. */
export function notLikeMessage(format: SignedFormat, label = `The ${format} file`): string {
  return `${label} is not ${DESCRIPTION[format]}. Check that the file really is ${format} and that inputformat says so.`;
}

export const isSignedFormat = (format: string): format is SignedFormat => (SIGNED_FORMATS as readonly string[]).includes(format);

/** Whether `head` (a file's first bytes) has one of `signature`'s byte strings, or is text. */
export function matchesSignature(signature: Signature, head: Uint8Array): boolean {
  if ('any' in signature) return true;
  // UTF-16 text (with its byte order mark) has NUL bytes in every other place.
  if ('text' in signature) return !head.includes(0) || startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff]);
  return signature.magic.some((m) => {
    const bytes = m.hex !== undefined ? Buffer.from(m.hex, 'hex') : Buffer.from(m.ascii ?? '', 'latin1');
    return startsWith(head, [...bytes], m.at ?? 0);
  });
}

/**
 * How many bytes of a file's start `signature` needs: SIGNATURE_BYTES, or more for magic bytes
 * placed further in (an ISO 9660 image's "CD001" at byte 32769).
 */
export function signatureLength(signature: Signature): number {
  if (!('magic' in signature)) return SIGNATURE_BYTES;
  const ends = signature.magic.map((m) => (m.at ?? 0) + (m.hex !== undefined ? m.hex.length / 2 : (m.ascii ?? '').length));
  return Math.max(SIGNATURE_BYTES, ...ends);
}
