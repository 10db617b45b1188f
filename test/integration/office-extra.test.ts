// Issue 18's office formats through the API, for what the format matrix does not cover: files
// that are not their declared format are refused with a message naming what was expected (before
// LibreOffice or mutool opens them), the page and pixel limits hold for XPS and DjVu, options are
// validated, and every sample the matrix makes starts like its catalog signature says.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import yazl from 'yazl';
import { FORMATS, type Format } from '../../src/core/catalog/index.js';
import type { FormatInfo } from '../../src/core/catalog/format-groups/format-info.js';
import { matchesSignature, readHead } from '../../src/core/file-signatures.js';
import { OFFICE_EXTRA_PART } from '../formats/parts/office-extra.js';
import { convertFile } from '../helpers/convert.js';
import { makePdf, pdfPages } from '../helpers/documents.js';
import { auth, postJson } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { requireTools } from '../helpers/tools.js';

const run = promisify(execFile);

async function zipFile(file: string, entries: Record<string, string>): Promise<string> {
  const zip = new yazl.ZipFile();
  for (const [name, text] of Object.entries(entries)) zip.addBuffer(Buffer.from(text), name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  await writeFile(file, Buffer.concat(chunks));
  return file;
}

/** A DjVu of `pages` pages of width x height pixels (c44, bundled by djvm). */
async function makeDjvu(dir: string, pages: number, width: number, height: number): Promise<string> {
  const pgm = path.join(dir, `page-${width}x${height}.pgm`);
  await run('convert', ['-size', `${width}x${height}`, 'xc:white', '-fill', 'black', '-draw', 'rectangle 10,10 60,40', pgm]);
  const page = path.join(dir, `page-${width}x${height}.djvu`);
  await run('c44', ['-dpi', '100', pgm, page]);
  const file = path.join(dir, `doc-${pages}-${width}x${height}.djvu`);
  await run('djvm', ['-c', file, ...Array.from({ length: pages }, () => page)]);
  return file;
}

describe('office formats of issue 18: bad input, limits, options', () => {
  let server: TestServer;
  let dir: string;
  let n = 0;
  const out = async (): Promise<string> => {
    const folder = path.join(dir, `out-${++n}`);
    await mkdir(folder);
    return folder;
  };
  const failure = async (file: string, inputformat: string, outputformat: string): Promise<string> => {
    const result = await convertFile(server, file, { inputformat, outputformat }, await out());
    assert.equal(result.status.body['step'], 'error', `${inputformat} → ${outputformat} should fail: ${JSON.stringify(result.status.body)}`);
    assert.equal(result.status.body['code'], 422, JSON.stringify(result.status.body));
    return String(result.status.body['message']);
  };

  before(async () => {
    await requireTools(['soffice', 'mutool', 'ddjvu', 'djvudump', 'djvm', 'c44', 'gs', 'convert', 'python3']);
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-office-extra-'));
    server = await startTestServer({ env: { PDF_MAX_PAGES: '2', MAX_IMAGE_PIXELS: '1000000' } });
  });

  after(async () => {
    await server?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('every sample starts like its format\'s catalog signature, and not like the other families\'', async () => {
    const samples = path.join(dir, 'samples');
    for (const format of ['abw', 'xps', 'oxps', 'djvu'] as const) {
      const maker = OFFICE_EXTRA_PART.samples[format];
      assert.ok(maker !== undefined);
      const folder = path.join(samples, format);
      await mkdir(folder, { recursive: true });
      const head = await readHead(await maker(folder));
      const own = (FORMATS[format] as FormatInfo).signature;
      assert.ok(own !== undefined && matchesSignature(own, head), `${format} sample matches its signature`);
      for (const other of ['docm', 'dot', 'odg', 'djvu'] as const satisfies readonly Format[]) {
        const signature = (FORMATS[other] as FormatInfo).signature;
        // Formats of one container share its magic (xps and docm are both ZIP packages).
        if (signature === undefined || JSON.stringify(signature) === JSON.stringify(own)) continue;
        assert.ok(!matchesSignature(signature, head), `${format} sample does not match the ${other} signature`);
      }
    }
  });

  it('refuses a ZIP without the main part of the declared OOXML format, before LibreOffice opens it', async () => {
    const notWord = await zipFile(path.join(dir, 'slides.docm'), { '[Content_Types].xml': '<Types/>', 'ppt/presentation.xml': '<p:presentation/>' });
    assert.match(await failure(notWord, 'docm', 'pdf'), /The docm file is not a Word package \(with word\/document\.xml\)/);
    const notSlides = await zipFile(path.join(dir, 'words.potx'), { '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>' });
    assert.match(await failure(notSlides, 'potx', 'pptx'), /not a PowerPoint package/);
  });

  it('refuses XML of another kind, and a file that is not XML, for flat OpenDocument and AbiWord', async () => {
    const sheet = path.join(dir, 'sheet.fodt');
    await writeFile(sheet, '<?xml version="1.0"?><office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:mimetype="application/vnd.oasis.opendocument.spreadsheet"/>');
    assert.match(await failure(sheet, 'fodt', 'docx'), /not a flat OpenDocument text/);
    const html = path.join(dir, 'page.abw');
    await writeFile(html, '<html><body>not AbiWord</body></html>');
    assert.match(await failure(html, 'abw', 'pdf'), /not an AbiWord document/);
  });

  it('refuses a DjVu, XPS or odg that is something else, naming what was expected', async () => {
    const png = path.join(dir, 'image.djvu');
    await run('convert', ['-size', '20x20', 'xc:red', `png:${png}`]);
    // The worker's signature check refuses what does not start like the format, before any tool.
    assert.match(await failure(png, 'djvu', 'pdf'), /"image\.djvu" is not a djvu file/);
    const zip = await zipFile(path.join(dir, 'other.xps'), { 'hello.txt': 'hello' });
    assert.match(await failure(zip, 'xps', 'png'), /could not read the file/);
    assert.match(await failure(zip, 'odg', 'pdf'), /"other\.xps" is not a odg file|The odg file is not an OpenDocument drawing/);
  });

  it('holds PDF_MAX_PAGES and MAX_IMAGE_PIXELS for DjVu before decoding, and the page limit for XPS', async () => {
    assert.match(await failure(await makeDjvu(dir, 3, 120, 80), 'djvu', 'pdf'), /has 3 pages; this server reads at most 2 \(PDF_MAX_PAGES\)/);
    assert.match(await failure(await makeDjvu(dir, 1, 1200, 1000), 'djvu', 'png'), /Page 1 of the djvu document is 1200x1000 pixels; this server decodes at most 1000000 pixels \(MAX_IMAGE_PIXELS\)/);
    const pdf = path.join(dir, 'three.pdf');
    await makePdf(pdf, 3);
    const xps = path.join(dir, 'three.xps');
    await run('gs', ['-q', '-dSAFER', '-dBATCH', '-dNOPAUSE', '-sDEVICE=xpswrite', `-sOutputFile=${xps}`, pdf]);
    assert.match(await failure(xps, 'xps', 'pdf'), /The xps document has 3 pages; this server reads at most 2 \(PDF_MAX_PAGES\)/);
  });

  it('applies page_range and density to XPS and DjVu pages, and refuses a density out of range', async () => {
    const djvu = await makeDjvu(dir, 2, 300, 200);
    const one = await convertFile(server, djvu, { inputformat: 'djvu', outputformat: 'pdf', converteroptions: { page_range: '2' } }, await out());
    assert.equal(one.status.body['step'], 'finished', JSON.stringify(one.status.body));
    assert.equal(await pdfPages(one.files[0] ?? ''), 1);
    const xpsMaker = OFFICE_EXTRA_PART.samples.xps;
    assert.ok(xpsMaker !== undefined);
    const xpsDir = path.join(dir, 'xps');
    await mkdir(xpsDir);
    const xps = await xpsMaker(xpsDir);
    const pages = await convertFile(server, xps, { inputformat: 'xps', outputformat: 'png', converteroptions: { density: 36 } }, await out());
    assert.equal(pages.status.body['step'], 'finished', JSON.stringify(pages.status.body));
    assert.equal(pages.files.length, 2);
    const png = await readFile(pages.files[0] ?? '');
    // 612 x 792 points at 36 dpi: 306 x 396 pixels.
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [306, 396]);
    const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'xps', outputformat: 'png' }, auth());
    const bad = await postJson(server.abs(String(created.body['url'])), { input: 'upload', outputformat: 'png', converteroptions: { density: 5 } });
    assert.equal(bad.status, 400, JSON.stringify(bad.body));
    assert.match(String(bad.body['error']), /density .*Valid values: a whole number from 10 to 1200/);
  });
});
