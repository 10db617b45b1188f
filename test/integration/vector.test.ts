// The vector engine (Inkscape, Ghostscript) through the API: every pair it serves gives a file a
// real reader accepts, svg → pdf stays vector at the SVG's size, png sizes follow the options,
// pages are selected, and SVGs pointing at local files or URLs are refused without a read.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { listConversionTypes, type Format } from '../../src/core/catalog/index.js';
import { convertFile } from '../helpers/convert.js';
import { pdfText } from '../helpers/documents.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { auth, postJson } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);

async function requireVectorTools(): Promise<void> {
  try {
    await run('inkscape', ['--version']);
    await run('gs', ['--version']);
    await run('mutool', ['-v']).catch((error: { stderr?: string }) => {
      if (!/mutool version/.test(error.stderr ?? '')) throw error;
    });
  } catch {
    throw new Error('inkscape, ghostscript or mutool is missing: run `bash scripts/setup.sh` (apt-get install inkscape ghostscript mupdf-tools).');
  }
}

const SVG = `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200" viewBox="0 0 400 200">
  <rect x="10" y="10" width="380" height="180" fill="#3366cc"/>
  <circle cx="80" cy="100" r="60" fill="orange"/>
  <text x="160" y="110" font-family="DejaVu Sans" font-size="28" fill="white">Vector text</text>
</svg>`;

const EPS = `%!PS-Adobe-3.0 EPSF-3.0
%%BoundingBox: 0 0 144 72
%%EndComments
0 0 1 setrgbcolor 0 0 144 72 rectfill
/Helvetica findfont 18 scalefont setfont 1 1 1 setrgbcolor 10 30 moveto (EPS words) show
showpage
%%EOF
`;

const PS = `%!PS-Adobe-3.0
%%Pages: 2
%%EndComments
/Helvetica findfont 24 scalefont setfont
%%Page: 1 1
72 700 moveto (First page) show showpage
%%Page: 2 2
72 700 moveto (Second page) show showpage
%%EOF
`;

/** Whether Ghostscript reads a PostScript file (the bbox device prints one box per page). */
async function ghostscriptPages(file: string): Promise<number> {
  const { stderr } = await run('gs', ['-q', '-dSAFER', '-dBATCH', '-dNOPAUSE', '-sDEVICE=bbox', '-f', file]);
  return (stderr.match(/^%%BoundingBox:/gm) ?? []).length;
}

async function pdfPageSize(file: string): Promise<[number, number]> {
  const { PDFDocument } = await import('pdf-lib');
  const page = (await PDFDocument.load(await readFile(file))).getPage(0);
  return [Math.round(page.getWidth()), Math.round(page.getHeight())];
}

/** A PDF with one page per size, each saying "Page <n> text". */
async function pagesOfSizes(sizes: ReadonlyArray<readonly [number, number]>): Promise<Uint8Array> {
  const { PDFDocument, StandardFonts } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const [i, size] of sizes.entries()) doc.addPage([...size]).drawText(`Page ${i + 1} text`, { x: 20, y: size[1] - 40, size: 18, font });
  return doc.save();
}

/** A reader per output format: throws unless the file really is one. */
async function assertValid(file: string, format: Format, label: string): Promise<void> {
  const bytes = await readFile(file);
  switch (format) {
    case 'pdf':
      assert.ok((await pdfPageSize(file))[0] > 0, label);
      return;
    case 'svg':
      assert.match(bytes.toString('utf8'), /<svg/, label);
      assert.ok(((await sharp(bytes).metadata()).width ?? 0) > 0, label);
      return;
    case 'eps':
    case 'ps':
      assert.equal(bytes.subarray(0, 4).toString('latin1'), '%!PS', label);
      assert.ok((await ghostscriptPages(file)) >= 1, label);
      return;
    case 'emf':
      assert.equal(bytes.readUInt32LE(0), 1, label);
      assert.equal(bytes.subarray(40, 44).toString('latin1'), ' EMF', label);
      return;
    case 'wmf':
      assert.equal(bytes.readUInt32BE(0), 0xd7cdc69a, label);
      return;
    case 'png':
      assert.equal((await sharp(bytes).metadata()).format, 'png', label);
      return;
    default:
      assert.fail(`${label}: no reader for ${format}`);
  }
}

