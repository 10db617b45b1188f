// The pure parts of issue 18's office formats: LibreOffice's filters for the new formats (Draw
// for odg and for pdf → odg), the ZIP directory reading of the input check, and the DjVu/XPS
// readings of the PDF engine.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import yazl from 'yazl';
import { listConversionTypes } from '../../src/core/catalog/index.js';
import { buildConvertRequest } from '../../workers/converters/libreoffice/command.js';
import { centralEntryNames, findCentralDirectory } from '../../workers/converters/libreoffice/input-check.js';
import { buildDdjvuArgs, parseDjvuDump } from '../../workers/converters/mupdf/command.js';
import { startsLikePaged } from '../../workers/converters/mupdf/paged-input.js';

const NO_OPTIONS = { password: null, page_range: null, pdf_a: false } as const;

async function zipOf(entries: Record<string, string>, comment = ''): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, text] of Object.entries(entries)) zip.addBuffer(Buffer.from(text), name);
  zip.end({ comment, forceZip64Format: false });
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('LibreOffice filters of the issue 18 formats', () => {
  it('reads macro-enabled, template and flat formats with their own named filters', () => {
    assert.equal(buildConvertRequest('/in', '/out', 'docm', 'pdf', NO_OPTIONS).load['FilterName'], 'MS Word 2007 XML VBA');
    assert.equal(buildConvertRequest('/in', '/out', 'dotx', 'docx', NO_OPTIONS).load['FilterName'], 'MS Word 2007 XML Template');
    assert.equal(buildConvertRequest('/in', '/out', 'abw', 'odt', NO_OPTIONS).load['FilterName'], 'AbiWord');
    assert.equal(buildConvertRequest('/in', '/out', 'fods', 'xlsx', NO_OPTIONS).load['FilterName'], 'OpenDocument Spreadsheet Flat XML');
    assert.equal(buildConvertRequest('/in', '/out', 'ppsx', 'pptx', NO_OPTIONS).load['FilterName'], 'Impress MS PowerPoint 2007 XML AutoPlay');
  });

  it('writes them with the export filter of the input family', () => {
    assert.equal(buildConvertRequest('/in', '/out', 'docx', 'docm', NO_OPTIONS).store['FilterName'], 'MS Word 2007 XML VBA');
    assert.equal(buildConvertRequest('/in', '/out', 'xlsx', 'xlsm', NO_OPTIONS).store['FilterName'], 'Calc MS Excel 2007 VBA XML');
    assert.equal(buildConvertRequest('/in', '/out', 'pptx', 'pps', NO_OPTIONS).store['FilterName'], 'MS PowerPoint 97 AutoPlay');
    assert.equal(buildConvertRequest('/in', '/out', 'odp', 'fodp', NO_OPTIONS).store['FilterName'], 'OpenDocument Presentation Flat XML');
  });

  it('opens odg in Draw, and a PDF in Draw (not Writer) when the output is odg', () => {
    const odg = buildConvertRequest('/in', '/out', 'odg', 'pdf', { ...NO_OPTIONS, page_range: '1' });
    assert.deepEqual([odg.load['FilterName'], odg.store['FilterName'], odg.filterData['PageRange']], ['draw8', 'draw_pdf_Export', '1']);
    const fromPdf = buildConvertRequest('/in', '/out', 'pdf', 'odg', NO_OPTIONS);
    assert.deepEqual([fromPdf.load['FilterName'], fromPdf.store['FilterName']], ['draw_pdf_import', 'draw8']);
    assert.equal(buildConvertRequest('/in', '/out', 'pdf', 'docx', NO_OPTIONS).load['FilterName'], 'writer_pdf_import');
  });

  it('has no pair LibreOffice writes badly: ppsx is read, never written', () => {
    assert.throws(() => buildConvertRequest('/in', '/out', 'pptx', 'ppsx', NO_OPTIONS), /no filter/);
    assert.equal(listConversionTypes({ outputformat: 'ppsx' }).length, 0);
    assert.ok(listConversionTypes({ inputformat: 'ppsx' }).some((t) => t.outputformat === 'pdf'));
  });

  it('lists every filter the catalog names (each listed libreoffice pair builds a request)', () => {
    const pairs = listConversionTypes().filter((t) => t.engine === 'libreoffice');
    for (const t of pairs) assert.doesNotThrow(() => buildConvertRequest('/in', '/out', t.inputformat, t.outputformat, NO_OPTIONS), `${t.inputformat} → ${t.outputformat}`);
  });
});

describe('the ZIP directory of the office input check', () => {
  it('finds the entry names, also behind an archive comment', async () => {
    const zip = await zipOf({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>' }, 'a comment');
    const directory = findCentralDirectory(zip, zip.length);
    assert.ok(directory !== undefined);
    assert.deepEqual(centralEntryNames(zip.subarray(directory.offset, directory.offset + directory.size)), ['[Content_Types].xml', 'word/document.xml']);
  });

  it('finds none in a file that is not a ZIP, or whose directory lies outside it', async () => {
    assert.equal(findCentralDirectory(Buffer.from('not a zip at all, just some text of some length'), 48), undefined);
    const zip = await zipOf({ a: 'b' });
    assert.equal(findCentralDirectory(zip, zip.length - 40), undefined);
  });
});

describe('DjVu and XPS readings of the PDF engine', () => {
  it('reads each page size from djvudump, none for an indirect document', () => {
    const bundled = `  FORM:DJVM [1859]
    DIRM [35]         Document directory (bundled, 2 files 2 pages)
    FORM:DJVU [897] {a.djvu} [P1]
      INFO [10]         DjVu 300x200, v24, 100 dpi, gamma=2.2
    FORM:DJVU [897] {b.djvu} [P2]
      INFO [10]         DjVu 2550x3300, v24, 300 dpi, gamma=2.2
`;
    assert.deepEqual(parseDjvuDump(bundled), [{ width: 300, height: 200 }, { width: 2550, height: 3300 }]);
    assert.deepEqual(parseDjvuDump('  FORM:DJVM [120]\n    DIRM [100]         Document directory (indirect, 3 files 3 pages)\n'), []);
  });

  it('checks the start of each format', () => {
    const djvu = Buffer.concat([Buffer.from('AT&TFORM', 'latin1'), Buffer.from([0, 0, 3, 0x81]), Buffer.from('DJVUINFO', 'latin1')]);
    assert.ok(startsLikePaged('djvu', djvu));
    assert.ok(!startsLikePaged('djvu', Buffer.from('AT&TFORM\0\0\0\0AIFF', 'latin1')));
    assert.ok(startsLikePaged('xps', Buffer.from('504b030414000000', 'hex')));
    assert.ok(!startsLikePaged('oxps', Buffer.from('%PDF-1.7', 'latin1')));
  });

  it('decodes every page of a DjVu into one TIFF, input and output as given', () => {
    assert.deepEqual(buildDdjvuArgs('/job/input.djvu', '/job/pages.tiff'), ['-format=tiff', '/job/input.djvu', '/job/pages.tiff']);
  });
});
