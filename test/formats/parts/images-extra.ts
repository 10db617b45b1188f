// The format matrix's part for the raster formats beyond sharp (the imagemagick engine): samples
// made at test time by ImageMagick, libheif, libjxl and a DNG writer, and outputs proven by their
// signature plus a parse by an independent reader (identify, heif-info, jxlinfo).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { FORMATS, type Format } from '../../../src/core/catalog/index.js';
import { matchesSignature, readHead } from '../../../src/core/file-signatures.js';
import { MAGICK_CODERS } from '../../../workers/converters/imagemagick/command.js';
import { dngBytes } from '../makers/dng.js';
import type { FormatPart, OutputCheck, SampleMaker } from '../types.js';

const exec = promisify(execFile);

/** The samples' size: every output of a default conversion keeps it. */
const WIDTH = 64;
const HEIGHT = 48;

/** A 64x48 colour picture (a gradient with a disc) as a PNG, the source of every sample. */
async function basePng(dir: string): Promise<string> {
  const file = path.join(dir, 'base.png');
  await exec('convert', ['-size', `${WIDTH}x${HEIGHT}`, 'gradient:orange-navy', '-fill', 'white', '-draw', 'circle 32,24 40,24', `png:${file}`]);
  return file;
}

/** A sample ImageMagick writes from the base picture with the format's own coder. */
const magickSample =
  (format: Format, extra: readonly string[] = []): SampleMaker =>
  async (dir) => {
    const file = path.join(dir, `sample.${format}`);
    await exec('convert', [`png:${await basePng(dir)}`, ...extra, `${MAGICK_CODERS[format] ?? ''}:${file}`]);
    return file;
  };

async function assertSignature(file: string, format: Format): Promise<void> {
  const signature = (FORMATS[format] as { signature?: Parameters<typeof matchesSignature>[0] }).signature;
  assert.ok(signature !== undefined, `${format} declares a signature`);
  assert.ok(matchesSignature(signature, await readHead(file)), `${path.basename(file)} starts like ${format}`);
}

function assertSize(width: number, height: number, file: string): void {
  assert.ok(width > 0 && height > 0, `${path.basename(file)} has a size (${width}x${height})`);
  // Every sample is 4:3 and the option sample scales it; the aspect ratio survives.
  assert.ok(Math.abs(width * 3 - height * 4) <= 4, `${path.basename(file)} keeps the 4:3 picture (${width}x${height})`);
}

/** One output file, read back by identify with the format's coder: signature, coder and size. */
const magickCheck =
  (format: Format): OutputCheck =>
  async (files) => {
    assert.equal(files.length, 1, 'one output file');
    const file = files[0] ?? '';
    await assertSignature(file, format);
    const { stdout } = await exec('identify', ['-format', '%m %w %h\n', `${MAGICK_CODERS[format] ?? ''}:${file}[0]`]);
    const [coder = '', width = '0', height = '0'] = stdout.trim().split(' ');
    assert.equal(coder, format === 'heif' ? 'HEIC' : MAGICK_CODERS[format], 'identify reads it with its own coder');
    assertSize(Number(width), Number(height), file);
  };

const heifCheck: OutputCheck = async (files) => {
  const file = files[0] ?? '';
  await assertSignature(file, 'heif');
  const { stdout } = await exec('heif-info', [file]);
  assert.match(stdout, /main brand: heic/, 'HEVC-coded HEIF');
  const size = /image: (\d+)x(\d+)/.exec(stdout);
  assertSize(Number(size?.[1]), Number(size?.[2]), file);
};

const jxlCheck: OutputCheck = async (files) => {
  const file = files[0] ?? '';
  await assertSignature(file, 'jxl');
  const { stdout } = await exec('jxlinfo', [file]);
  const size = /JPEG XL image, (\d+)x(\d+)/.exec(stdout);
  assert.ok(size !== null, `jxlinfo reads ${path.basename(file)}: ${stdout}`);
  assertSize(Number(size[1]), Number(size[2]), file);
};

const MAGICK_WRITTEN = ['bmp', 'ico', 'psd', 'tga', 'pcx', 'ppm', 'pgm', 'pbm', 'pnm', 'xbm', 'xpm', 'exr', 'hdr', 'dds', 'jp2', 'j2k'] as const;

export const IMAGES_EXTRA_PART: FormatPart = {
  name: 'images beyond sharp (imagemagick)',
  samples: {
    ...Object.fromEntries(MAGICK_WRITTEN.map((f) => [f, magickSample(f)])),
    // ImageMagick writes its "cur" as an icon (type 1): the cursor is that icon with type 2 and
    // a hotspot (0, 0) where an icon has its planes and bit count (ICONDIR / ICONDIRENTRY).
    cur: async (dir) => {
      const icon = Buffer.from(await readFile(await magickSample('ico')(dir)));
      icon.writeUInt16LE(2, 2);
      for (let entry = 0; entry < icon.readUInt16LE(4); entry++) icon.fill(0, 6 + 16 * entry + 4, 6 + 16 * entry + 8);
      const file = path.join(dir, 'sample.cur');
      await writeFile(file, icon);
      return file;
    },
    heif: async (dir) => {
      const file = path.join(dir, 'sample.heic');
      await exec('heif-enc', ['-q', '60', '-o', file, await basePng(dir)]);
      return file;
    },
    jxl: async (dir) => {
      const file = path.join(dir, 'sample.jxl');
      await exec('cjxl', [await basePng(dir), file]);
      return file;
    },
    svgz: async (dir) => {
      const file = path.join(dir, 'sample.svgz');
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}"><rect width="100%" height="100%" fill="navy"/><circle cx="32" cy="24" r="12" fill="orange"/></svg>`;
      await writeFile(file, gzipSync(svg));
      return file;
    },
    dng: async (dir) => {
      const file = path.join(dir, 'sample.dng');
      await writeFile(file, dngBytes(WIDTH, HEIGHT));
      return file;
    },
  },
  checks: {
    ...Object.fromEntries(MAGICK_WRITTEN.map((f) => [f, magickCheck(f)])),
    heif: heifCheck,
    jxl: jxlCheck,
  },
  optionSamples: {
    imagemagick: { input: 'bmp', output: 'jp2', options: { resize: '32x', quality: 40, grayscale: true, rotate: 180, strip_metatags: true } },
  },
  tools: ['convert', 'identify', 'heif-enc', 'heif-info', 'cjxl', 'jxlinfo', 'raw-identify', 'dcraw_emu', 'djxl'],
};
