// The CAD engine's pure parts: the DXF text encoding from the header, the importer's and
// Inkscape's arguments, the margin around the cropped drawing and the raster size.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findConversionType, listConversionTypes, normalizeFormat } from '../../src/core/catalog/index.js';
import { cadInkscapeArgs, dxfEncoding, dxfImportArgs, MARGIN_MM, padSvg, rasterSize, svgViewBox } from '../../workers/converters/cad/command.js';

const OPTIONS = { scale: null, text_scale: null, encoding: null, width: null };
const header = (version: string, codepage?: string): string =>
  `  0\nSECTION\n  2\nHEADER\n  9\n$ACADVER\n  1\n${version}\n${codepage === undefined ? '' : `  9\n$DWGCODEPAGE\n  3\n${codepage}\n`}  0\nENDSEC\n`;

describe('cad engine in the catalog', () => {
  it('serves dxf → svg, pdf, png and jpg, and no other pair', () => {
    const won = listConversionTypes().filter((t) => t.engine === 'cad').map((t) => `${t.inputformat}>${t.outputformat}`).sort();
    assert.deepEqual(won, ['dxf>jpg', 'dxf>pdf', 'dxf>png', 'dxf>svg']);
    assert.equal(findConversionType('dxf', 'png')?.group, 'cad');
    assert.deepEqual(Object.keys(findConversionType('dxf', 'svg')?.options ?? {}), ['scale', 'text_scale', 'encoding'], 'width only for raster outputs');
    assert.equal(normalizeFormat('DWG'), undefined, 'dwg is not listed: no Debian tool reads it');
  });
});

describe('dxfEncoding', () => {
  it('reads UTF-8 from AutoCAD 2007 (AC1021) on, and the code page before', () => {
    assert.equal(dxfEncoding(header('AC1024'), 'auto'), 'utf_8');
    assert.equal(dxfEncoding(header('AC1021', 'ANSI_1252'), null), 'utf_8');
    assert.equal(dxfEncoding(header('AC1015', 'ANSI_1250'), 'auto'), 'cp1250');
    assert.equal(dxfEncoding(header('AC1009', 'ansi_932'), 'auto'), 'cp932');
    assert.equal(dxfEncoding(header('AC1009', 'ANSI_1253'), 'auto'), 'latin_1', 'a code page without a codec falls back to latin_1');
    assert.equal(dxfEncoding(header('AC1009').replace(/\n/g, '\r\n'), 'auto'), 'latin_1', 'CRLF files too');
    assert.equal(dxfEncoding('  0\nSECTION\n  2\nENTITIES\n', 'auto'), 'utf_8', 'no header: modern default');
  });
  it('lets the option force an encoding', () => {
    assert.equal(dxfEncoding(header('AC1024'), 'cp1252'), 'cp1252');
  });
});

describe('dxfImportArgs and cadInkscapeArgs', () => {
  it('runs the importer isolated from PYTHON* variables, manual scale, absolute paths last', () => {
    const args = dxfImportArgs('/usr/share/inkscape/extensions/dxf_input.py', '/job/in.dxf', '/job/out.svg', { ...OPTIONS, scale: 0.01, text_scale: 2 }, 'cp1252');
    assert.deepEqual(args, ['-E', '-s', '/usr/share/inkscape/extensions/dxf_input.py', '--scalemethod=manual', '--scale=0.01', '--textscale=2', '--encoding=cp1252', '--output=/job/out.svg', '/job/in.dxf']);
    assert.throws(() => dxfImportArgs('/i.py', '-rf', '/o.svg', OPTIONS, 'utf_8'), /absolute/);
  });
  it('crops Inkscape\'s export to the drawing, SVG with its layer names or PDF with a margin', () => {
    assert.deepEqual(cadInkscapeArgs('/job/d.svg', '/job/o.svg', 'svg'), ['--export-filename=/job/o.svg', '--export-type=svg', '--export-area-drawing', '/job/d.svg']);
    assert.deepEqual(cadInkscapeArgs('/job/d.svg', '/job/o.pdf', 'pdf'), ['--export-filename=/job/o.pdf', '--export-type=pdf', '--export-area-drawing', `--export-margin=${MARGIN_MM}`, '/job/d.svg']);
    assert.throws(() => cadInkscapeArgs('d.svg', '/o.pdf', 'pdf'), /absolute/);
  });
});

describe('svgViewBox, padSvg and rasterSize', () => {
  const svg = '<?xml version="1.0"?>\n<svg\n   viewBox="0 0 388.45 199.48"\n   width="388.453"\n   height="199.47701"\n   id="svg45"><path d="M 0 0"/></svg>';
  it('reads the root viewBox, and refuses an empty one', () => {
    assert.deepEqual(svgViewBox(svg), { x: 0, y: 0, width: 388.45, height: 199.48 });
    assert.equal(svgViewBox('<svg viewBox="0 0 0 0"></svg>'), undefined);
    assert.equal(svgViewBox('<svg width="10"></svg>'), undefined);
    assert.deepEqual(svgViewBox('<svg viewBox="-1e2,5 1.5e1 .5"/>'), { x: -100, y: 5, width: 15, height: 0.5 });
  });
  it('adds the margin on every side of the root only', () => {
    const box = svgViewBox(svg);
    assert.ok(box !== undefined);
    const pad = (MARGIN_MM * 96) / 25.4;
    const padded = padSvg(svg, box);
    const again = svgViewBox(padded);
    assert.ok(again !== undefined);
    assert.ok(Math.abs(again.x + pad) < 0.01 && Math.abs(again.width - (388.45 + 2 * pad)) < 0.01);
    assert.match(padded, new RegExp(`width="${Math.round((388.45 + 2 * pad) * 1000) / 1000}"`));
    assert.match(padded, /<path d="M 0 0"\/>/);
  });
  it('keeps the proportions, at least one pixel high', () => {
    assert.deepEqual(rasterSize({ x: 0, y: 0, width: 400, height: 200 }, 1000), { width: 1000, height: 500 });
    assert.deepEqual(rasterSize({ x: 0, y: 0, width: 4000, height: 1 }, 100), { width: 100, height: 1 });
  });
});
