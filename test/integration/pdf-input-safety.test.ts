// Hostile inputs of the PDF engine (mutool) and of mode=compress (Ghostscript) through the API:
// a file whose name picks another mutool reader, content that is not what inputformat says,
// PostScript sent as a PDF, and pages or images past MAX_IMAGE_PIXELS (set low here, so the
// oversized renders the old code made stay small). All made at test time.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { convertFile } from '../helpers/convert.js';
import { pdfPages, requireOfficeTools } from '../helpers/documents.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { tiffPages } from '../helpers/tiff-bytes.js';

const MAX_PIXELS = 4_000_000;

/** HTML for MuPDF's HTML engine that also holds enough PDF objects for `mutool show` to count a page. */
const POLYGLOT = `<html><body><p>HTML ENGINE RAN</p><img src="../../../../../../../../etc/hostname"/><!--
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Count 1 /Kids [3 0 R] >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >> endobj
trailer << /Root 1 0 R >>
--></body></html>
`;

describe('PDF engine and Ghostscript: inputs that are not what they say', () => {
  let server: TestServer;
  let dir: string;
  const out = async (): Promise<string> => mkdtemp(path.join(dir, 'out-'));

  before(async () => {
    await requireOfficeTools();
    server = await startTestServer({ env: { MAX_IMAGE_PIXELS: String(MAX_PIXELS) } });
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-pdf-safety-'));
  });
  after(async () => {
    await server?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  const refused = (result: { status: { status: number; body: Record<string, unknown> } }, message: RegExp): void => {
    assert.equal(result.status.status, 422, JSON.stringify(result.status.body));
    assert.equal(result.status.body['step'], 'error');
    assert.match(String(result.status.body['message']), message);
  };

  it('never lets the upload\'s name pick mutool\'s reader: an .xhtml sent as pdf is refused', async () => {
    const file = path.join(dir, 'report.xhtml');
    await writeFile(file, POLYGLOT);
    for (const outputformat of ['txt', 'png']) {
      const result = await convertFile(server, file, { inputformat: 'pdf', outputformat }, await out());
      assert.deepEqual(result.files, [], 'nothing of the HTML engine comes back');
      refused(result, /The pdf file is not a PDF \(with %PDF- in its first 1024 bytes/);
    }
  });

  it('refuses an HTML body named .pdf before mutool opens it', async () => {
    const file = path.join(dir, 'page.pdf');
    await writeFile(file, '<html><body><img src="../../../../dev/zero"></body></html>');
    refused(await convertFile(server, file, { inputformat: 'pdf', outputformat: 'txt' }, await out()), /The pdf file is not a PDF/);
  });

  it('refuses an image whose bytes are not its format before mutool converts it', async () => {
    const file = path.join(dir, 'photo.png');
    await writeFile(file, POLYGLOT);
    refused(await convertFile(server, file, { inputformat: 'png', outputformat: 'pdf' }, await out()), /The png file is not a PNG image/);
  });

  it('refuses PostScript sent as a PDF for mode=compress before Ghostscript runs it', async () => {
    // Ghostscript runs a file starting with %! as PostScript, even with a PDF header after it.
    const page = '/Helvetica findfont 24 scalefont setfont 72 700 moveto (POSTSCRIPT RAN) show showpage\n';
    for (const [name, body] of [['plain.pdf', `%!PS-Adobe-3.0\n${page}`], ['headed.pdf', `%!PS\n%PDF-1.4\n${page}`]] as const) {
      const file = path.join(dir, name);
      await writeFile(file, body);
      const result = await convertFile(server, file, { mode: 'compress', inputformat: 'pdf' }, await out());
      assert.deepEqual(result.files, [], name);
      refused(result, /The pdf file is not a PDF \(with %PDF- in its first 1024 bytes, and no PostScript before it\)/);
    }
  });

  it('lowers the default density of a page too large for MAX_IMAGE_PIXELS, and refuses a density given for it', async () => {
    const doc = await PDFDocument.create();
    doc.addPage([612, 792]);
    doc.addPage([2000, 2000]); // 4167x4167 pixels at the default 150 dpi
    const file = path.join(dir, 'poster.pdf');
    await writeFile(file, await doc.save());
    const result = await convertFile(server, file, { inputformat: 'pdf', outputformat: 'png' }, await out());
    assert.equal(result.status.body['step'], 'finished', String(result.status.body['message']));
    const sizes = await Promise.all(result.files.map(async (f) => sharp(f).metadata().then((m) => [m.width, m.height])));
    // Page 1 keeps 150 dpi; page 2 gets the largest density that fits: 72 dpi, 2000x2000 = 4000000.
    assert.deepEqual(sizes, [[1275, 1650], [2000, 2000]]);
    const given = await convertFile(server, file, { inputformat: 'pdf', outputformat: 'jpg', converteroptions: { density: 150 } }, await out());
    assert.equal(given.status.status, 400, JSON.stringify(given.status.body));
    assert.match(String(given.status.body['message']), /Page 2 would be 4167x4167 pixels at 150 dpi, more than the limit of 4000000 \(MAX_IMAGE_PIXELS\)\. Give converteroptions\[density\] = 72 or less/);
  });

  it('refuses images over MAX_IMAGE_PIXELS before mutool decodes them, every TIFF page counted', async () => {
    const png = path.join(dir, 'wide.png');
    await sharp({ create: { width: 2500, height: 2000, channels: 3, background: 'white' } }).png().toFile(png);
    refused(await convertFile(server, png, { inputformat: 'png', outputformat: 'pdf' }, await out()), /^The image is 2500x2000 pixels, more than the limit of 4000000 \(MAX_IMAGE_PIXELS\)/);
    const tiff = path.join(dir, 'scan.tiff');
    await writeFile(tiff, tiffPages([{ width: 100, height: 80 }, { width: 2500, height: 2000 }]));
    refused(await convertFile(server, tiff, { inputformat: 'tiff', outputformat: 'pdf' }, await out()), /^Page 2 of the image is 2500x2000 pixels/);
    const fine = path.join(dir, 'pages.tiff');
    await writeFile(fine, tiffPages([{ width: 100, height: 80 }, { width: 1900, height: 2000 }, { width: 30, height: 20 }]));
    const made = await convertFile(server, fine, { inputformat: 'tiff', outputformat: 'pdf' }, await out());
    assert.equal(made.status.body['step'], 'finished', String(made.status.body['message']));
    assert.equal(await pdfPages(made.files[0] ?? ''), 3);
  });
});
