// The office formats issue 18 added: macro-enabled OOXML, templates, flat OpenDocument, pps,
// odg (LibreOffice writes every one of these samples from an HTML page, a CSV table, an ODP and a
// flat drawing written here), AbiWord (its XML written here: no tool on Debian writes it), XPS
// (Ghostscript's xpswrite from a PDF), OpenXPS (that XPS with the ECMA-388 names, as Windows
// writes it) and DjVu (c44 from an image, two pages bundled by djvm). Outputs are proven by
// their structure: the ZIP main part and its content type, the OLE2 directory's stream names, the
// flat XML's root and kind, and the text or slide count that came through.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeOdp, makePdf } from '../../helpers/documents.js';
import { byLibreOffice, FODG, written } from '../makers/libreoffice.js';
import type { FormatPart, OutputCheck, SampleMaker } from '../types.js';

const execute = promisify(execFile);

async function run(binary: string, args: readonly string[], cwd?: string): Promise<string> {
  const { stdout } = await execute(binary, [...args], { cwd, maxBuffer: 64 * 1024 * 1024, timeout: 180_000 });
  return stdout;
}

const HTML = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Office sample</title></head><body><h1>Office sample</h1><p>Hello office world.</p></body></html>';
const CSV = 'name,count\nalpha,1\nbeta,2\n';


const html = written('source.html', HTML);
const csv = written('source.csv', CSV);
const odp: SampleMaker = async (dir) => {
  const file = path.join(dir, 'source.odp');
  await makeOdp(file, ['First slide', 'Second slide']);
  return file;
};


/** An AbiWord document (AbiWord 2.x's own format: XML with an <abiword> root), two paragraphs. */
const ABW = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE abiword PUBLIC "-//ABISOURCE//DTD AWML 1.0 Strict//EN" "http://www.abisource.com/awml.dtd">
<abiword template="false" xmlns="http://www.abisource.com/awml.dtd" xmlns:fo="http://www.w3.org/1999/XSL/Format" xmlns:svg="http://www.w3.org/2000/svg" version="2.9.4" fileformat="1.1">
<metadata><m key="dc.format">application/x-abiword</m><m key="dc.title">Office sample</m></metadata>
<styles><s type="P" name="Normal" followedby="Current Settings" props="font-family:Liberation Serif; font-size:12pt"/></styles>
<pagesize pagetype="A4" orientation="portrait" width="210.000000" height="297.000000" units="mm" page-scale="1.000000"/>
<section props="page-margin-left:1.0000in; page-margin-right:1.0000in">
<p style="Normal">Office sample</p>
<p style="Normal">Hello office world.</p>
</section>
</abiword>
`;

/** A two-page XPS from a PDF, by Ghostscript's xpswrite device. */
const xps: SampleMaker = async (dir) => {
  const pdf = path.join(dir, 'source.pdf');
  await makePdf(pdf, 2);
  const file = path.join(dir, 'sample.xps');
  await run('gs', ['-q', '-dSAFER', '-dBATCH', '-dNOPAUSE', '-sDEVICE=xpswrite', `-sOutputFile=${file}`, pdf]);
  return file;
};

/**
 * OpenXPS (ECMA-388) is XPS with other namespace and relationship names: the XPS above, its
 * parts renamed as ECMA-388 §9 and Annex lists them (Python's zipfile rewrites the package).
 */
const OXPS_SCRIPT = `
import sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
names = [("http://schemas.microsoft.com/xps/2005/06/fixedrepresentation", "http://schemas.openxps.org/oxps/v1.0/fixedrepresentation"),
         ("http://schemas.microsoft.com/xps/2005/06", "http://schemas.openxps.org/oxps/v1.0")]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename.endswith((".rels", ".fdseq", ".fdoc", ".fpage", ".xml")):
            text = data.decode("utf-8")
            for old, new in names:
                text = text.replace(old, new)
            data = text.encode("utf-8")
        zout.writestr(item.filename, data)
`;
const oxps: SampleMaker = async (dir) => {
  const source = await xps(dir);
  const file = path.join(dir, 'sample.oxps');
  await run('python3', ['-c', OXPS_SCRIPT, source, file]);
  return file;
};

/** A two-page DjVu: c44 encodes a drawn grey image, djvm bundles it twice. */
const djvu: SampleMaker = async (dir) => {
  const pgm = path.join(dir, 'page.pgm');
  await run('convert', ['-size', '300x200', 'xc:white', '-fill', 'black', '-draw', 'rectangle 30,30 150,120', pgm]);
  const page = path.join(dir, 'page.djvu');
  await run('c44', ['-dpi', '100', pgm, page]);
  const file = path.join(dir, 'sample.djvu');
  await run('djvm', ['-c', file, page, page]);
  return file;
};

/** A Python reading of a ZIP: its entry names, and the content type [Content_Types].xml gives `part`. */
const ZIP_SCRIPT = `
import json, re, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    names = z.namelist()
    types = z.read("[Content_Types].xml").decode("utf-8") if "[Content_Types].xml" in names else ""
    part = sys.argv[2]
    m = re.search(r'PartName="/' + re.escape(part) + r'"\\s+ContentType="([^"]+)"', types) if part else None
    print(json.dumps({"names": names, "type": m.group(1) if m else None, "mimetype": z.read("mimetype").decode() if "mimetype" in names else None,
                      "text": z.read(part).decode("utf-8", "replace") if part in names else ""}))
