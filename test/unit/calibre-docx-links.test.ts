// The docx check before calibre: a file: relationship target is refused however the part is
// packed, and so is a ZIP whose local headers and central directory could be read differently
// (calibre reads the central directory, and walks the local headers when that fails).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import yazl from 'yazl';
import { hasLocalFileTarget, inspectDocx, type DocxVerdict } from '../../workers/converters/calibre/docx-links.js';
import { docxParts, zipBytes, type ZipEntrySpec } from '../helpers/zip-bytes.js';

async function zipOf(parts: Readonly<Record<string, string | Buffer>>, compress = true): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, body] of Object.entries(parts)) zip.addBuffer(Buffer.isBuffer(body) ? body : Buffer.from(body), name, { compress });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const rels = (target: string, mode = ' TargetMode="External"'): string =>
  `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="${target}"${mode}/></Relationships>`;

const RELS = 'word/_rels/document.xml.rels';
const PASSWD = 'file:///etc/passwd';

/** A docx linking /etc/passwd whose relationship part gets `change`; the other parts are plain. */
const docx = (change: Partial<ZipEntrySpec>, target = PASSWD): Buffer =>
  zipBytes(Object.entries(docxParts(target)).map(([name, data]) => ({ name, data, ...(name === RELS ? change : {}) })));

const structure = (verdict: DocxVerdict, detail: RegExp): void => {
  assert.equal(verdict.ok, false);
  assert.ok(!verdict.ok && verdict.problem === 'structure', JSON.stringify(verdict));
  assert.match(verdict.problem === 'structure' ? verdict.detail : '', detail);
};

describe('docx local links', () => {
  it('finds a file:// image link, deflated or stored', async () => {
    assert.deepEqual(await inspectDocx(await zipOf({ 'word/document.xml': '<w:document/>', [RELS]: rels('file:///proc/self/environ') })), { ok: false, problem: 'local-link' });
    assert.deepEqual(await inspectDocx(await zipOf({ [RELS]: rels('FILE:///etc/passwd') }, false)), { ok: false, problem: 'local-link' });
  });
  it('sees through character references and UTF-16', async () => {
    assert.deepEqual(await inspectDocx(await zipOf({ [RELS]: rels('&#102;&#x69;le:///etc/passwd') })), { ok: false, problem: 'local-link' });
    assert.equal(hasLocalFileTarget(Buffer.from(`\ufeff${rels('file:///x.png')}`, 'utf16le')), true);
    assert.equal(hasLocalFileTarget(Buffer.from(rels('file:///x.png'), 'utf16le').swap16()), true);
  });
  it('finds a stored UTF-16 part at an odd offset of the file', async () => {
    const zip = zipBytes([{ name: 'ab', data: 'x' }, { name: RELS, data: Buffer.from(rels(PASSWD), 'utf16le'), method: 0 }]);
    const dataStart = zip.indexOf(Buffer.from(RELS)) + RELS.length;
    assert.equal(dataStart % 2, 1, 'the test needs the part at an odd offset');
    assert.deepEqual(await inspectDocx(zip), { ok: false, problem: 'local-link' });
  });
  it('passes documents with web links and embedded images, also with data descriptors', async () => {
    const parts = {
      'word/document.xml': '<w:document><w:t>See file: notes and http://example.com</w:t></w:document>',
      [RELS]: rels('https://example.com/x.png') + rels('media/image1.png', ''),
      'word/media/image1.png': Buffer.alloc(2048, 7),
    };
    assert.deepEqual(await inspectDocx(await zipOf(parts)), { ok: true });
    assert.deepEqual(await inspectDocx(zipBytes(Object.entries(parts).map(([name, data]) => ({ name, data, descriptor: true })))), { ok: true });
    assert.deepEqual(await inspectDocx(zipBytes(Object.entries(docxParts('media/image1.png')).map(([name, data]) => ({ name, data })))), { ok: true });
  });
});

