// The image and vector formats that existed before the format breadth issue: samples drawn with
// sharp from one SVG, PostScript made by Ghostscript, metafiles by Inkscape; outputs proven by
// decoding them (sharp's metadata, Ghostscript's bounding box, metafile headers).
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { assertStartsWith, assertText, eachFile, tool, toolOutput } from '../content.js';
import type { FormatPart, OutputCheck, SampleMaker } from '../types.js';

/** A 64x48 drawing with dark shapes on white (potrace finds outlines in it). */
export const SAMPLE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="48" viewBox="0 0 64 48"><rect width="64" height="48" fill="#ffffff"/><rect x="6" y="6" width="24" height="36" fill="#1a3c8c"/><circle cx="46" cy="24" r="12" fill="#8c1a1a"/></svg>`;

const raster = (ext: string, encode: (image: Sharp) => Sharp): SampleMaker => async (dir) => {
  const file = path.join(dir, `sample.${ext}`);
  await encode(sharp(Buffer.from(SAMPLE_SVG))).toFile(file);
  return file;
};

/** Decodes each output with sharp: the container is `format` and it has pixels. */
const decodes = (format: string): OutputCheck => (files) =>
  eachFile(files, async (file) => {
    const meta = await sharp(file, { animated: true }).metadata();
    assert.equal(meta.format, format, `${path.basename(file)} decodes as ${meta.format}, not ${format}`);
    assert.ok((meta.width ?? 0) > 0 && (meta.height ?? 0) > 0, `${path.basename(file)} has no pixels`);
  });

/** Ghostscript finds a bounding box in the PostScript (it ran the whole program). */
const postscript = (header: string): OutputCheck => (files) =>
  eachFile(files, async (file) => {
    await assertStartsWith(file, header);
    const { stderr } = await toolOutput('gs', ['-q', '-dSAFER', '-dBATCH', '-dNOPAUSE', '-sDEVICE=bbox', file]);
    assert.match(stderr, /%%BoundingBox: \d+ \d+ \d+ \d+/, `${path.basename(file)}: Ghostscript found no bounding box`);
  });

export const IMAGES_PART: FormatPart = {
  name: 'images',
  tools: ['gs', 'inkscape'],
  samples: {
    png: raster('png', (i) => i.png()),
    jpg: raster('jpg', (i) => i.jpeg()),
    webp: raster('webp', (i) => i.webp()),
    gif: raster('gif', (i) => i.gif()),
    tiff: raster('tiff', (i) => i.tiff()),
    avif: raster('avif', (i) => i.avif()),
    svg: async (dir) => {
      const file = path.join(dir, 'sample.svg');
      await writeFile(file, SAMPLE_SVG);
      return file;
    },
    // From the drawing (a full-size white background, so the bounding box keeps its 4:3 shape).
    eps: async (dir) => {
      await writeFile(path.join(dir, 'drawing.svg'), SAMPLE_SVG);
      await tool('inkscape', ['--export-type=eps', '--export-filename=sample.eps', 'drawing.svg'], dir);
      return path.join(dir, 'sample.eps');
    },
    ps: async (dir) => {
      await writeFile(path.join(dir, 'drawing.svg'), SAMPLE_SVG);
      await tool('inkscape', ['--export-type=ps', '--export-filename=sample.ps', 'drawing.svg'], dir);
      return path.join(dir, 'sample.ps');
    },
    emf: async (dir) => {
      await writeFile(path.join(dir, 'drawing.svg'), SAMPLE_SVG);
      await tool('inkscape', ['--export-type=emf', '--export-filename=sample.emf', 'drawing.svg'], dir);
      return path.join(dir, 'sample.emf');
    },
    wmf: async (dir) => {
      await writeFile(path.join(dir, 'drawing.svg'), SAMPLE_SVG);
      await tool('inkscape', ['--export-type=wmf', '--export-filename=sample.wmf', 'drawing.svg'], dir);
      return path.join(dir, 'sample.wmf');
    },
  },
  checks: {
    png: decodes('png'),
    jpg: decodes('jpeg'),
    webp: decodes('webp'),
    gif: decodes('gif'),
    tiff: decodes('tiff'),
    avif: decodes('heif'),
    svg: (files) =>
      eachFile(files, async (file) => {
        await assertText(file, /<svg[\s>]/);
        const meta = await sharp(file).metadata();
        assert.ok((meta.width ?? 0) > 0, `${path.basename(file)}: the SVG does not render`);
      }),
    eps: postscript('%!PS-Adobe'),
    ps: postscript('%!PS'),
    // EMF: the record type 1 header with " EMF" at byte 40; WMF: the placeable header or a plain one.
    emf: (files) => eachFile(files, (file) => assertStartsWith(file, ' EMF', 40)),
    wmf: (files) =>
      eachFile(files, async (file) => {
        const data = await readFile(file);
        const placeable = data.subarray(0, 4).equals(Buffer.from('d7cdc69a', 'hex'));
        const plain = data.subarray(0, 4).equals(Buffer.from('01000900', 'hex')) || data.subarray(0, 4).equals(Buffer.from('02000900', 'hex'));
        assert.ok(placeable || plain, `${path.basename(file)} has no WMF header`);
      }),
  },
  optionSamples: {
    sharp: { input: 'png', output: 'jpg', options: { quality: 40, resize: '32x', grayscale: true, rotate: 90 } },
    inkscape: { input: 'svg', output: 'pdf', options: { text_to_path: true } },
    potrace: { input: 'png', output: 'svg', options: { threshold: 100, color: '#ff0000', turdsize: 4 } },
  },
};