`;
interface ZipReading { names: string[]; type: string | null; mimetype: string | null; text: string }
async function readZip(file: string, part: string): Promise<ZipReading> {
  const head = (await readFile(file)).subarray(0, 4);
  assert.ok(head.equals(Buffer.from('504b0304', 'hex')), `${path.basename(file)} is not a ZIP package`);
  return JSON.parse(await run('python3', ['-c', ZIP_SCRIPT, file, part])) as ZipReading;
}

/** The stream names of an OLE2 compound file's directory (its FAT chain followed, as [MS-CFB] §2). */
const OLE2_SCRIPT = `
import json, struct, sys
d = open(sys.argv[1], "rb").read()
assert d[:8] == bytes.fromhex("d0cf11e0a1b11ae1"), "no OLE2 signature"
size = 1 << struct.unpack_from("<H", d, 30)[0]
sector = lambda n: d[512 + n * size: 512 + (n + 1) * size]
difat = [s for s in struct.unpack_from("<109I", d, 76) if s < 0xFFFFFFFA]
fat = []
for s in difat:
    fat += struct.unpack("<%dI" % (size // 4), sector(s))
names, s, seen = [], struct.unpack_from("<I", d, 48)[0], 0
while s < 0xFFFFFFFA and seen < 10000:
    block = sector(s)
    for i in range(0, size, 128):
        n = struct.unpack_from("<H", block, i + 64)[0]
        if n >= 2:
            names.append(block[i:i + n - 2].decode("utf-16-le"))
    s, seen = fat[s], seen + 1
print(json.dumps(names))
`;
export const ole2Streams = async (file: string): Promise<string[]> => JSON.parse(await run('python3', ['-c', OLE2_SCRIPT, file])) as string[];

const each = (check: (file: string) => Promise<void>): OutputCheck => async (files) => {
  assert.ok(files.length > 0, 'no output files');
  for (const file of files) await check(file);
};

/** OOXML: the main part, of the content type of the format (macro-enabled, template...). */
const ooxml = (part: string, type: string): OutputCheck =>
  each(async (file) => {
    const zip = await readZip(file, part);
    assert.ok(zip.names.includes(part), `${path.basename(file)} has no ${part}`);
    assert.equal(zip.type, type, `content type of ${part} in ${path.basename(file)}`);
    if (part === 'ppt/presentation.xml') assert.ok(zip.names.some((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n)), `${path.basename(file)} has no slide`);
  });

/** OLE2: the stream the format's readers open. */
const ole2 = (stream: string): OutputCheck =>
  each(async (file) => {
    const streams = await ole2Streams(file);
    assert.ok(streams.includes(stream), `${path.basename(file)} has no ${stream} stream (streams: ${streams.join(', ')})`);
  });

/** Flat OpenDocument: an office:document root of the format's kind, holding a body. */
const flat = (kind: string, body: string): OutputCheck =>
  each(async (file) => {
    const text = await readFile(file, 'utf8');
    assert.match(text.slice(0, 256), /^<\?xml /, `${path.basename(file)} is not XML`);
    assert.match(text, new RegExp(`<office:document [^>]*office:mimetype="application/vnd\\.oasis\\.opendocument\\.${kind}"`), `${path.basename(file)} is not a flat ${kind}`);
    assert.ok(text.includes(`<office:${body}`), `${path.basename(file)} has no office:${body}`);
  });

export const OFFICE_EXTRA_PART: FormatPart = {
  name: 'office-extra',
  tools: ['soffice', 'python3', 'gs', 'convert', 'c44', 'djvm'],
  samples: {
    docm: byLibreOffice('docm', html, 'MS Word 2007 XML VBA'),
    dotx: byLibreOffice('dotx', html, 'MS Word 2007 XML Template'),
    dot: byLibreOffice('dot', html, 'MS Word 97 Vorlage'),
    fodt: byLibreOffice('fodt', html, 'OpenDocument Text Flat XML'),
    abw: written('sample.abw', ABW),
    xlsm: byLibreOffice('xlsm', csv, 'Calc MS Excel 2007 VBA XML'),
    fods: byLibreOffice('fods', csv, 'OpenDocument Spreadsheet Flat XML'),
    pptm: byLibreOffice('pptm', odp, 'Impress MS PowerPoint 2007 XML VBA'),
    ppsx: byLibreOffice('ppsx', odp, 'Impress MS PowerPoint 2007 XML AutoPlay'),
    pps: byLibreOffice('pps', odp, 'MS PowerPoint 97 AutoPlay'),
    potx: byLibreOffice('potx', odp, 'Impress MS PowerPoint 2007 XML Template'),
    fodp: byLibreOffice('fodp', odp, 'OpenDocument Presentation Flat XML'),
    odg: byLibreOffice('odg', written('source.fodg', FODG), 'draw8'),
    xps,
    oxps,
    djvu,
  },
  checks: {
    docm: ooxml('word/document.xml', 'application/vnd.ms-word.document.macroEnabled.main+xml'),
    dotx: ooxml('word/document.xml', 'application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml'),
    dot: ole2('WordDocument'),
    fodt: flat('text', 'text'),
    xlsm: ooxml('xl/workbook.xml', 'application/vnd.ms-excel.sheet.macroEnabled.main+xml'),
    fods: flat('spreadsheet', 'spreadsheet'),
    pptm: ooxml('ppt/presentation.xml', 'application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml'),
    pps: ole2('PowerPoint Document'),
    potx: ooxml('ppt/presentation.xml', 'application/vnd.openxmlformats-officedocument.presentationml.template.main+xml'),
    fodp: flat('presentation', 'presentation'),
    odg: each(async (file) => {
      const zip = await readZip(file, 'content.xml');
      assert.equal(zip.mimetype, 'application/vnd.oasis.opendocument.graphics', `mimetype of ${path.basename(file)}`);
      assert.match(zip.text, /<draw:page[\s>]/, `${path.basename(file)} has no drawing page`);
    }),
  },
};
