// Finds relationships of a .docx that point at local files (Target="file:///..."). calibre's
// DOCX reader opens such linked images from the worker's own disk and embeds them in the ebook,
// so a crafted document could carry out /proc/<pid>/environ or another job's file.
import { promisify } from 'node:util';
import { constants, inflateRaw } from 'node:zlib';
import { xmlEncodingSearchable } from './xml-encoding.js';
import { readZipEntries, ZipStructureError, type ZipEntry } from './zip-structure.js';

const inflate = promisify(inflateRaw);

const LOCAL_HEADER = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
/** A part inflating beyond this is not searched (relationship parts are a few kB). */
const MAX_PART_BYTES = 64 * 1024 * 1024;
/**
 * All readings together may inflate this much: nested local headers could otherwise make the
 * search inflate the same bytes thousands of times (a real docx inflates each part about once).
 */
const MAX_TOTAL_BYTES = 1024 * 1024 * 1024;

const TARGET_FILE = /\bTarget\s*=\s*["'][^"']*?file:/i;

export type DocxVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly problem: 'local-link' }
  | { readonly ok: false; readonly problem: 'structure'; readonly detail: string };

const LOCAL_LINK: DocxVerdict = { ok: false, problem: 'local-link' };

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

type Inflated = Buffer | 'too-large';

class BudgetExceeded extends Error {}

/** Inflates, counting the output against the whole search's budget. */
function inflater(): (bytes: Buffer) => Promise<Buffer> {
  let total = 0;
  return async (bytes) => {
    // Sync flush: input that stops mid-stream gives what it holds instead of an error.
    const out = await inflate(bytes, { maxOutputLength: MAX_PART_BYTES, finishFlush: constants.Z_SYNC_FLUSH });
    total += out.length;
    if (total > MAX_TOTAL_BYTES) throw new BudgetExceeded();
    return out;
  };
}

/**
 * Everything a raw deflate stream starting at `bytes` yields before it ends or breaks. A reader
 * that stops early (a lying size) or that keeps what it inflated before an error sees a prefix
 * of this; zlib gives nothing at all for input with an error, so the longest readable prefix
 * is found by halving.
 */
async function inflateAll(bytes: Buffer, inflatePrefix: (bytes: Buffer) => Promise<Buffer>): Promise<Inflated | undefined> {
  const attempt = (length: number): Promise<Inflated | undefined> =>
    inflatePrefix(bytes.subarray(0, length)).catch((error: { code?: string }) => {
      if (error instanceof BudgetExceeded) throw error;
      return error.code === 'ERR_BUFFER_TOO_LARGE' ? 'too-large' : undefined;
    });
  const whole = await attempt(bytes.length);
  if (whole !== undefined) return whole;
  let [good, bad] = [0, bytes.length];
  let best: Inflated | undefined;
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    const result = await attempt(middle);
    if (result === undefined) bad = middle;
    else [good, best] = [middle, result];
  }
  return best;
}

/** The local header's name: with its data start, what a lenient reader takes from it. */
function localPart(zip: Buffer, at: number): { name: string; dataStart: number } | undefined {
  if (at + 30 > zip.length) return undefined;
  const nameLength = zip.readUInt16LE(at + 26);
  return { name: zip.toString('utf8', at + 30, Math.min(zip.length, at + 30 + nameLength)), dataStart: at + 30 + nameLength + zip.readUInt16LE(at + 28) };
}

/** calibre reads relationships from parts named *.rels (Python's zipfile cuts a name at a NUL). */
const isRelsName = (name: string): boolean => /\.rels$/i.test(name.split('\u0000')[0] ?? '');

const TARGET = [Buffer.from('Target'), Buffer.from('Target', 'utf16le'), Buffer.from('Target', 'utf16le').swap16()];

/**
 * The stored bytes of every part are the file's own bytes: searched whole, at both alignments
 * for UTF-16, when an attribute name lxml would read as Target occurs at all (decoding a large
 * file of images as text would hold the worker's event loop for seconds).
 */
const rawBytesLink = (zip: Buffer): boolean => TARGET.some((t) => zip.includes(t)) && (hasLocalFileTarget(zip) || hasLocalFileTarget(zip.subarray(1)));

const structure = (detail: string): DocxVerdict => ({ ok: false, problem: 'structure', detail });

/**
 * Every part as calibre's readers could take it: each local header signature, wherever it is
 * and whatever its header says, starts a deflate reading; a relationship part must be an entry
 * of the central directory, in an encoding the search reads. A relationship part (or a part no
 * directory lists) too large to search counts as a link, so nothing passes unchecked.
 */
async function checkParts(zip: Buffer, entries: ReadonlyMap<number, ZipEntry>): Promise<DocxVerdict> {
  if (rawBytesLink(zip)) return LOCAL_LINK;
  const inflatePrefix = inflater();
  for (const at of offsetsOf(zip, LOCAL_HEADER)) {
    const part = localPart(zip, at);
    if (part === undefined) continue;
    const entry = entries.get(at);
    const rels = isRelsName(part.name) || isRelsName(entry?.name ?? '');
    if (rels && entry === undefined) return structure(`it holds a relationship part (${JSON.stringify(part.name.slice(0, 80))}) that its central directory does not list`);
    const inflated = await inflateAll(zip.subarray(part.dataStart), inflatePrefix);
    if (inflated === 'too-large' && (rels || entry === undefined)) return LOCAL_LINK;
    if (inflated instanceof Buffer && hasLocalFileTarget(inflated)) return LOCAL_LINK;
    const content = entry?.method === 0 ? zip.subarray(entry.dataStart, entry.dataStart + entry.compressedSize) : inflated;
    if (rels && content instanceof Buffer) {
      if (!xmlEncodingSearchable(content)) return structure(`its relationship part ${JSON.stringify(entry?.name.slice(0, 80))} is not XML in UTF-8 or UTF-16`);
      if (hasLocalFileTarget(content)) return LOCAL_LINK;
    }
  }
  return { ok: true };
}

/**
 * Whether calibre may read this docx: its ZIP structure must be one every reader agrees on
 * (see zip-structure.ts), and no part, however it is read, may link a local file.
 */
export async function inspectDocx(zip: Buffer): Promise<DocxVerdict> {
  let entries: Map<number, ZipEntry>;
  try {
    entries = new Map(readZipEntries(zip).map((entry) => [entry.offset, entry]));
  } catch (error) {
    if (error instanceof ZipStructureError) return structure(error.message);
    throw error;
  }
  try {
    return await checkParts(zip, entries);
  } catch (error) {
    if (error instanceof BudgetExceeded) return structure(`its parts unpack to more than ${MAX_TOTAL_BYTES / 1024 / 1024} MB`);
    throw error;
  }
}
