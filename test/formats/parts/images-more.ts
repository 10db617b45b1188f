// The format matrix's part for the second round of raster formats the imagemagick engine reads and
// writes (SGI, Sun raster, WBMP, PAM, PFM, XWD, FITS, MIFF, MNG, JNG, PICT, VIFF): samples written
// at test time by ImageMagick from a PNG, and outputs proven by their signature, identify reading
// them with the format's own coder, and for the formats with a simple header its size read here
// from the bytes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { FORMATS, type Format } from '../../../src/core/catalog/index.js';
import { matchesSignature, readHead } from '../../../src/core/file-signatures.js';
import { MAGICK_CODERS } from '../../../workers/converters/imagemagick/command.js';
import type { FormatPart, OutputCheck, SampleMaker } from '../types.js';

const exec = promisify(execFile);

const WIDTH = 64;
const HEIGHT = 48;

const MORE = ['sgi', 'ras', 'wbmp', 'pam', 'pfm', 'xwd', 'fits', 'miff', 'mng', 'jng', 'pict', 'viff'] as const satisfies readonly Format[];

/** A sample ImageMagick writes with the format's own coder from a 64x48 colour picture. */
const magickSample =
  (format: Format): SampleMaker =>
  async (dir) => {
    const base = path.join(dir, 'base.png');
    await exec('convert', ['-size', `${WIDTH}x${HEIGHT}`, 'gradient:orange-navy', '-fill', 'white', '-draw', 'circle 32,24 40,24', `png:${base}`]);
    const file = path.join(dir, `sample.${format}`);
    await exec('convert', [`png:${base}`, `${MAGICK_CODERS[format] ?? ''}:${file}`]);
    return file;
  };

/** The size a format's header states, read from its bytes (undefined: no simple header to read). */
function headerSize(format: Format, bytes: Buffer): { width: number; height: number } | undefined {
  const text = bytes.subarray(0, 2880).toString('latin1');
  switch (format) {
    case 'sgi':
      return { width: bytes.readUInt16BE(6), height: bytes.readUInt16BE(8) };
    case 'ras':
      return { width: bytes.readUInt32BE(4), height: bytes.readUInt32BE(8) };
    case 'xwd':
      // pixmap_width and pixmap_height, in the byte order of the header size at 0.
      return bytes.readUInt32BE(4) === 7 ? { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) } : { width: bytes.readUInt32LE(16), height: bytes.readUInt32LE(20) };
    case 'pam': {
      const width = /^WIDTH (\d+)$/m.exec(text);
      const height = /^HEIGHT (\d+)$/m.exec(text);
      return { width: Number(width?.[1]), height: Number(height?.[1]) };
    }
    case 'pfm': {
      const size = /^P[Ff]\s+(\d+)\s+(\d+)\s/.exec(text);
      return { width: Number(size?.[1]), height: Number(size?.[2]) };
    }
    case 'fits': {
      const width = /NAXIS1\s*=\s*(\d+)/.exec(text);
      const height = /NAXIS2\s*=\s*(\d+)/.exec(text);
      return { width: Number(width?.[1]), height: Number(height?.[1]) };
    }
    default:
      return undefined;
  }
}

function assertSize(width: number, height: number, file: string, reader: string, input: Format): void {
  assert.ok(width > 0 && height > 0, `${reader}: ${path.basename(file)} has a size (${width}x${height})`);
  // Every raster sample is 4:3 and the aspect ratio survives any default conversion (the eps
  // sample is a page cropped to its drawing).
  if (input !== 'eps') assert.ok(Math.abs(width * 3 - height * 4) <= 4, `${reader}: ${path.basename(file)} keeps the 4:3 picture (${width}x${height})`);
}

/** One output file: its signature, identify reading it with the format's coder, and its header's size. */
const magickCheck =
  (format: Format): OutputCheck =>
  async (files, pair) => {
    assert.equal(files.length, 1, 'one output file');
    const file = files[0] ?? '';
    const signature = (FORMATS[format] as { signature?: Parameters<typeof matchesSignature>[0] }).signature;
    assert.ok(signature !== undefined, `${format} declares a signature`);
    assert.ok(matchesSignature(signature, await readHead(file)), `${path.basename(file)} starts like ${format}`);
    const { stdout } = await exec('identify', ['-format', '%m %w %h\n', `${MAGICK_CODERS[format] ?? ''}:${file}[0]`]);
    const [coder = '', width = '0', height = '0'] = stdout.trim().split(' ');
    assert.equal(coder, MAGICK_CODERS[format], 'identify reads it with its own coder');
    assertSize(Number(width), Number(height), file, 'identify', pair.input);
    const header = headerSize(format, await readFile(file));
    if (header !== undefined) {
      assertSize(header.width, header.height, file, 'header', pair.input);
      assert.deepEqual(header, { width: Number(width), height: Number(height) }, 'the header states the size identify reads');
    }
  };

export const IMAGES_MORE_PART: FormatPart = {
  name: 'more images (imagemagick: sgi, ras, wbmp, pam, pfm, xwd, fits, miff, mng, jng, pict, viff)',
  samples: Object.fromEntries(MORE.map((f) => [f, magickSample(f)])),
  checks: Object.fromEntries(MORE.map((f) => [f, magickCheck(f)])),
  tools: ['convert', 'identify'],
};
