// The vector engine's pure parts: routes per pair, Inkscape and Ghostscript argument lists,
// raster sizes, page-size parsing, and which pairs the engine wins in the catalog.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IMAGES_TO_PDF_INPUTS, PDF_IMAGE_OUTPUTS, PDF_TEXT_OUTPUTS, PDF_VECTOR_OUTPUTS } from '../../src/core/catalog/engines/pdf.js';
import { INKSCAPE_PAIRS } from '../../src/core/catalog/engines/vector.js';
import { findConversionType, listConversionTypes } from '../../src/core/catalog/index.js';
import { epsBoundingBox, ghostscriptArgs, ghostscriptPageProbeArgs, inkscapeArgs, inkscapeEnvironment, pdfMediaBox, probeFoundPage, rasterSize, routeFor } from '../../workers/converters/inkscape/command.js';

const declared = INKSCAPE_PAIRS.flatMap((g) => g.inputs.flatMap((i) => g.outputs.filter((o) => o !== i).map((o) => `${i}>${o}`)));

describe('vector engine in the catalog', () => {
  it('wins exactly these pairs (svg → png stays with sharp)', () => {
    const won = listConversionTypes().filter((t) => t.engine === 'inkscape').map((t) => `${t.inputformat}>${t.outputformat}`).sort();
    assert.deepEqual(won, [
      'emf>eps', 'emf>pdf', 'emf>png', 'emf>ps', 'emf>svg', 'emf>wmf',
      'eps>emf', 'eps>pdf', 'eps>png', 'eps>ps', 'eps>svg', 'eps>wmf',
      'pdf>emf', 'pdf>eps', 'pdf>ps', 'pdf>wmf',
      'ps>emf', 'ps>eps', 'ps>pdf', 'ps>svg', 'ps>wmf',
      'svg>emf', 'svg>eps', 'svg>pdf', 'svg>ps', 'svg>wmf',
      'wmf>emf', 'wmf>eps', 'wmf>pdf', 'wmf>png', 'wmf>ps', 'wmf>svg',
    ]);
    assert.deepEqual([...new Set(declared)].sort(), won, 'every declared pair is won by inkscape');
    assert.equal(findConversionType('svg', 'png')?.engine, 'sharp');
  });
  it('takes only svg → pdf from mupdf; mupdf keeps its other pairs (pdf → svg included)', () => {
    assert.equal(findConversionType('svg', 'pdf')?.engine, 'inkscape');
    for (const input of IMAGES_TO_PDF_INPUTS.filter((f) => f !== 'svg')) assert.equal(findConversionType(input, 'pdf')?.engine, 'mupdf', input);
    for (const output of [...PDF_IMAGE_OUTPUTS, ...PDF_TEXT_OUTPUTS, ...PDF_VECTOR_OUTPUTS, 'pdf'] as const) assert.equal(findConversionType('pdf', output)?.engine, 'mupdf', output);
  });
  it('has a route for every pair it declares', () => {
    for (const pair of declared) {
      const [input, output] = pair.split('>') as [never, never];
      assert.notEqual(routeFor(input, output), undefined, pair);
    }
    assert.equal(routeFor('svg', 'png'), undefined);
    assert.equal(routeFor('ps', 'png'), undefined);
    assert.equal(routeFor('svg', 'svg'), undefined);
  });
});

describe('routeFor', () => {
  it('sends svg, emf, wmf and pdf → vector to Inkscape', () => {
    assert.deepEqual(routeFor('svg', 'pdf'), { kind: 'inkscape' });
    assert.deepEqual(routeFor('emf', 'svg'), { kind: 'inkscape' });
    assert.deepEqual(routeFor('pdf', 'svg'), { kind: 'inkscape' });
  });
  it('keeps the PostScript family with Ghostscript', () => {
    assert.deepEqual(routeFor('eps', 'pdf'), { kind: 'ghostscript', device: 'pdfwrite' });
    assert.deepEqual(routeFor('ps', 'pdf'), { kind: 'ghostscript', device: 'pdfwrite' });
    assert.deepEqual(routeFor('pdf', 'ps'), { kind: 'ghostscript', device: 'ps2write' });
    assert.deepEqual(routeFor('pdf', 'eps'), { kind: 'ghostscript', device: 'eps2write' });
    assert.deepEqual(routeFor('ps', 'eps'), { kind: 'ghostscript', device: 'eps2write' });
  });
  it('goes through a PDF for PostScript → svg, emf, wmf, and measures before raster output', () => {
    assert.deepEqual(routeFor('eps', 'svg'), { kind: 'ghostscript-inkscape' });
    assert.deepEqual(routeFor('ps', 'wmf'), { kind: 'ghostscript-inkscape' });
    assert.deepEqual(routeFor('emf', 'png'), { kind: 'inkscape-raster' });
    assert.deepEqual(routeFor('eps', 'png'), { kind: 'ghostscript-raster' });
  });
});

