// The font formats' part of the format matrix. Samples: installed fonts (DejaVu Sans for
// TrueType, Noto Sans CJK for CFF outlines) subset to a few glyphs by pyftsubset, wrapped by the
// tools that make each format (pyftsubset's woff/woff2 flavours, eot-utils' mkeot, fontforge's SVG
// font writer). Checks: the file starts like its format, and an independent reader parses it
// (fontTools for sfnt/woff/woff2, eotinfo plus fontTools for eot, an XML parser for SVG fonts):
// outline and name tables present, glyphs kept, and the sample's family name kept.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { FORMATS } from '../../../src/core/catalog/index.js';
import { matchesSignature, readHead } from '../../../src/core/file-signatures.js';
import type { Signature } from '../../../src/core/catalog/format-groups/format-info.js';
import type { CheckedPair, FormatPart, OutputCheck, SampleMaker } from '../types.js';

const exec = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const TEXT = 'Hello font';
const DEJAVU = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const NOTO_CJK = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
/** The family name each sample keeps (what every conversion of it must keep too). */
const FAMILY: Readonly<Record<string, string>> = { otf: 'Noto Sans CJK JP' };
const familyOf = (format: string): string => FAMILY[format] ?? 'DejaVu Sans';

const subset = async (source: string, output: string, ...more: string[]): Promise<string> => {
  await exec('pyftsubset', [source, `--text=${TEXT}`, `--output-file=${output}`, ...more]);
  return output;
};

const ttf: SampleMaker = (dir) => subset(DEJAVU, path.join(dir, 'sample.ttf'));

/** Reads a font with fontTools (any sfnt flavour; `offset`: the sfnt starts there, as in an EOT) and prints what the checks compare. */
const READ_FONT = `
import io, json, sys
from fontTools.ttLib import TTFont
data = open(sys.argv[1], 'rb').read()[int(sys.argv[2]):]
font = TTFont(io.BytesIO(data))
print(json.dumps({'flavor': font.flavor, 'sfnt': font.sfntVersion.decode('latin1') if isinstance(font.sfntVersion, bytes) else font.sfntVersion,
  'tables': sorted(font.keys()), 'glyphs': len(font.getGlyphOrder()), 'family': font['name'].getDebugName(1),
  'chars': sorted(chr(c) for c in (font.getBestCmap() or {}))}))
`;

interface FontFacts {
  readonly flavor: string | null;
  readonly sfnt: string;
  readonly tables: readonly string[];
  readonly glyphs: number;
  readonly family: string;
  readonly chars: readonly string[];
}

async function readFont(file: string, offset = 0): Promise<FontFacts> {
  const { stdout } = await exec(PYTHON, ['-c', READ_FONT, file, String(offset)]);
  return JSON.parse(stdout) as FontFacts;
}

/** The sample's glyphs and family survived: every character of TEXT is still mapped. */
function assertKept(facts: FontFacts, pair: CheckedPair): void {
  assert.ok(facts.tables.includes('name') && facts.tables.includes('cmap'), `name and cmap tables: ${facts.tables.join(' ')}`);
  assert.ok(facts.glyphs > [...new Set(TEXT.replace(' ', ''))].length, `glyph count ${facts.glyphs}`);
  assert.equal(facts.family, familyOf(pair.input), 'family name kept');
  for (const c of new Set(TEXT)) assert.ok(facts.chars.includes(c), `character ${JSON.stringify(c)} still mapped`);
}

async function assertSignature(file: string, format: keyof typeof FORMATS): Promise<void> {
  const signature = (FORMATS[format] as { signature?: Signature }).signature;
  assert.ok(signature !== undefined && matchesSignature(signature, await readHead(file)), `${path.basename(file)} starts like ${format}`);
}

const single = (files: readonly string[]): string => {
  assert.equal(files.length, 1, 'one font file');
  return files[0] ?? '';
};