describe('docx ZIP structure', () => {
  it('refuses a part whose local header says stored while the central directory says deflate', async () => {
    // What calibre read: its zipfile inflates the part (central directory), the old check skipped it.
    structure(await inspectDocx(docx({ local: { method: 0 } })), /"word\/_rels\/document\.xml\.rels" has compression method 0 in its local header but 8 in the central directory/);
    structure(await inspectDocx(docx({ method: 0, central: { method: 8 } })), /compression method 0 in its local header but 8/);
  });
  it('refuses local and central headers that disagree on sizes, name or flags', async () => {
    structure(await inspectDocx(docx({ local: { compressedSize: 10 } })), /other sizes in its local header/);
    structure(await inspectDocx(docx({ central: { size: 3 } })), /other sizes in its local header/);
    structure(await inspectDocx(docx({ local: { name: 'word/_rels/document.xml.relz' } })), /another name in its local header/);
    structure(await inspectDocx(docx({ local: { flags: 0x800 } })), /other flags/);
  });
  it('refuses encryption, ZIP64 sizes and methods other than stored and deflate', async () => {
    structure(await inspectDocx(docx({ local: { flags: 1 }, central: { flags: 1 } })), /encrypted/);
    structure(await inspectDocx(docx({ local: { method: 12 }, central: { method: 12 } })), /compression method 12/);
    structure(await inspectDocx(docx({ local: { size: 0xffffffff }, central: { size: 0xffffffff } })), /ZIP64/);
  });
  it('refuses entries only in the central directory and local entries it does not list', async () => {
    structure(await inspectDocx(docx({ centralOnly: true })), /another name in its local header/);
    structure(await inspectDocx(zipBytes([{ name: 'a', data: 'x' }, { name: RELS, data: rels(PASSWD), centralOnly: true }])), /has no local header/);
    structure(await inspectDocx(docx({ hidden: true })), /bytes between its entries that no entry owns/);
    structure(await inspectDocx(zipBytes([{ name: 'a', data: 'x' }], { gap: Buffer.from('junk') })), /between its last entry and the central directory/);
    structure(await inspectDocx(zipBytes([{ name: 'a', data: 'x' }], { entryCount: 2 })), /does not hold the entries its end record counts/);
  });
  it('refuses a damaged or missing central directory (calibre would walk the local headers)', async () => {
    const zip = await zipOf({ 'a.xml': '<x/>', [RELS]: rels('file:///etc/hostname') });
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    structure(await inspectDocx(zip.subarray(0, central)), /no end of central directory/);
    const broken = Buffer.from(zip);
    broken.writeUInt32LE(0, central);
    structure(await inspectDocx(broken), /central directory is damaged/);
  });
  it('checks data descriptors against the central directory', async () => {
    structure(await inspectDocx(docx({ descriptor: true, central: { crc: 1 } })), /data descriptor that disagrees/);
    assert.deepEqual(await inspectDocx(docx({ descriptor: true })), { ok: false, problem: 'local-link' });
  });
});

describe('docx parts a lenient reader could find', () => {
  /** A well-formed docx whose stored image holds another ZIP's local header and part. */
  const smuggled = (inner: Buffer): Buffer =>
    zipBytes([...Object.entries(docxParts('media/image1.png')).map(([name, data]) => ({ name, data })), { name: 'word/media/image1.png', data: inner, method: 0 }]);

  it('refuses a relationship part hidden inside a stored one (the central directory does not list it)', async () => {
    const inner = zipBytes([{ name: RELS, data: rels('media/image1.png', '') }]);
    structure(await inspectDocx(smuggled(inner)), /relationship part \("word\/_rels\/document\.xml\.rels"\) that its central directory does not list/);
  });
  it('still searches every hidden deflate stream, also one that breaks after the link (a reader keeps what it inflated)', async () => {
    assert.deepEqual(await inspectDocx(smuggled(zipBytes([{ name: 'word/notes.xml', data: rels(PASSWD) }]))), { ok: false, problem: 'local-link' });
    const text = `${rels(PASSWD)}${'<!-- padding -->'.repeat(2000)}`;
    // A sync-flushed stream (not final), then a block of the invalid type 3: inflating it whole fails.
    const packed = Buffer.concat([deflateRawSync(text, { finishFlush: constants.Z_SYNC_FLUSH }), Buffer.from([0x07, 0, 0, 0])]);
    assert.throws(() => inflateRawSync(packed), /invalid block type/);
    const inner = zipBytes([{ name: 'word/notes.xml', data: text, packed }]);
    assert.deepEqual(await inspectDocx(smuggled(inner)), { ok: false, problem: 'local-link' });
  });
});

describe('docx relationship part encodings', () => {
  const encoded = (data: Buffer, method: 0 | 8 = 8): Buffer => docx({ data, method }, 'media/image1.png');
  it('reads UTF-8 and UTF-16 (with or without a byte order mark) and finds the link in them', async () => {
    assert.deepEqual(await inspectDocx(encoded(Buffer.from(`\ufeff${rels(PASSWD)}`, 'utf16le'))), { ok: false, problem: 'local-link' });
    assert.deepEqual(await inspectDocx(encoded(Buffer.from(rels(PASSWD), 'utf16le').swap16(), 0)), { ok: false, problem: 'local-link' });
    assert.deepEqual(await inspectDocx(encoded(Buffer.from(rels('media/image1.png', '').replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')))), { ok: true });
  });
  it('refuses encodings in which "file:" is not the bytes searched for: UTF-32, EBCDIC, UTF-7', async () => {
    const utf32 = Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), ...[...rels(PASSWD)].map((c) => Buffer.from([c.charCodeAt(0), 0, 0, 0]))]);
    const ebcdic = Buffer.from([0x4c, 0x6f, 0xa7, 0x94, 0x93]); // "<?xml" in EBCDIC
    const utf7 = Buffer.from(rels('+AGY-ile:///etc/passwd').replace('encoding="UTF-8"', 'encoding="UTF-7"'));
    for (const bytes of [utf32, ebcdic, utf7]) {
      structure(await inspectDocx(encoded(bytes)), /relationship part "word\/_rels\/document\.xml\.rels" is not XML in UTF-8 or UTF-16/);
    }
  });
});
