// The office formats and PDF that existed before the format breadth issue: text, HTML and CSV
// written here, a PDF drawn with pdf-lib, a presentation written as ODP, and the others made from
// them by LibreOffice itself; outputs proven by their structure (PDF page count with mutool, the
// ZIP main part of OOXML and OpenDocument, the OLE2 header of the binary Office formats).
import assert from 'node:assert/strict';
import path from 'node:path';
import { makeOdp, makePdf, pdfPages } from '../../helpers/documents.js';
import { assertStartsWith, assertText, assertZipEntry, eachFile } from '../content.js';
import { byLibreOffice, written } from '../makers/libreoffice.js';
import type { FormatPart, OutputCheck, SampleMaker } from '../types.js';

export const SAMPLE_HTML = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Matrix sample</title></head><body><h1>Matrix sample</h1><p>The quick brown fox jumps over the lazy dog.</p><ul><li>one</li><li>two</li></ul></body></html>';
export const SAMPLE_CSV = 'name,count\nalpha,1\nbeta,2\n';


const html = written('sample.html', SAMPLE_HTML);
const csv = written('sample.csv', SAMPLE_CSV);
const odp: SampleMaker = async (dir) => {
  const file = path.join(dir, 'sample.odp');
  await makeOdp(file, ['First slide', 'Second slide']);
  return file;
};

const OLE2 = Buffer.from('d0cf11e0a1b11ae1', 'hex');
const ole2: OutputCheck = (files) => eachFile(files, (file) => assertStartsWith(file, OLE2));
const zipPart = (entry: string): OutputCheck => (files) => eachFile(files, (file) => assertZipEntry(file, entry));
const openDocument = (mime: string): OutputCheck => (files) =>
  eachFile(files, async (file) => {
    await assertZipEntry(file, 'mimetype', mime);
    await assertZipEntry(file, 'content.xml');
  });

export const DOCUMENTS_PART: FormatPart = {
  name: 'documents',
  tools: ['soffice', 'mutool', 'unzip'],
  samples: {
    pdf: async (dir) => {
      const file = path.join(dir, 'sample.pdf');
      await makePdf(file, 2);
      return file;
    },
    txt: written('sample.txt', 'Matrix sample\n\nThe quick brown fox jumps over the lazy dog.\n'),
    html,
    csv,
    odt: byLibreOffice('odt', html),
    docx: byLibreOffice('docx', html, 'MS Word 2007 XML'),
    doc: byLibreOffice('doc', html, 'MS Word 97'),
    rtf: byLibreOffice('rtf', html, 'Rich Text Format'),
    ods: byLibreOffice('ods', csv),
    xlsx: byLibreOffice('xlsx', csv),
    xls: byLibreOffice('xls', csv),
    odp,
    pptx: byLibreOffice('pptx', odp),
    ppt: byLibreOffice('ppt', odp),
  },
  checks: {
    pdf: (files) =>
      eachFile(files, async (file) => {
        await assertStartsWith(file, '%PDF-');
        assert.ok((await pdfPages(file)) >= 1, `${path.basename(file)} has no pages`);
      }),
    docx: zipPart('word/document.xml'),
    xlsx: zipPart('xl/workbook.xml'),
    pptx: zipPart('ppt/presentation.xml'),
    odt: openDocument('application/vnd.oasis.opendocument.text'),
    ods: openDocument('application/vnd.oasis.opendocument.spreadsheet'),
    odp: openDocument('application/vnd.oasis.opendocument.presentation'),
    doc: ole2,
    xls: ole2,
    ppt: ole2,
    rtf: (files) => eachFile(files, (file) => assertStartsWith(file, '{\\rtf')),
    txt: (files) => eachFile(files, (file) => assertText(file, /\S/)),
    html: (files) => eachFile(files, (file) => assertText(file, /<(html|body|div|p|table)[\s>]/i)),
    csv: (files) => eachFile(files, (file) => assertText(file, /\S/)),
  },
  optionSamples: {
    libreoffice: { input: 'docx', output: 'pdf', options: { pdf_a: true, page_range: '1' } },
    mupdf: { input: 'pdf', output: 'png', options: { density: 36, page_range: '2' } },
    chromium: { input: 'html', output: 'png', options: { screen_width: 320, screen_height: 240, javascript: false } },
  },
};