/** An sfnt-family check: its signature, the flavour fontTools sees, and its outline table. */
const sfntCheck = (format: 'ttf' | 'otf' | 'woff' | 'woff2', outlines: 'glyf' | 'CFF ' | 'either'): OutputCheck => async (files, pair) => {
  const file = single(files);
  await assertSignature(file, format);
  const facts = await readFont(file);
  assert.equal(facts.flavor, format === 'woff' || format === 'woff2' ? format : null, 'fontTools flavour');
  const wanted = outlines === 'either' ? ['glyf', 'CFF '] : [outlines];
  assert.ok(wanted.some((t) => facts.tables.includes(t)), `outline table ${wanted.join(' or ')}: ${facts.tables.join(' ')}`);
  assertKept(facts, pair);
};

/** eotinfo (eot-utils) reads the header; fontTools reads the font data at its end. */
const eotCheck: OutputCheck = async (files, pair) => {
  const file = single(files);
  await assertSignature(file, 'eot');
  const { stdout } = await exec('eotinfo', [file]);
  const field = (name: string): string => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(stdout)?.[1]?.trim() ?? '';
  const size = Number(field('EOTSize'));
  const dataSize = Number(field('FontDataSize'));
  assert.equal(size, (await stat(file)).size, 'EOTSize is the file size');
  assert.match(field('Flags'), /not-compressed/);
  assert.equal(field('FamilyName'), familyOf(pair.input), 'EOT header family name');
  const facts = await readFont(file, size - dataSize);
  assert.ok(facts.tables.includes('glyf'), 'TrueType outlines inside the EOT');
  assertKept(facts, pair);
};

/** An SVG document with a <font> of glyphs, its <font-face> naming the sample's family. */
const SVG_FONT = `
import json, sys
import xml.etree.ElementTree as ET
ns = {'s': 'http://www.w3.org/2000/svg'}
root = ET.parse(sys.argv[1]).getroot()
font = root.find('.//s:font', ns)
face = font.find('s:font-face', ns)
glyphs = font.findall('s:glyph', ns)
print(json.dumps({'family': face.get('font-family'), 'glyphs': len(glyphs), 'chars': sorted(g.get('unicode') for g in glyphs if g.get('unicode'))}))
`;

const svgFontCheck: OutputCheck = async (files, pair) => {
  const file = single(files);
  assert.match(path.basename(file), /\.svg$/, 'SVG fonts download as .svg');
  await assertSignature(file, 'svgfont');
  const { stdout } = await exec(PYTHON, ['-c', SVG_FONT, file]);
  const facts = JSON.parse(stdout) as { family: string; glyphs: number; chars: string[] };
  assert.equal(facts.family, familyOf(pair.input), 'font-face family');
  for (const c of new Set(TEXT.replace(' ', ''))) assert.ok(facts.chars.includes(c), `glyph for ${JSON.stringify(c)}`);
};

/** fontforge's module writes the SVG font (the tool the format comes from in practice). */
const SVG_FROM_TTF = `
import sys, fontforge
font = fontforge.open(sys.argv[1])
font.generate(sys.argv[2])
`;

export const FONTS_PART: FormatPart = {
  name: 'fonts',
  samples: {
    ttf,
    otf: (dir) => subset(NOTO_CJK, path.join(dir, 'sample.otf'), '--font-number=0'),
    woff: (dir) => subset(DEJAVU, path.join(dir, 'sample.woff'), '--flavor=woff'),
    woff2: (dir) => subset(DEJAVU, path.join(dir, 'sample.woff2'), '--flavor=woff2'),
    eot: async (dir) => {
      const { stdout } = await exec('mkeot', [await ttf(dir)], { encoding: 'buffer' });
      const output = path.join(dir, 'sample.eot');
      await writeFile(output, stdout);
      return output;
    },
    svgfont: async (dir) => {
      const output = path.join(dir, 'sample.svg');
      await exec(PYTHON, ['-c', SVG_FROM_TTF, await ttf(dir), output]);
      return output;
    },
  },
  checks: {
    ttf: sfntCheck('ttf', 'glyf'),
    otf: sfntCheck('otf', 'CFF '),
    woff: sfntCheck('woff', 'either'),
    woff2: sfntCheck('woff2', 'either'),
    eot: eotCheck,
    svgfont: svgFontCheck,
  },
  optionSamples: { fonttools: { input: 'ttf', output: 'woff2', options: { hinting: false } } },
  tools: ['pyftsubset', 'mkeot', 'eotinfo'],
};
