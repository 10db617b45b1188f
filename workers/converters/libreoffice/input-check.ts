// What LibreOffice is given to open, for the formats added by issue 18. A named import filter
// reads the main part of a package (or the root of an XML file) whatever else the file holds, so
// an upload must start like its declared format (the catalog's signature) and have the part that
// format's filter reads: a .docm must be a Word package, not any ZIP; a .fodt a flat OpenDocument
// text, not any XML. Failing that, the client gets a message naming what was expected.
import { open } from 'node:fs/promises';
import { FORMATS, type Format } from '../../../src/core/catalog/index.js';
import type { FormatInfo } from '../../../src/core/catalog/format-groups/format-info.js';
import { appError } from '../../../src/core/errors.js';
import { matchesSignature, readHead } from '../../../src/core/file-signatures.js';

/** The part a package of the format must hold (OOXML: the main part LibreOffice's filter opens). */
const MAIN_PART: Readonly<Partial<Record<Format, { readonly part: string; readonly what: string }>>> = {
  docm: { part: 'word/document.xml', what: 'a Word package (with word/document.xml)' },
  dotx: { part: 'word/document.xml', what: 'a Word package (with word/document.xml)' },
  xlsm: { part: 'xl/workbook.xml', what: 'an Excel package (with xl/workbook.xml)' },
  pptm: { part: 'ppt/presentation.xml', what: 'a PowerPoint package (with ppt/presentation.xml)' },
  ppsx: { part: 'ppt/presentation.xml', what: 'a PowerPoint package (with ppt/presentation.xml)' },
  potx: { part: 'ppt/presentation.xml', what: 'a PowerPoint package (with ppt/presentation.xml)' },
  odg: { part: 'content.xml', what: 'an OpenDocument drawing (with content.xml)' },
  otg: { part: 'content.xml', what: 'an OpenDocument drawing template (with content.xml)' },
  ott: { part: 'content.xml', what: 'an OpenDocument text template (with content.xml)' },
  ots: { part: 'content.xml', what: 'an OpenDocument spreadsheet template (with content.xml)' },
  otp: { part: 'content.xml', what: 'an OpenDocument presentation template (with content.xml)' },
  xltx: { part: 'xl/workbook.xml', what: 'an Excel package (with xl/workbook.xml)' },
};

/** Text the start of an XML format's file must hold: its root element (and its declared kind). */
const XML_MARK: Readonly<Partial<Record<Format, { readonly marks: readonly string[]; readonly what: string }>>> = {
  fodt: { marks: ['<office:document', 'office:mimetype="application/vnd.oasis.opendocument.text"'], what: 'a flat OpenDocument text (office:document of mimetype …opendocument.text)' },
  fods: { marks: ['<office:document', 'office:mimetype="application/vnd.oasis.opendocument.spreadsheet"'], what: 'a flat OpenDocument spreadsheet (office:document of mimetype …opendocument.spreadsheet)' },
  fodp: { marks: ['<office:document', 'office:mimetype="application/vnd.oasis.opendocument.presentation"'], what: 'a flat OpenDocument presentation (office:document of mimetype …opendocument.presentation)' },
  abw: { marks: ['<abiword'], what: 'an AbiWord document (an <abiword> XML root)' },
};

/** How much of an XML file's start is searched for its root (namespace declarations come first). */
const XML_HEAD_BYTES = 64 * 1024;
/** The end-of-central-directory record is within the last 22 + 65535 (comment) bytes. */
const TAIL_BYTES = 22 + 0xffff;
/** Office packages have a few hundred entries; a larger directory is refused, not read. */
const MAX_CENTRAL_BYTES = 8 * 1024 * 1024;
const END_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;

/** Where the central directory of a ZIP is, from its last bytes (`tail`, ending at `fileSize`); undefined when there is none. */
export function findCentralDirectory(tail: Buffer, fileSize: number): { offset: number; size: number } | undefined {
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) !== END_SIGNATURE) continue;
    const size = tail.readUInt32LE(i + 12);
    const offset = tail.readUInt32LE(i + 16);
    // ZIP64 (0xffffffff) and directories outside the file are not office packages LibreOffice writes.
    if (offset === 0xffffffff || size === 0xffffffff || offset + size > fileSize) return undefined;
    return { offset, size };
  }
  return undefined;
}

/** The entry names of a central directory; stops at the first record that is not one. */
export function centralEntryNames(central: Buffer): string[] {
  const names: string[] = [];
  let at = 0;
  while (at + 46 <= central.length && central.readUInt32LE(at) === CENTRAL_SIGNATURE) {
    const nameLength = central.readUInt16LE(at + 28);
    const extraLength = central.readUInt16LE(at + 30);
    const commentLength = central.readUInt16LE(at + 32);
    names.push(central.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/** The names of a ZIP file's entries (from its central directory); undefined when it has none. */
async function zipEntryNames(file: string): Promise<string[] | undefined> {
  const handle = await open(file, 'r');
  try {
    const { size: fileSize } = await handle.stat();
    const tailLength = Math.min(fileSize, TAIL_BYTES);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, fileSize - tailLength);
    const directory = findCentralDirectory(tail, fileSize);
    if (directory === undefined || directory.size > MAX_CENTRAL_BYTES) return undefined;
    const central = Buffer.alloc(directory.size);
    await handle.read(central, 0, directory.size, directory.offset);
    return centralEntryNames(central);
  } finally {
    await handle.close();
  }
}

const refuse = (format: Format, what: string): never => {
  throw appError('CONVERSION_FAILED', `The ${format} file is not ${what}. Check that the file really is ${format} and that inputformat says so.`);
};

/** Refuses an input of the issue-18 office formats that is not what its format's filter reads; other formats pass. */
export async function assertOfficeInput(file: string, format: Format): Promise<void> {
  const { signature } = FORMATS[format] as FormatInfo;
  const main = MAIN_PART[format];
  const xml = XML_MARK[format];
  if (signature === undefined && main === undefined && xml === undefined) return;
  const head = await readHead(file, xml === undefined ? undefined : XML_HEAD_BYTES);
  if (signature !== undefined && !matchesSignature(signature, head)) refuse(format, main?.what ?? xml?.what ?? `a ${format} file (its signature is missing)`);
  if (main !== undefined && !((await zipEntryNames(file)) ?? []).includes(main.part)) refuse(format, main.what);
  if (xml !== undefined) {
    const text = head.toString('utf8');
    if (!xml.marks.every((mark) => text.includes(mark))) refuse(format, xml.what);
  }
}
