// Finds relationships of a .docx that point at local files (Target="file:///..."). calibre's
// DOCX reader opens such linked images from the worker's own disk and embeds them in the ebook,
// so a crafted document could carry out /proc/<pid>/environ or another job's file.
import { promisify } from 'node:util';
import { inflateRaw } from 'node:zlib';

const inflate = promisify(inflateRaw);

const LOCAL_HEADER = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const CENTRAL_HEADER = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
const DEFLATE = 8;
/** A part inflating beyond this is not searched (relationship parts are a few kB). */
const MAX_PART_BYTES = 64 * 1024 * 1024;

const TARGET_FILE = /\bTarget\s*=\s*["'][^"']*?file:/i;

/** Numeric character references decoded, so Target="&#102;ile:..." is seen as file:. */
function decodeCharRefs(text: string): string {
  const char = (code: number): string => (code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '');
  return text.replace(/&#x([0-9a-f]{1,8});?/gi, (_, hex: string) => char(parseInt(hex, 16))).replace(/&#(\d{1,8});?/g, (_, dec: string) => char(Number(dec)));
}

/** Whether XML bytes (UTF-8 or UTF-16 either way round) hold a relationship Target of a file: URL. */
export function hasLocalFileTarget(xml: Buffer): boolean {
  const even = xml.subarray(0, xml.length - (xml.length % 2));
  const texts = [xml.toString('utf8'), even.toString('utf16le'), Buffer.from(even).swap16().toString('utf16le')];
  return texts.some((text) => TARGET_FILE.test(decodeCharRefs(text)));
}

/** Every offset of `signature` in `bytes`. */
function offsetsOf(bytes: Buffer, signature: Buffer): number[] {
  const found: number[] = [];
  for (let at = bytes.indexOf(signature); at !== -1; at = bytes.indexOf(signature, at + 1)) found.push(at);
  return found;
}

/** Names the central directory gives the part at each local header offset. */
function centralNames(zip: Buffer): Map<number, string> {
  const names = new Map<number, string>();
  for (const at of offsetsOf(zip, CENTRAL_HEADER)) {
    if (at + 46 > zip.length) continue;
    const length = zip.readUInt16LE(at + 28);
    names.set(zip.readUInt32LE(at + 42), zip.toString('utf8', at + 46, Math.min(zip.length, at + 46 + length)));
  }
  return names;
}

/**
 * Whether a docx links a local file. Searches every part a lenient reader could find (every
 * local header, whatever the central directory says, as calibre falls back to reading local
 * headers) and the raw bytes (stored parts). A relationship part too large to search counts
 * as a link, so nothing passes unchecked.
 */
export async function docxLinksLocalFiles(zip: Buffer): Promise<boolean> {
  if (hasLocalFileTarget(zip)) return true;
  const central = centralNames(zip);
  for (const at of offsetsOf(zip, LOCAL_HEADER)) {
    if (at + 30 > zip.length || zip.readUInt16LE(at + 8) !== DEFLATE) continue;
    const nameLength = zip.readUInt16LE(at + 26);
    const start = at + 30 + nameLength + zip.readUInt16LE(at + 28);
    const names = [zip.toString('utf8', at + 30, Math.min(zip.length, at + 30 + nameLength)), central.get(at) ?? ''];
    // A deflate stream ends by itself: inflating to the end of the file ignores lying sizes.
    const part = await inflate(zip.subarray(start), { maxOutputLength: MAX_PART_BYTES }).catch((error: { code?: string }) => (error.code === 'ERR_BUFFER_TOO_LARGE' ? 'too-large' : undefined));
    if (part === 'too-large' && names.some((name) => /\.rels$/i.test(name))) return true;
    if (part instanceof Buffer && hasLocalFileTarget(part)) return true;
  }
  return false;
}
