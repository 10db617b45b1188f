// A strict reading of a ZIP's layout, for archives a tool reads with more than one parser.
// calibre reads a docx with Python's zipfile (central directory: method, sizes, offset) and,
// when that fails, with its own lenient reader that walks the local headers. An archive on
// which the two could disagree is refused here, so every reader sees the same parts.

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const DESCRIPTOR = 0x08074b50;
const STORED = 0;
const DEFLATED = 8;
/** Encrypted (0), strong encryption (6), masked central directory (13), patched data (5). */
const UNSUPPORTED_FLAGS = 0x0001 | 0x0040 | 0x2000 | 0x0020;
/** Flags that change how an entry is read: they must be the same in both headers. */
const READING_FLAGS = 0x0008 | 0x0800;
const DATA_DESCRIPTOR = 0x0008;
const MAX_COMMENT = 0xffff;

export class ZipStructureError extends Error {
  override name = 'ZipStructureError';
}

export interface ZipEntry {
  readonly name: string;
  readonly method: typeof STORED | typeof DEFLATED;
  /** Offset of the local header. */
  readonly offset: number;
  /** The packed bytes, as every reader finds them. */
  readonly dataStart: number;
  readonly compressedSize: number;
  /** The unpacked size the central directory states (Python's zipfile reads no byte past it). */
  readonly size: number;
}

interface Header {
  readonly flags: number;
  readonly method: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly name: Buffer;
  /** Where the header ends (the data starts, for a local header). */
  readonly end: number;
}

interface CentralRecord extends Header {
  readonly offset: number;
}

const fail = (problem: string): never => {
  throw new ZipStructureError(problem);
};

/** The end record as Python's zipfile finds it: at the very end, else the last one within a comment's reach. */
function findEnd(zip: Buffer): number {
  const last = zip.length - 22;
  if (last < 0) fail('it is too short to be a ZIP file');
  if (zip.readUInt32LE(last) === END && zip.readUInt16LE(last + 20) === 0) return last;
  const at = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]), last);
  if (at === -1 || at < last - MAX_COMMENT) fail('it has no end of central directory record');
  if (at + 22 + zip.readUInt16LE(at + 20) !== zip.length) fail('its end record does not end the file');
  return at;
}

/** The fields local and central headers share; `at` is where they start after the versions. */
function commonFields(zip: Buffer, at: number, nameLength: number, fixed: number, start: number): Omit<Header, 'end'> {
  const nameStart = start + fixed;
  if (nameStart + nameLength > zip.length) fail('a header runs past the end of the file');
  return {
    flags: zip.readUInt16LE(at),
    method: zip.readUInt16LE(at + 2),
    crc: zip.readUInt32LE(at + 8),
    compressedSize: zip.readUInt32LE(at + 12),
    size: zip.readUInt32LE(at + 16),
    name: zip.subarray(nameStart, nameStart + nameLength),
  };
}

function readCentral(zip: Buffer, at: number): CentralRecord {
  if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL) fail('its central directory is damaged');
  const nameLength = zip.readUInt16LE(at + 28);
  const end = at + 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  if (zip.readUInt16LE(at + 34) !== 0) fail('it spans several disks');
  return { ...commonFields(zip, at + 8, nameLength, 46, at), end, offset: zip.readUInt32LE(at + 42) };
}

function readLocal(zip: Buffer, at: number): Header {
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL) fail('an entry of its central directory has no local header');
  const nameLength = zip.readUInt16LE(at + 26);
  return { ...commonFields(zip, at + 6, nameLength, 30, at), end: at + 30 + nameLength + zip.readUInt16LE(at + 28) };
}

/** Refuses what neither reader should have to interpret: encryption, ZIP64, other methods. */
function checkSupported(entry: CentralRecord): void {
  const label = JSON.stringify(entry.name.toString('utf8').slice(0, 80));
  if ((entry.flags & UNSUPPORTED_FLAGS) !== 0) fail(`entry ${label} is encrypted or uses unsupported features`);
  if (entry.method !== STORED && entry.method !== DEFLATED) fail(`entry ${label} uses compression method ${entry.method} (only stored and deflate are read)`);
  if ([entry.compressedSize, entry.size, entry.offset].includes(0xffffffff)) fail(`entry ${label} uses ZIP64 sizes`);
  if (entry.method === STORED && entry.compressedSize !== entry.size) fail(`stored entry ${label} has two different sizes`);
}

