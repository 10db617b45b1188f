// The font engine's pure parts: the pairs it serves, font-tool.py's argument lists, the output's
// name, and the reading of what the tool prints; and the font formats' signatures, tried on real
// files made by the tools (the format matrix's samples).
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FONT_FORMATS_READ } from '../../src/core/catalog/engines/font.js';
import type { Signature } from '../../src/core/catalog/format-groups/format-info.js';
import { FORMATS, INFO_ENGINE_IDS, listConversionTypes, normalizeFormat } from '../../src/core/catalog/index.js';
import { INFO_ENGINES } from '../../src/core/catalog/engine-catalog.js';
import { matchesSignature, readHead } from '../../src/core/file-signatures.js';
import { badFontReason, buildFontConvertArgs, buildFontInfoArgs, fontOutputName, parseFontSummary } from '../../workers/converters/fonttools/command.js';
import { FONTS_PART } from '../formats/parts/fonts.js';
import { requireTools } from '../helpers/tools.js';

const KEEP = { hinting: null } as const;

describe('font engine in the catalog', () => {
  it('serves every font format to every other one and to a png or pdf specimen, and mode=info on each', () => {
    const won = listConversionTypes().filter((t) => t.engine === 'fonttools').map((t) => `${t.inputformat}>${t.outputformat}`).sort();
    const expected = FONT_FORMATS_READ.flatMap((i) => [...FONT_FORMATS_READ.filter((o) => o !== i), 'png', 'pdf'].map((o) => `${i}>${o}`)).sort();
    assert.deepEqual(won, expected);
    assert.equal(won.length, 30 + 12);
    assert.ok(INFO_ENGINE_IDS.includes('fonttools'));
    for (const format of FONT_FORMATS_READ) assert.equal(INFO_ENGINES[format], 'fonttools', format);
  });
  it('keeps svg a drawing: SVG fonts are svgfont, and every font format is in the font group', () => {
    assert.equal(FORMATS.svg.group, 'vector');
    for (const format of FONT_FORMATS_READ) assert.equal(FORMATS[format].group, 'font', format);
    assert.equal(normalizeFormat('TrueType'), 'ttf');
    assert.equal(normalizeFormat('opentype'), 'otf');
  });
});

describe('font-tool.py arguments', () => {
  it('runs the script isolated (-I), every value its own argv entry', () => {
    assert.deepEqual(buildFontConvertArgs('/app/font-tool.py', '/job/in.bin', 'woff2', '/job/out/x.ttf', 'ttf', KEEP), ['-I', '/app/font-tool.py', 'convert', '/job/in.bin', 'woff2', '/job/out/x.ttf', 'ttf', 'keep']);
    assert.deepEqual(buildFontConvertArgs('/app/font-tool.py', '/job/in', 'ttf', '/job/out/x.woff', 'woff', { hinting: false }).at(-1), 'drop');
    assert.deepEqual(buildFontConvertArgs('/app/font-tool.py', '/job/in', 'ttf', '/job/out/x.woff', 'woff', { hinting: true }).at(-1), 'keep');
    assert.deepEqual(buildFontConvertArgs('/app/font-tool.py', '/job/in', 'otf', '/job/out/x.png', 'png', KEEP).slice(3, 7), ['/job/in', 'otf', '/job/out/x.png', 'png']);
    assert.deepEqual(buildFontInfoArgs('/app/font-tool.py', '/job/in', 'eot'), ['-I', '/app/font-tool.py', 'info', '/job/in', 'eot']);
  });
  it('refuses relative paths (a name starting with - would read as an option) and formats it has no reader for', () => {
    assert.throws(() => buildFontConvertArgs('/app/font-tool.py', '-in', 'ttf', '/job/out', 'woff', KEEP), /absolute/);
    assert.throws(() => buildFontInfoArgs('font-tool.py', '/job/in', 'ttf'), /absolute/);
    assert.throws(() => buildFontConvertArgs('/app/font-tool.py', '/job/in', 'png', '/job/out', 'woff', KEEP), /no png/);
    assert.throws(() => buildFontConvertArgs('/app/font-tool.py', '/job/in', 'ttf', '/job/out', 'jpg', KEEP), /no jpg/);
  });
  it('names SVG fonts .svg and the others by their format', () => {
    assert.equal(fontOutputName('logo', 'svgfont'), 'logo.svg');
    assert.equal(fontOutputName('logo', 'woff2'), 'logo.woff2');
  });
  it('reads the summary from the last stdout line, and the reason of a bad font from stderr', () => {
    const summary = { format: 'ttf', family: 'DejaVu Sans', style: 'Book', full_name: 'DejaVu Sans', version: '2.37', glyphs: 5, characters: 4, outlines: 'truetype', units_per_em: 2048 };
    assert.deepEqual(parseFontSummary(`Program root: /usr\n${JSON.stringify(summary)}\n`), summary);
    assert.throws(() => parseFontSummary('{"family": 3}'), /no font summary/);
    assert.throws(() => parseFontSummary(''));
    assert.equal(badFontReason('Program root: /usr\nBADFONT: the file does not start like a TTF font\n'), 'the file does not start like a TTF font');
    assert.equal(badFontReason('Traceback ...\nKeyError'), undefined);
  });
});

describe('font signatures on real files', () => {
  let dir: string;
  const samples = new Map<string, Buffer>();
  before(async () => {
    await requireTools(FONTS_PART.tools ?? []);
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-font-signatures-'));
    for (const [format, make] of Object.entries(FONTS_PART.samples)) {
      const folder = path.join(dir, format);
      await mkdir(folder);
      samples.set(format, await readHead(await make(folder)));
    }
  });
  after(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('each sample matches its own format\'s signature and no other font format\'s', () => {
    for (const [format, head] of samples) {
      for (const other of FONT_FORMATS_READ) {
        const signature = (FORMATS[other] as { signature?: Signature }).signature;
        assert.ok(signature !== undefined, `${other} has a signature`);
        assert.equal(matchesSignature(signature, head), other === format, `${format} sample against the ${other} signature`);
      }
    }
  });
  it('refuses a PNG, a PDF and text as any binary font', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const pdf = Buffer.from('%PDF-1.7\n', 'latin1');
    for (const format of ['ttf', 'otf', 'woff', 'woff2', 'eot'] as const) {
      for (const head of [png, pdf, Buffer.from('hello '.repeat(20))]) assert.equal(matchesSignature(FORMATS[format].signature, head), false, format);
    }
  });
});
