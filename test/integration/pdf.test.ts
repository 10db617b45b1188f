// The PDF engine (mutool) through the API: pages to images with their pixel sizes checked against
// density, page_range, quality, pdf to text, and a corrupt PDF.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { convertFile } from '../helpers/convert.js';
import { makePdf, pdfPages, pdfText, requireOfficeTools } from '../helpers/documents.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('PDF engine through the API', () => {
  let server: TestServer;
  let dir: string;
  let pdf: string;
  const out = async (): Promise<string> => mkdtemp(path.join(dir, 'out-'));

  before(async () => {
    await requireOfficeTools();
    server = await startTestServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-pdf-'));
    pdf = path.join(dir, 'report.pdf');
    await makePdf(pdf, 3, [612, 792]);
  });
  after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('renders one png per page, sized by density, named <name>-<page>.png', async () => {
    const result = await convertFile(server, pdf, { inputformat: 'pdf', outputformat: 'png', converteroptions: { density: 72 } }, await out());
    assert.equal(result.status.body['step'], 'finished', String(result.status.body['message']));
    assert.deepEqual((result.status.body['output'] as { files: string[] }).files, ['report-1.png', 'report-2.png', 'report-3.png']);
    for (const file of result.files) {
      const meta = await sharp(file).metadata();
      assert.equal(meta.format, 'png');
      assert.deepEqual([meta.width, meta.height], [612, 792]);
    }
    // output.url itself is a ZIP of the pages, stored without compression (PNGs are compressed already).
    const saved = await convertFile(server, pdf, { inputformat: 'pdf', outputformat: 'png', converteroptions: { density: 30 }, save: true }, await out());
    const zipped = await fetch(server.abs(String((saved.status.body['output'] as { url: string }).url)));
    assert.equal(zipped.headers.get('content-type'), 'application/zip');
    const zipFile = path.join(await out(), 'pages.zip');
    await writeFile(zipFile, Buffer.from(await zipped.arrayBuffer()));
    const { stdout: listing } = await promisify(execFile)('unzip', ['-v', zipFile]);
    const entries = [...listing.matchAll(/^\s*(\d+)\s+(\w+)\s.*\s(\S+\.png)$/gm)].map((m) => [m[3], m[2]]);
    assert.deepEqual(entries, [['report-1.png', 'Stored'], ['report-2.png', 'Stored'], ['report-3.png', 'Stored']]);
    const dense = await convertFile(server, pdf, { inputformat: 'pdf', outputformat: 'png', converteroptions: { density: 144, page_range: '2' } }, await out());
    assert.equal((dense.status.body['output'] as { filename: string }).filename, 'report.png');
    const meta = await sharp(dense.files[0] ?? '').metadata();
    assert.deepEqual([meta.width, meta.height], [1224, 1584]);
  });

  it('writes jpg, tiff and webp pages; quality changes the jpg size', async () => {
    for (const format of ['jpg', 'tiff', 'webp'] as const) {
      const result = await convertFile(server, pdf, { inputformat: 'pdf', outputformat: format, converteroptions: { page_range: '1-2', density: 50 } }, await out());
      assert.equal(result.status.body['step'], 'finished', `${format}: ${String(result.status.body['message'])}`);
      assert.equal(result.files.length, 2, format);
      assert.equal((await sharp(result.files[0] ?? '').metadata()).format, format === 'jpg' ? 'jpeg' : format);
    }
    const size = async (quality: number): Promise<number> => {
      const result = await convertFile(server, pdf, { inputformat: 'pdf', outputformat: 'jpg', converteroptions: { page_range: '1', quality } }, await out());
      return (await stat(result.files[0] ?? '')).size;
    };
    assert.ok((await size(10)) < (await size(95)));
  });

  it('extracts the text of the selected pages', async () => {
    const result = await convertFile(server, pdf, { inputformat: 'pdf', outputformat: 'txt', converteroptions: { page_range: '2-3' } }, await out());
    const text = await readFile(result.files[0] ?? '', 'utf8');
    assert.match(text, /Page 2 text/);
    assert.match(text, /Page 3 text/);
    assert.doesNotMatch(text, /Page 1 text/);
  });

  it('writes one SVG per page (vector, sized like the page) and an HTML page with the text positioned', async () => {
    const svg = await convertFile(server, pdf, { inputformat: 'pdf', outputformat: 'svg', converteroptions: { page_range: '1-2' } }, await out());
    assert.equal(svg.status.body['step'], 'finished', String(svg.status.body['message']));
    assert.deepEqual((svg.status.body['output'] as { files: string[] }).files, ['report-1.svg', 'report-2.svg']);
    for (const file of svg.files) {
      const text = await readFile(file, 'utf8');
      assert.match(text, /^<svg [^>]*width="612pt" height="792pt"/);
      assert.doesNotMatch(text, /<image/, 'text and drawings stay vectors');
      const meta = await sharp(file).metadata();
      assert.equal(meta.format, 'svg');
    }
    const html = await convertFile(server, pdf, { inputformat: 'pdf', outputformat: 'html', converteroptions: { page_range: '3' } }, await out());
    assert.equal((html.status.body['output'] as { filename: string }).filename, 'report.html');
    const page = await readFile(html.files[0] ?? '', 'utf8');
    assert.match(page, /<p style="top:[\d.]+pt;left:[\d.]+pt[^"]*"><span[^>]*>Page 3 text<\/span>/);
    assert.doesNotMatch(page, /Page 1 text/);
  });

  it('extracts, rotates and encrypts pages (pdf → pdf)', async () => {
    const result = await convertFile(server, pdf, { inputformat: 'pdf', outputformat: 'pdf', converteroptions: { page_range: '3,1', rotate: '90', encrypt_password: 'open sesame' } }, await out());
    assert.equal(result.status.body['step'], 'finished', String(result.status.body['message']));
    const file = result.files[0] ?? '';
    // Encrypted: unreadable without the password.
    await assert.rejects(pdfPages(file));
    const { PDFDocument } = await import('pdf-lib');
    const decrypted = path.join(dir, 'decrypted.pdf');
    const opened = await convertFile(server, file, { inputformat: 'pdf', outputformat: 'pdf', converteroptions: { password: 'open sesame' } }, await out());
    assert.equal(opened.status.body['step'], 'finished', String(opened.status.body['message']));
    await writeFile(decrypted, await readFile(opened.files[0] ?? ''));
    const doc = await PDFDocument.load(await readFile(decrypted));
    assert.equal(doc.getPageCount(), 2);
    assert.deepEqual(doc.getPages().map((p) => p.getRotation().angle), [90, 90]);
    const text = await pdfText(decrypted);
    assert.ok(text.indexOf('Page 3 text') < text.indexOf('Page 1 text') && text.includes('Page 1 text'), text);
    assert.doesNotMatch(text, /Page 2 text/);
    const wrong = await convertFile(server, file, { inputformat: 'pdf', outputformat: 'png', converteroptions: { password: 'wrong' } }, await out());
    assert.equal(wrong.status.status, 422);
    assert.match(String(wrong.status.body['message']), /password/);
  });

  it('turns images into a PDF: one page per image, per page of a TIFF', async () => {
    const png = path.join(dir, 'photo.png');
    await sharp({ create: { width: 300, height: 200, channels: 3, background: 'red' } }).png().toFile(png);
    const fromPng = await convertFile(server, png, { inputformat: 'png', outputformat: 'pdf' }, await out());
    assert.equal(fromPng.status.body['step'], 'finished', String(fromPng.status.body['message']));
    assert.equal(await pdfPages(fromPng.files[0] ?? ''), 1);
    const webp = path.join(dir, 'photo.webp');
    await sharp(png).webp().toFile(webp);
    const fromWebp = await convertFile(server, webp, { inputformat: 'webp', outputformat: 'pdf' }, await out());
    assert.equal(await pdfPages(fromWebp.files[0] ?? ''), 1);
    const tiff = path.join(dir, 'scan.tiff');
    const page = await sharp(png).raw().toBuffer();
    await sharp(Buffer.concat([page, page, page]), { raw: { width: 300, height: 600, channels: 3, pageHeight: 200 } } as never).tiff().toFile(tiff);
    const fromTiff = await convertFile(server, tiff, { inputformat: 'tiff', outputformat: 'pdf' }, await out());
    assert.equal(fromTiff.status.body['step'], 'finished', String(fromTiff.status.body['message']));
    assert.equal(await pdfPages(fromTiff.files[0] ?? ''), 3);
  });

  it('refuses a page_range past the end and a corrupt PDF', async () => {
    const past = await convertFile(server, pdf, { inputformat: 'pdf', outputformat: 'png', converteroptions: { page_range: '2-5' } }, await out());
    assert.equal(past.status.status, 400);
    assert.match(String(past.status.body['message']), /page 5, but the PDF has 3 pages/);
    const corrupt = path.join(dir, 'broken.pdf');
    await writeFile(corrupt, '%PDF-1.4\nnot really a pdf\n');
    const bad = await convertFile(server, corrupt, { inputformat: 'pdf', outputformat: 'png' }, await out());
    assert.equal(bad.status.status, 422);
    assert.match(String(bad.status.body['message']), /mutool could not read the file/);
  });
});
