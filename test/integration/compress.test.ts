// mode=compress through the API: a heavy PDF gets smaller with Ghostscript's presets, JPEG and
// PNG get smaller with sharp, and a file that cannot be made smaller comes back unchanged with
// CloudConvert's "already compressed" message.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { convertFile } from '../helpers/convert.js';
import { auth, postJson } from '../helpers/http.js';
import { pdfPages, pdfText, requireOfficeTools } from '../helpers/documents.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** A two-page PDF, each page a full-bleed 2400x1800 noisy JPEG at quality 95 plus a line of text. */
async function heavyPdf(file: string): Promise<void> {
  const { PDFDocument, StandardFonts } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let page = 1; page <= 2; page++) {
    const photo = await sharp({ create: { width: 2400, height: 1800, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
      .jpeg({ quality: 95 })
      .toBuffer();
    const image = await doc.embedJpg(photo);
    const p = doc.addPage([576, 432]);
    p.drawImage(image, { x: 0, y: 0, width: 576, height: 432 });
    p.drawText(`Compressed page ${page}`, { x: 30, y: 30, size: 18, font });
  }
  await writeFile(file, await doc.save());
}

describe('mode=compress', () => {
  let server: TestServer;
  let dir: string;
  const out = async (): Promise<string> => mkdtemp(path.join(dir, 'out-'));

  before(async () => {
    await requireOfficeTools();
    server = await startTestServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-compress-'));
  });
  after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('makes a heavy PDF much smaller with the screen and ebook presets, keeping its pages and text', async () => {
    const input = path.join(dir, 'scan.pdf');
    await heavyPdf(input);
    const before = (await stat(input)).size;
    const sizes: Record<string, number> = {};
    for (const preset of ['screen', 'ebook'] as const) {
      const result = await convertFile(server, input, { mode: 'compress', inputformat: 'pdf', converteroptions: { pdf_preset: preset } }, await out());
      assert.equal(result.status.body['step'], 'finished', String(result.status.body['message']));
      assert.equal(result.status.body['message'], 'Conversion finished!');
      const output = result.files[0] ?? '';
      assert.equal((result.status.body['output'] as { filename: string }).filename, 'scan.pdf');
      assert.equal(await pdfPages(output), 2);
      assert.match(await pdfText(output), /Compressed page 2/);
      sizes[preset] = (await stat(output)).size;
    }
    for (const [preset, size] of Object.entries(sizes)) assert.ok(size < before / 3, `${preset}: ${size} bytes from ${before}`);
  });

  it('recompresses a JPEG and a true-colour PNG with sharp', async () => {
    const jpg = path.join(dir, 'photo.jpg');
    await sharp({ create: { width: 800, height: 600, channels: 3, background: '#336699', noise: { type: 'gaussian', mean: 100, sigma: 20 } } }).jpeg({ quality: 100 }).toFile(jpg);
    const png = path.join(dir, 'chart.png');
    const gradient = Buffer.alloc(400 * 300 * 3);
    for (let i = 0; i < 400 * 300; i++) gradient.set([i % 251, (i >> 3) % 253, (i >> 7) % 255], i * 3);
    await sharp(gradient, { raw: { width: 400, height: 300, channels: 3 } }).png({ compressionLevel: 0 }).toFile(png);
    for (const [file, format] of [[jpg, 'jpeg'], [png, 'png']] as const) {
      const result = await convertFile(server, file, { mode: 'compress', inputformat: path.extname(file).slice(1) }, await out());
      assert.equal(result.status.body['step'], 'finished', String(result.status.body['message']));
      const output = result.files[0] ?? '';
      const meta = await sharp(output).metadata();
      assert.equal(meta.format, format);
      assert.deepEqual([meta.width, meta.height], format === 'jpeg' ? [800, 600] : [400, 300]);
      assert.ok((await stat(output)).size < (await stat(file)).size, `${format} got smaller`);
    }
  });

  it('keeps a file name with % in it (Ghostscript reads % in output names as a page pattern)', async () => {
    const input = path.join(dir, '50%off.pdf');
    await heavyPdf(input);
    const result = await convertFile(server, input, { mode: 'compress', inputformat: 'pdf', converteroptions: { pdf_preset: 'screen' } }, await out());
    assert.equal(result.status.body['step'], 'finished', String(result.status.body['message']));
    assert.equal((result.status.body['output'] as { filename: string }).filename, '50%off.pdf');
    assert.equal(await pdfPages(result.files[0] ?? ''), 2);
  });

  it('returns the original with the "already compressed" message when it cannot be made smaller', async () => {
    const tiny = path.join(dir, 'tiny.jpg');
    await sharp({ create: { width: 64, height: 64, channels: 3, background: '#ffffff' } }).jpeg({ quality: 5, mozjpeg: true }).toFile(tiny);
    const result = await convertFile(server, tiny, { mode: 'compress', inputformat: 'jpg', converteroptions: { quality: 100 } }, await out());
    assert.equal(result.status.body['step'], 'finished');
    assert.equal(result.status.body['message'], 'We could not compress this file. It seems this file is already compressed.');
    assert.deepEqual(await readFile(result.files[0] ?? ''), await readFile(tiny));
  });

  it('refuses a format it cannot compress (400) and ends a corrupt PDF in 422', async () => {
    const created = await postJson(`${server.baseUrl}/process`, { mode: 'compress', inputformat: 'pdf' }, auth());
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const refused = await postJson(server.abs(String(created.body['url'])), { mode: 'compress', inputformat: 'mp3', input: 'upload' });
    assert.equal(refused.status, 400);
    assert.match(String(refused.body['hint']), /mode=compress reads jpg, png, pdf, not mp3/);
    const broken = path.join(dir, 'broken.pdf');
    await writeFile(broken, Buffer.from('%PDF-1.7\nthis is not a pdf at all\n'));
    const result = await convertFile(server, broken, { mode: 'compress', inputformat: 'pdf' }, await out());
    assert.equal(result.status.status, 422, JSON.stringify(result.status.body));
    assert.match(String(result.status.body['message']), /Ghostscript could not read the PDF/);
  });
});