describe('inkscapeArgs', () => {
  it('exports the page area with the input last', () => {
    assert.deepEqual(inkscapeArgs({ input: '/w/input.svg', output: '/o/out.pdf', type: 'pdf', textToPath: false, page: null }), ['--export-filename=/o/out.pdf', '--export-type=pdf', '--export-area-page', '/w/input.svg']);
  });
  it('adds the PDF page, plain SVG and text to path', () => {
    assert.deepEqual(inkscapeArgs({ input: '/w/input.pdf', output: '/o/o.svg', type: 'svg', textToPath: true, page: 3 }), ['--export-filename=/o/o.svg', '--export-type=svg', '--export-area-page', '--pdf-page=3', '--export-plain-svg', '--export-text-to-path', '/w/input.pdf']);
  });
  it('gives PNG an exact size and no text to path', () => {
    const args = inkscapeArgs({ input: '/w/input.emf', output: '/o/o.png', type: 'png', textToPath: true, page: null, pixels: { width: 300, height: 150 } });
    assert.ok(args.includes('--export-width=300') && args.includes('--export-height=150'));
    assert.ok(!args.includes('--export-text-to-path'));
  });
  it('keeps its home in the job folder', () => {
    assert.deepEqual(inkscapeEnvironment('/job/home'), { HOME: '/job/home', XDG_CONFIG_HOME: '/job/home/.config', XDG_CACHE_HOME: '/job/home/.cache', XDG_DATA_HOME: '/job/home/.local/share' });
  });
});

describe('ghostscriptArgs', () => {
  it('always runs safe and batch, with the input after -f', () => {
    const args = ghostscriptArgs({ input: '/w/input.eps', output: '/o/out.pdf', device: 'pdfwrite', epsCrop: true, textToPath: false, page: null });
    assert.deepEqual(args, ['-q', '-dSAFER', '-dBATCH', '-dNOPAUSE', '-sstdout=%stderr', '-sDEVICE=pdfwrite', '-sOutputFile=/o/out.pdf', '-dEPSCrop', '-f', '/w/input.eps']);
  });
  it('selects a page and turns text into outlines', () => {
    const args = ghostscriptArgs({ input: '/w/input.ps', output: '/o/o.eps', device: 'eps2write', epsCrop: false, textToPath: true, page: 2 });
    assert.ok(args.includes('-sPageList=2') && args.includes('-dNoOutputFonts'));
    assert.ok(!args.includes('-dEPSCrop'));
  });
  it('renders PNG on a fixed device size', () => {
    const args = ghostscriptArgs({ input: '/w/input.eps', output: '/o/o.png', device: 'pngalpha', epsCrop: false, textToPath: true, page: null, pixels: { width: 640, height: 480 }, density: 150 });
    for (const arg of ['-g640x480', '-r150', '-dFIXEDMEDIA', '-dEPSFitPage']) assert.ok(args.includes(arg), arg);
    assert.ok(!args.includes('-dNoOutputFonts'));
  });
  it('probes one page with the bbox device', () => {
    assert.deepEqual(ghostscriptPageProbeArgs('/w/input.ps', 4), ['-q', '-dSAFER', '-dBATCH', '-dNOPAUSE', '-sstdout=%stderr', '-sDEVICE=bbox', '-sPageList=4', '-f', '/w/input.ps']);
    assert.equal(probeFoundPage('%%BoundingBox: 0 0 10 10\n%%HiResBoundingBox: 0 0 9.5 9.5\n'), true);
    assert.equal(probeFoundPage('   **** Error: page not found.\n'), false);
  });
  it('refuses an output path Ghostscript would read as a page format', () => {
    assert.throws(() => ghostscriptArgs({ input: '/w/i.ps', output: '/o/100%d.pdf', device: 'pdfwrite', epsCrop: false, textToPath: false, page: null }), /must not contain '%'/);
  });
});

describe('rasterSize', () => {
  const page = { width: 144, height: 72 };
  const none = { density: null, width: null, height: null };
  it('uses density (default 96) over the page in points', () => {
    assert.deepEqual(rasterSize(page, none), { width: 192, height: 96 });
    assert.deepEqual(rasterSize(page, { ...none, density: 72 }), { width: 144, height: 72 });
    assert.deepEqual(rasterSize(page, { ...none, density: 300 }), { width: 600, height: 300 });
  });
  it('keeps the aspect ratio for one side and takes both as given', () => {
    assert.deepEqual(rasterSize(page, { ...none, width: 500 }), { width: 500, height: 250 });
    assert.deepEqual(rasterSize(page, { ...none, height: 50, density: 600 }), { width: 100, height: 50 });
    assert.deepEqual(rasterSize(page, { density: 10, width: 30, height: 40 }), { width: 30, height: 40 });
    assert.deepEqual(rasterSize({ width: 1000, height: 1 }, { ...none, width: 10 }), { width: 10, height: 1 });
  });
});

describe('page sizes', () => {
  it('reads a cairo PDF MediaBox', () => {
    assert.deepEqual(pdfMediaBox('<< /Type /Page /MediaBox [ 0 0 150.5 75 ] >>'), { width: 150.5, height: 75 });
    assert.equal(pdfMediaBox('no box here'), undefined);
    assert.equal(pdfMediaBox('/MediaBox [ 0 0 0 75 ]'), undefined);
  });
  it('reads an EPS bounding box, high resolution first', () => {
    assert.deepEqual(epsBoundingBox('%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 10 20 110 70\n'), { width: 100, height: 50 });
    assert.deepEqual(epsBoundingBox('%!PS\n%%BoundingBox: 0 0 11 11\n%%HiResBoundingBox: 0.5 0.5 10.5 10.25\n'), { width: 10, height: 9.75 });
    assert.equal(epsBoundingBox('%!PS\n%%BoundingBox: (atend)\n'), undefined);
  });
});
