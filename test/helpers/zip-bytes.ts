// ZIP archives written byte by byte, so a test can make the local header and the central
// directory disagree (method, sizes, name, flags), leave entries out of either, or add data
// descriptors: what no ZIP library writes, and what a hostile upload does.
import { crc32, deflateRawSync } from 'node:zlib';

/** Fields of one header; unset fields follow the entry's real data. */
export interface HeaderFields {
  readonly method: number;
  readonly flags: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly name: string;
  readonly extra: Buffer;
}

export interface ZipEntrySpec {
  readonly name: string;
  readonly data: Buffer | string;
  /** How the bytes are really packed: 0 stored, 8 deflated (default). */
  readonly method?: 0 | 8;
  /** The packed bytes as they are to be written (default: `data` packed by `method`). */
  readonly packed?: Buffer;
  /** Overrides of what the local header says. */
  readonly local?: Partial<HeaderFields>;
  /** Overrides of what the central directory says. */
  readonly central?: Partial<HeaderFields>;
  /** Write a data descriptor (flag bit 3, zero sizes in the local header). */
  readonly descriptor?: boolean;
  /** Leave the entry out of the central directory (it only has a local header). */
  readonly hidden?: boolean;
  /** Write only the central record (no local header, no data). */
  readonly centralOnly?: boolean;
}

export interface ZipOptions {
  /** Overrides of the end-of-central-directory record. */
  readonly entryCount?: number;
  /** Bytes put between the last entry and the central directory. */
  readonly gap?: Buffer;
}

function header(signature: number, fields: HeaderFields, central: { offset: number } | undefined): Buffer {
  const name = Buffer.from(fields.name, 'utf8');
  const fixed = Buffer.alloc(central === undefined ? 30 : 46);
  let at = 0;
  const u32 = (v: number): void => void (at = fixed.writeUInt32LE(v >>> 0, at));
  const u16 = (v: number): void => void (at = fixed.writeUInt16LE(v, at));
  u32(signature);
  if (central !== undefined) u16(20); // version made by
  u16(20); // version needed
  u16(fields.flags);
  u16(fields.method);
  u16(0); // time
  u16(0x5b21); // date
  u32(fields.crc);
  u32(fields.compressedSize);
  u32(fields.size);
  u16(name.length);
  u16(fields.extra.length);
  if (central !== undefined) {
    u16(0); // comment length
    u16(0); // disk
    u16(0); // internal attributes
    u32(0); // external attributes
    u32(central.offset);
  }
  return Buffer.concat([fixed, name, fields.extra]);
}

function descriptorOf(fields: HeaderFields): Buffer {
  const d = Buffer.alloc(16);
  d.writeUInt32LE(0x08074b50, 0);
  d.writeUInt32LE(fields.crc >>> 0, 4);
  d.writeUInt32LE(fields.compressedSize, 8);
  d.writeUInt32LE(fields.size, 12);
  return d;
}

/** The archive's bytes: entries in order, then the central directory, then its end record. */
export function zipBytes(entries: readonly ZipEntrySpec[], options: ZipOptions = {}): Buffer {
  const parts: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data, 'utf8');
    const method = entry.method ?? 8;
    const packed = entry.packed ?? (method === 8 ? deflateRawSync(data) : data);
    const real: HeaderFields = { method, flags: entry.descriptor === true ? 0x08 : 0, crc: crc32(data), compressedSize: packed.length, size: data.length, name: entry.name, extra: Buffer.alloc(0) };
    const zeroed = entry.descriptor === true ? { crc: 0, compressedSize: 0, size: 0 } : {};
    const local = header(0x04034b50, { ...real, ...zeroed, ...entry.local }, undefined);
    const written = entry.centralOnly === true ? [] : [local, packed, ...(entry.descriptor === true ? [descriptorOf(real)] : [])];
    if (entry.hidden !== true) centrals.push(header(0x02014b50, { ...real, ...entry.central }, { offset }));
    parts.push(...written);
    offset += written.reduce((sum, b) => sum + b.length, 0);
  }
  if (options.gap !== undefined) parts.push(options.gap);
  const directory = Buffer.concat(centrals);
  const start = parts.reduce((sum, b) => sum + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(options.entryCount ?? centrals.length, 8);
  end.writeUInt16LE(options.entryCount ?? centrals.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(start, 16);
  return Buffer.concat([...parts, directory, end]);
}

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** The parts of a minimal Word document whose one image is the relationship target `target`. */
export function docxParts(target: string): Record<string, string> {
  return {
    '[Content_Types].xml': '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    '_rels/.rels': `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="word/document.xml"/></Relationships>`,
    'word/_rels/document.xml.rels': `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId5" Type="${REL}/image" Target="${target}" TargetMode="External"/></Relationships>`,
    'word/document.xml': DOCUMENT_WITH_IMAGE,
  };
}

/** A paragraph of text and an inline picture whose bytes are relationship rId5. */
const DOCUMENT_WITH_IMAGE = `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body><w:p><w:r><w:t>Hello</w:t></w:r></w:p><w:p><w:r><w:drawing><wp:inline><wp:extent cx="952500" cy="952500"/><wp:docPr id="1" name="Picture 1"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="x.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:link="rId5"/></pic:blipFill><pic:spPr/></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p></w:body></w:document>`;