describe('vector engine through the API', () => {
  let server: TestServer;
  let fixtures: FixtureServer;
  let dir: string;
  const inputs: Partial<Record<Format, string>> = {};
  const out = async (): Promise<string> => mkdtemp(path.join(dir, 'out-'));
  const convert = async (file: string, inputformat: Format, outputformat: Format, converteroptions: Record<string, unknown> = {}) =>
    convertFile(server, file, { inputformat, outputformat, converteroptions }, await out());
  const converted = async (file: string, inputformat: Format, outputformat: Format, converteroptions: Record<string, unknown> = {}): Promise<string> => {
    const result = await convert(file, inputformat, outputformat, converteroptions);
    assert.equal(result.status.body['step'], 'finished', `${inputformat} → ${outputformat}: ${String(result.status.body['message'])}`);
    return result.files[0] ?? '';
  };

  before(async () => {
    await requireVectorTools();
    server = await startTestServer();
    fixtures = await startFixtureServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-vector-'));
    const write = async (format: Format, content: string | Uint8Array): Promise<void> => {
      inputs[format] = path.join(dir, `drawing.${format}`);
      await writeFile(inputs[format], content);
    };
    await write('svg', SVG);
    await write('eps', EPS);
    await write('ps', PS);
    await write('pdf', await pagesOfSizes([[300, 200], [200, 400], [250, 250]]));
  });
  after(async () => {
    await server.stop();
    await fixtures.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('turns svg into a vector PDF of the SVG\'s size with extractable text; text_to_path outlines it', async () => {
    const pdf = await converted(inputs.svg ?? '', 'svg', 'pdf');
    // 400 x 200 CSS pixels at 96 per inch are 300 x 150 points.
    assert.deepEqual(await pdfPageSize(pdf), [300, 150]);
    assert.match(await pdfText(pdf), /Vector text/);
    const { stdout } = await run('mutool', ['info', '-I', pdf]);
    assert.doesNotMatch(stdout, /Images \([1-9]/, 'no image XObject: the drawing stays vector');
    assert.ok((await readFile(pdf)).length < 40_000, 'small, as vectors are');
    const outlined = await converted(inputs.svg ?? '', 'svg', 'pdf', { text_to_path: true });
    assert.doesNotMatch(await pdfText(outlined), /Vector text/);
  });

  it('converts every pair it serves into a file a real reader accepts', async () => {
    // emf and wmf inputs come from the svg first.
    inputs.emf = await converted(inputs.svg ?? '', 'svg', 'emf');
    inputs.wmf = await converted(inputs.svg ?? '', 'svg', 'wmf');
    const pairs = listConversionTypes().filter((t) => t.engine === 'inkscape');
    assert.ok(pairs.length >= 30);
    for (const { inputformat, outputformat } of pairs) {
      const file = await converted(inputs[inputformat] ?? '', inputformat, outputformat);
      assert.equal(path.basename(file), `${path.basename(inputs[inputformat] ?? '', `.${inputformat}`)}.${outputformat}`);
      await assertValid(file, outputformat, `${inputformat} → ${outputformat}`);
    }
  });

  it('keeps the drawing through emf and wmf and back', async () => {
    const emf = await converted(inputs.svg ?? '', 'svg', 'emf');
    const png = await converted(emf, 'emf', 'png');
    const meta = await sharp(png).metadata();
    assert.ok(Math.abs((meta.width ?? 0) - 400) <= 3 && Math.abs((meta.height ?? 0) - 200) <= 3, `${meta.width}x${meta.height}`);
    // The circle's orange survives the round trip (sampled at its centre).
    const { data } = await sharp(png).extract({ left: 80, top: 100, width: 1, height: 1 }).raw().toBuffer({ resolveWithObject: true });
    assert.ok((data[0] ?? 0) > 200 && (data[1] ?? 0) > 120 && (data[1] ?? 0) < 200 && (data[2] ?? 255) < 60, `orange, got ${[...data].join(',')}`);
    const wmf = await converted(emf, 'emf', 'wmf');
    assert.deepEqual(await pdfPageSize(await converted(wmf, 'wmf', 'pdf')), [300, 150]);
  });

  it('sizes png output by density, width or height', async () => {
    const emf = await converted(inputs.svg ?? '', 'svg', 'emf');
    const size = async (file: string, format: Format, options: Record<string, unknown>): Promise<[number, number]> => {
      const meta = await sharp(await converted(file, format, 'png', options)).metadata();
      return [meta.width ?? 0, meta.height ?? 0];
    };
    const [w, h] = await size(emf, 'emf', { density: 48 });
    assert.ok(Math.abs(w - 200) <= 2 && Math.abs(h - 100) <= 2, `${w}x${h}`);
    assert.deepEqual(await size(emf, 'emf', { width: 120, height: 90 }), [120, 90]);
    // eps: 144 x 72 points.
    assert.deepEqual(await size(inputs.eps ?? '', 'eps', {}), [192, 96]);
    assert.deepEqual(await size(inputs.eps ?? '', 'eps', { density: 144 }), [288, 144]);
    assert.deepEqual(await size(inputs.eps ?? '', 'eps', { height: 50 }), [100, 50]);
    const tooBig = await convert(inputs.eps ?? '', 'eps', 'png', { width: 65_535, height: 65_535 });
    assert.equal(tooBig.status.status, 422);
    assert.match(String(tooBig.status.body['message']), /MAX_IMAGE_PIXELS/);
  });

  it('converts the chosen page of a PDF or PostScript file; a page past the end is a 400', async () => {
    // Page 2 is 200 x 400 points: the one page of the wmf and eps has its size or text.
    const wmf = await converted(inputs.pdf ?? '', 'pdf', 'wmf', { page: 2 });
    assert.deepEqual(await pdfPageSize(await converted(wmf, 'wmf', 'pdf')), [200, 400]);
    assert.match(await pdfText(await converted(await converted(inputs.pdf ?? '', 'pdf', 'eps', { page: 3 }), 'eps', 'pdf')), /Page 3 text/);
    assert.match(await readFile(await converted(inputs.ps ?? '', 'ps', 'svg', { page: 2 }), 'utf8'), /Second page/);
    const eps = await converted(inputs.ps ?? '', 'ps', 'eps', { page: 2 });
    const text = await pdfText(await converted(eps, 'eps', 'pdf'));
    assert.match(text, /Second page/);
    assert.doesNotMatch(text, /First page/);
    const everyPage = await converted(inputs.pdf ?? '', 'pdf', 'ps');
    assert.equal(await ghostscriptPages(everyPage), 3);
    for (const [file, format, output] of [[inputs.pdf, 'pdf', 'emf'], [inputs.ps, 'ps', 'svg'], [inputs.pdf, 'pdf', 'eps']] as const) {
      const past = await convert(file ?? '', format, output, { page: 9 });
      assert.equal(past.status.status, 400, `${format} → ${output}: ${JSON.stringify(past.status.body)}`);
      assert.match(String(past.status.body['message']), /page\] = 9 is past the last page/);
    }
  });

  it('refuses an SVG that points at a local file or a URL, without reading either', async () => {
    const secret = (await readFile('/etc/hostname', 'utf8')).trim();
    fixtures.serve('/pixel.png', await sharp({ create: { width: 2, height: 2, channels: 3, background: 'red' } }).png().toBuffer(), 'image/png');
    const cases = [
      `<image href="file:///etc/hostname" width="10" height="10"/>`,
      `<image xlink:href="${fixtures.baseUrl}/pixel.png" width="10" height="10"/>`,
      `<image xlink:href="nothing.png" sodipodi:absref="/etc/hostname" width="10" height="10"/>`,
      `<rect width="10" height="10" style="fill:url(${fixtures.baseUrl}/p.svg#g)"/>`,
    ];
    for (const body of cases) {
      const file = path.join(dir, 'linked.svg');
      await writeFile(file, `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" width="40" height="40">${body}<text x="1" y="30">t</text></svg>`);
      for (const output of ['pdf', 'eps'] as const) {
        const result = await convert(file, 'svg', output);
        assert.equal(result.status.status, 422, `${body} → ${output}: ${JSON.stringify(result.status.body)}`);
        assert.match(String(result.status.body['message']), /cannot be converted: it references .*self-contained/);
        assert.ok(!JSON.stringify(result.status.body).includes(secret) || secret.length < 3);
        assert.deepEqual(result.files, []);
      }
    }
    assert.deepEqual(fixtures.requests, [], 'the fixture server was never asked');
    // PostScript that reads a file: Ghostscript's -dSAFER refuses it.
    const reader = path.join(dir, 'reader.ps');
    await writeFile(reader, '%!PS\n/Helvetica findfont 12 scalefont setfont 72 700 moveto\n(/etc/hostname) (r) file 100 string readstring pop show showpage\n');
    const read = await convert(reader, 'ps', 'pdf');
    assert.equal(read.status.status, 422);
    assert.match(String(read.status.body['message']), /invalidfileaccess/);
    // An SVG disguised as emf would be opened as SVG by Inkscape: refused by its magic bytes.
    const disguised = path.join(dir, 'disguised.emf');
    await writeFile(disguised, `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="file:///etc/hostname"/></svg>`);
    const result = await convert(disguised, 'emf', 'pdf');
    assert.equal(result.status.status, 422);
    assert.match(String(result.status.body['message']), /is not a emf file \(its first bytes are not those of emf files\)/);
  });

  it('answers 422 for corrupt input and 400 for a bad option', async () => {
    for (const [format, content, output] of [['svg', '<svg><unclosed', 'pdf'], ['eps', '%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nnot postscript at all\n', 'pdf'], ['pdf', '%PDF-1.4\nbroken\n', 'emf'], ['wmf', 'not a metafile', 'svg']] as const) {
      const file = path.join(dir, `corrupt.${format}`);
      await writeFile(file, content);
      const result = await convert(file, format, output);
      assert.equal(result.status.status, 422, `${format}: ${JSON.stringify(result.status.body)}`);
      assert.match(String(result.status.body['message']), /Inkscape|Ghostscript|cannot be converted|not well-formed XML|is not a (svg|eps|pdf|wmf) file/);
    }
    const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'svg', outputformat: 'pdf' }, auth());
    const started = await postJson(server.abs(String(created.body['url'])), { input: 'upload', outputformat: 'pdf', converteroptions: { text_to_path: 'sometimes' } });
    assert.equal(started.status, 400);
    assert.match(String(started.body['message'] ?? started.body['error']), /text_to_path.*true or false/);
    const badDensity = await postJson(server.abs(String((await postJson(`${server.baseUrl}/process`, { inputformat: 'eps', outputformat: 'png' }, auth())).body['url'])), { input: 'upload', outputformat: 'png', converteroptions: { density: 0 } });
    assert.equal(badDensity.status, 400);
  });
});