/** Where an entry's bytes end: after its data, or after its data descriptor (which must agree). */
function entryEnd(zip: Buffer, central: CentralRecord, dataStart: number, label: string): number {
  const dataEnd = dataStart + central.compressedSize;
  if (dataEnd > zip.length) fail(`entry ${label} runs past the end of the file`);
  if ((central.flags & DATA_DESCRIPTOR) === 0) return dataEnd;
  // calibre's lenient reader needs the descriptor's signature to find it.
  if (dataEnd + 16 > zip.length || zip.readUInt32LE(dataEnd) !== DESCRIPTOR) fail(`entry ${label} has no data descriptor after its data`);
  const fields = [zip.readUInt32LE(dataEnd + 4), zip.readUInt32LE(dataEnd + 8), zip.readUInt32LE(dataEnd + 12)];
  if (fields.join() !== [central.crc, central.compressedSize, central.size].join()) fail(`entry ${label} has a data descriptor that disagrees with the central directory`);
  return dataEnd + 16;
}

/** The local header must say what the central directory says; returns where the entry ends. */
function checkLocal(zip: Buffer, central: CentralRecord): { entry: ZipEntry; end: number } {
  const local = readLocal(zip, central.offset);
  const label = JSON.stringify(central.name.toString('utf8').slice(0, 80));
  if (!local.name.equals(central.name)) fail(`entry ${label} has another name in its local header`);
  if (local.method !== central.method) fail(`entry ${label} has compression method ${local.method} in its local header but ${central.method} in the central directory`);
  if ((local.flags & (READING_FLAGS | UNSUPPORTED_FLAGS)) !== (central.flags & (READING_FLAGS | UNSUPPORTED_FLAGS))) fail(`entry ${label} has other flags in its local header`);
  const sizes = [local.crc, local.compressedSize, local.size];
  const deferred = (central.flags & DATA_DESCRIPTOR) !== 0 && sizes.every((v) => v === 0);
  if (!deferred && sizes.join() !== [central.crc, central.compressedSize, central.size].join()) fail(`entry ${label} has other sizes in its local header than in the central directory`);
  const entry = { name: central.name.toString('utf8'), method: central.method as ZipEntry['method'], offset: central.offset, dataStart: local.end, compressedSize: central.compressedSize, size: central.size };
  return { entry, end: entryEnd(zip, central, local.end, label) };
}

/** The central directory's records, which must fill it exactly and match the end record's count. */
function centralRecords(zip: Buffer, end: number): CentralRecord[] {
  const count = zip.readUInt16LE(end + 10);
  const size = zip.readUInt32LE(end + 12);
  const start = zip.readUInt32LE(end + 16);
  if (zip.readUInt16LE(end + 4) !== 0 || zip.readUInt16LE(end + 6) !== 0 || zip.readUInt16LE(end + 8) !== count) fail('it spans several disks');
  if (count === 0xffff || size === 0xffffffff || start === 0xffffffff || (end >= 20 && zip.readUInt32LE(end - 20) === ZIP64_LOCATOR)) fail('it is a ZIP64 archive');
  // Python's zipfile shifts every offset by the bytes before the directory it did not expect.
  if (start + size !== end) fail('its central directory is not where its end record says');
  const records: CentralRecord[] = [];
  for (let at = start; at < end; at = records[records.length - 1]?.end ?? end) records.push(readCentral(zip, at));
  if (records.length !== count || (records[records.length - 1]?.end ?? start) !== end) fail('its central directory does not hold the entries its end record counts');
  return records;
}

/**
 * Every entry of a ZIP that all readers agree on: one central directory filling the space
 * before its end record, each entry's local header saying the same (name, method, flags,
 * sizes), entries laid end to end from the first byte to the directory (so a reader walking
 * local headers meets exactly these), stored or deflate only, no encryption, no ZIP64.
 * Throws ZipStructureError naming the first problem.
 */
export function readZipEntries(zip: Buffer): ZipEntry[] {
  const end = findEnd(zip);
  const records = centralRecords(zip, end);
  records.forEach(checkSupported);
  const entries: ZipEntry[] = [];
  let next = 0;
  for (const record of [...records].sort((a, b) => a.offset - b.offset)) {
    if (record.offset !== next) fail(next > record.offset ? 'two entries overlap' : 'there are bytes between its entries that no entry owns');
    const checked = checkLocal(zip, record);
    entries.push(checked.entry);
    next = checked.end;
  }
  if (next !== zip.readUInt32LE(end + 16)) fail('there are bytes between its last entry and the central directory');
  return entries;
}
