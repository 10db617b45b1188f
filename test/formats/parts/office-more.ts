// The office formats of issue 18's second round, all written by LibreOffice at test time (one
// soffice start at a time): OpenDocument templates (ott, ots, otp, otg), Excel templates (xltx,
// xlt) and the interchange formats DIF and SYLK. Outputs are proven by their structure, read back
// by a parser: the ZIP's stored mimetype and main part, the OOXML main part's content type, the
// OLE2 directory's Workbook stream, DIF's header and data records, SYLK's records.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { makeOdp } from '../../helpers/documents.js';
import { assertStartsWith, assertZipEntry, eachFile, tool, zipEntries } from '../content.js';
import { byLibreOffice, FODG, written } from '../makers/libreoffice.js';
import type { FormatPart, OutputCheck, SampleMaker } from '../types.js';
import { ole2Streams } from './office-extra.js';

const HTML = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Office sample</title></head><body><h1>Office sample</h1><p>Hello office world.</p></body></html>';
const CSV = 'name,count\nalpha,1\nbeta,2\n';



const html = written('more.html', HTML);
const csv = written('more.csv', CSV);
/** HTML opens in Writer/Web; saved as a Writer odt first (writerweb8_writer), so the template is a text template. */
const odt = byLibreOffice('odt', html, 'writerweb8_writer');
const odp: SampleMaker = async (dir) => {
  const file = path.join(dir, 'more.odp');
  await makeOdp(file, ['First slide', 'Second slide']);
  return file;
};

/** An OpenDocument template: the stored mimetype first (the signature), and content.xml holding `body`. */
const template = (kind: string, body: RegExp): OutputCheck => (files) =>
  eachFile(files, async (file) => {
    await assertStartsWith(file, `mimetypeapplication/vnd.oasis.opendocument.${kind}-template`, 30);
    await assertZipEntry(file, 'mimetype', `application/vnd.oasis.opendocument.${kind}-template`);
    await assertZipEntry(file, 'content.xml');
    assert.match(await tool('unzip', ['-p', file, 'content.xml']), body, `content.xml of ${path.basename(file)}`);
  });

/** Python's zipfile: the content type [Content_Types].xml gives xl/workbook.xml, and the sheet count. */
const XLSX_SCRIPT = `
import json, re, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    types = z.read("[Content_Types].xml").decode("utf-8")
    m = re.search(r'PartName="/xl/workbook.xml"\\s+ContentType="([^"]+)"', types)
    print(json.dumps({"type": m.group(1) if m else None, "sheets": len(re.findall(r"<sheet ", z.read("xl/workbook.xml").decode("utf-8")))}))
`;

/** DIF: the TABLE header, then DATA, rows each opened by a BOT record (-1,0 then BOT), and EOD. */
const dif: OutputCheck = (files) =>
  eachFile(files, async (file) => {
    await assertStartsWith(file, 'TABLE');
    const lines = (await readFile(file, 'latin1')).split(/\r?\n/).map((l) => l.trim());
    const data = lines.indexOf('DATA');
    assert.ok(data > 0, `${path.basename(file)} has no DATA header record`);
    const rows = lines.filter((l, i) => l === 'BOT' && lines[i - 1] === '-1,0').length;
    assert.ok(rows > 0, `${path.basename(file)} has no row (BOT record)`);
    assert.ok(lines.includes('EOD'), `${path.basename(file)} has no EOD record`);
  });

/** SYLK: the ID record, cell records (C;...) and the closing E record. */
const slk: OutputCheck = (files) =>
  eachFile(files, async (file) => {
    await assertStartsWith(file, 'ID;');
    const records = (await readFile(file, 'latin1')).split(/\r?\n/).filter((l) => l !== '');
    assert.ok(records.some((r) => /^C;(?:.*;)?K/.test(r)), `${path.basename(file)} has no cell value record`);
    assert.equal(records.at(-1), 'E', `${path.basename(file)} does not end with its E record`);
  });

export const OFFICE_MORE_PART: FormatPart = {
  name: 'office-more',
  tools: ['soffice', 'python3', 'unzip'],
  samples: {
    ott: byLibreOffice('ott', odt, 'writer8_template'),
    ots: byLibreOffice('ots', csv, 'calc8_template'),
    xltx: byLibreOffice('xltx', csv, 'Calc MS Excel 2007 XML Template'),
    xlt: byLibreOffice('xlt', csv, 'MS Excel 97 Vorlage/Template'),
    dif: byLibreOffice('dif', csv, 'DIF'),
    slk: byLibreOffice('slk', csv, 'SYLK'),
    otp: byLibreOffice('otp', odp, 'impress8_template'),
    otg: byLibreOffice('otg', written('more.fodg', FODG), 'draw8_template'),
  },
  checks: {
    ott: template('text', /<office:text[\s>]/),
    ots: template('spreadsheet', /<table:table[\s>]/),
    xltx: (files) =>
      eachFile(files, async (file) => {
        assert.ok((await zipEntries(file)).includes('xl/workbook.xml'), `${path.basename(file)} has no xl/workbook.xml`);
        const read = JSON.parse(await tool('python3', ['-c', XLSX_SCRIPT, file])) as { type: string | null; sheets: number };
        assert.equal(read.type, 'application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml', `content type of xl/workbook.xml in ${path.basename(file)}`);
        assert.ok(read.sheets > 0, `${path.basename(file)} has no sheet`);
      }),
    xlt: (files) =>
      eachFile(files, async (file) => {
        const streams = await ole2Streams(file);
        assert.ok(streams.includes('Workbook'), `${path.basename(file)} has no Workbook stream (streams: ${streams.join(', ')})`);
      }),
    dif,
    slk,
    otp: template('presentation', /<draw:page[\s>]/),
    otg: template('graphics', /<draw:page[\s>]/),
  },
};
