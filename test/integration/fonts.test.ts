// The font engine (fonttools) through the API, for what the format matrix does not cover: the
// hinting option, the specimen's drawing, mode=info, and input that is not the font it claims to be (text or a PNG named
// .ttf, a damaged font, MicroType Express EOT, a WOFF2 declaring a huge sfnt, an SVG font
// pointing at other files), each a 422 that says why, never a crash. Obfuscated (XOR) EOT reads.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { FONTS_PART } from '../formats/parts/fonts.js';
import { convertFile, type Converted } from '../helpers/convert.js';
import { auth, postJson } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { requireTools } from '../helpers/tools.js';

const exec = promisify(execFile);
const TABLES = "import sys\nfrom fontTools.ttLib import TTFont\nprint(' '.join(sorted(TTFont(sys.argv[1]).keys())))";

describe('font engine (fonttools) through the API', () => {
  let server: TestServer;
  let dir: string;
  let ttf: string;
  let eot: string;
  let outputs = 0;
  const out = async (): Promise<string> => {
    const folder = path.join(dir, `out-${++outputs}`);
    await mkdir(folder);
    return folder;
  };
  const made = new Map<string, Promise<string>>();
  /** The part's sample of `format`, made once. */
  const sample = (format: 'ttf' | 'eot' | 'svgfont'): Promise<string> => {
    const folder = path.join(dir, `sample-${format}`);
    const maker = FONTS_PART.samples[format] ?? assert.fail(format);
    if (!made.has(format)) made.set(format, mkdir(folder).then(() => maker(folder)));
    return made.get(format) ?? assert.fail(format);
  };
  const tables = async (file: string): Promise<string[]> => (await exec('/usr/bin/python3', ['-c', TABLES, file])).stdout.trim().split(' ');
  const refused = (result: Converted, message: RegExp): void => {
    assert.equal(result.status.status, 422, JSON.stringify(result.status.body));
    assert.equal(result.status.body['step'], 'error');
    assert.match(String(result.status.body['message']), message);
    assert.deepEqual(result.files, []);
  };
  const file = async (name: string, data: Buffer | string): Promise<string> => {
    const target = path.join(dir, name);
    await writeFile(target, data);
    return target;
  };

  before(async () => {
    await requireTools(FONTS_PART.tools ?? []);
    await exec('/usr/bin/python3', ['-c', 'import fontTools, brotli, fontforge, PIL']).catch(() => {
      throw new Error('The font engine needs python3-fonttools, python3-brotli, python3-fontforge and python3-pil: run bash scripts/setup.sh.');
    });
    server = await startTestServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-fonts-'));
    ttf = await sample('ttf');
    eot = await sample('eot');
  });
  after(async () => {
    await server?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('keeps the hinting by default and drops it with hinting=false', async () => {
    assert.ok((await tables(ttf)).includes('fpgm'), 'the DejaVu sample is hinted');
    const kept = await convertFile(server, ttf, { inputformat: 'ttf', outputformat: 'woff' }, await out());
    assert.equal(kept.status.body['step'], 'finished', JSON.stringify(kept.status.body));
    assert.ok((await tables(kept.files[0] ?? '')).includes('fpgm'));
    const dropped = await convertFile(server, ttf, { inputformat: 'ttf', outputformat: 'woff', converteroptions: { hinting: false } }, await out());
    assert.equal(dropped.status.body['step'], 'finished', JSON.stringify(dropped.status.body));
    const left = await tables(dropped.files[0] ?? '');
    assert.ok(!left.includes('fpgm') && !left.includes('prep'), left.join(' '));
    assert.ok(left.includes('glyf'));
  });

  it('draws a specimen of the font: a 1200 px wide png with ink, from an svg font too', async () => {
    for (const [input, format] of [[ttf, 'ttf'], [await sample('svgfont'), 'svgfont']] as const) {
      const result = await convertFile(server, input, { inputformat: format, outputformat: 'png' }, await out());
      assert.equal(result.status.body['step'], 'finished', JSON.stringify(result.status.body));
      const { data, info } = await sharp(result.files[0] ?? '').greyscale().raw().toBuffer({ resolveWithObject: true });
      assert.equal(info.width, 1200);
      assert.ok(info.height > 200 && info.height <= 1600, `height ${info.height}`);
      const ink = data.filter((v) => v < 128).length;
      assert.ok(ink > 500, `${ink} dark pixels: the glyphs are drawn`);
    }
  });

  it('describes a font with mode=info: family, glyphs, outlines', async () => {
    const result = await convertFile(server, eot, { inputformat: 'eot', mode: 'info' }, await out());
    assert.equal(result.status.body['step'], 'finished', JSON.stringify(result.status.body));
    const info = result.status.body['info'] as Record<string, unknown>;
    assert.equal(info['family'], 'DejaVu Sans');
    assert.equal(info['outlines'], 'truetype');
    assert.equal(info['format'], 'eot');
    assert.ok(Number(info['glyphs']) >= 8, JSON.stringify(info));
  });

  it('refuses text and a PNG sent as ttf, and a ttf whose tables are cut off', async () => {
    // Text and a PNG are refused by the worker's signature check before the font tool runs.
    refused(await convertFile(server, await file('notes.ttf', 'just some text\n'), { inputformat: 'ttf', outputformat: 'woff2' }, await out()), /"notes\.ttf" is not a ttf file/);
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
    refused(await convertFile(server, await file('image.ttf', png), { inputformat: 'ttf', outputformat: 'otf' }, await out()), /"image\.ttf" is not a ttf file/);
    const cut = (await readFile(ttf)).subarray(0, 400);
    refused(await convertFile(server, await file('cut.ttf', cut), { inputformat: 'ttf', outputformat: 'woff' }, await out()), /not a readable ttf font/);
    refused(await convertFile(server, ttf, { inputformat: 'otf', outputformat: 'woff' }, await out()), /"sample\.ttf" is not a otf file/);
  });

  it('refuses MicroType Express EOT, and reads an obfuscated (XOR) one', async () => {
    const original = await readFile(eot);
    const flags = (data: Buffer, value: number): Buffer => {
      const copy = Buffer.from(data);
      copy.writeUInt32LE(value, 12);
      return copy;
    };
    refused(await convertFile(server, await file('mtx.eot', flags(original, 0x4)), { inputformat: 'eot', outputformat: 'ttf' }, await out()), /MicroType Express/);
    // The sfnt is at the end of mkeot's EOT (no EUDC data): XOR it with 0x50 and set the flag.
    const xored = flags(original, 0x10000000);
    const dataSize = original.readUInt32LE(4);
    for (let i = xored.length - dataSize; i < xored.length; i++) xored[i] = (xored[i] ?? 0) ^ 0x50;
    const result = await convertFile(server, await file('xor.eot', xored), { inputformat: 'eot', outputformat: 'ttf' }, await out());
    assert.equal(result.status.body['step'], 'finished', JSON.stringify(result.status.body));
    assert.ok((await tables(result.files[0] ?? '')).includes('glyf'), 'the unobfuscated sfnt comes back');
  });

  it('refuses a WOFF2 declaring an sfnt hundreds of times its size before decompressing it', async () => {
    const bomb = Buffer.alloc(48);
    bomb.write('wOF2', 0, 'latin1');
    bomb.write('\0\x01\0\0', 4, 'latin1');
    bomb.writeUInt32BE(48, 8);
    bomb.writeUInt16BE(1, 12);
    bomb.writeUInt32BE(2 ** 31, 16);
    refused(await convertFile(server, await file('bomb.woff2', bomb), { inputformat: 'woff2', outputformat: 'ttf' }, await out()), /declares 2147483648 bytes of font data/);
  });

  it('refuses an SVG font with entities, references to other files or an encoding that hides its markup, and an SVG drawing without a font', async () => {
    const svg = await readFile(await sample('svgfont'), 'utf8');
    const entity = svg.replace('<svg ', '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<svg ');
    refused(await convertFile(server, await file('entity.svg', entity), { inputformat: 'svgfont', outputformat: 'ttf' }, await out()), /declares entities/);
    const linked = svg.replace('<font ', '<image xlink:href="file:///etc/passwd"/><font ');
    refused(await convertFile(server, await file('linked.svg', linked), { inputformat: 'svgfont', outputformat: 'woff' }, await out()), /refers to another file/);
    const css = svg.replace('<font ', '<style>glyph { fill: url(/etc/passwd) }</style><font ');
    refused(await convertFile(server, await file('css.svg', css), { inputformat: 'svgfont', outputformat: 'otf' }, await out()), /refers to another file \(\/etc\/passwd\)/);
    const utf16 = Buffer.from(`<?xml version="1.0" encoding="UTF-16"?>${svg.replace(/^<\?xml[^>]*>/, '')}`, 'utf16le');
    refused(await convertFile(server, await file('utf16.svg', utf16), { inputformat: 'svgfont', outputformat: 'ttf' }, await out()), /not (UTF-8|a readable svgfont|a svgfont text file)/);
    const drawing = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>';
    refused(await convertFile(server, await file('drawing.svg', drawing), { inputformat: 'svgfont', outputformat: 'ttf' }, await out()), /has no <font> element/);
  });

  it('refuses a hinting value that is not a boolean with a 400 that names the option', async () => {
    const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'ttf', outputformat: 'woff2' }, auth());
    const started = await postJson(server.abs(String(created.body['url'])), { input: 'download', file: 'https://example.com/a.ttf', outputformat: 'woff2', converteroptions: { hinting: '--drop' } });
    assert.equal(started.status, 400);
    assert.match(String(started.body['error'] ?? started.body['message']), /hinting/);
  });
});
