// The ebook formats that existed before the format breadth issue: an EPUB made by calibre from
// the HTML sample, the others by calibre from that EPUB; outputs proven by their structure (the
// EPUB's mimetype and package, the MOBI header, the FictionBook root) and calibre reading them.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { assertStartsWith, assertText, assertZipEntry, eachFile, tool } from '../content.js';
import type { FormatPart, OutputCheck, SampleMaker } from '../types.js';
import { SAMPLE_HTML } from './documents.js';

const epub: SampleMaker = async (dir) => {
  await writeFile(path.join(dir, 'book.html'), SAMPLE_HTML);
  await tool('ebook-convert', ['book.html', 'sample.epub', '--title', 'Matrix sample', '--authors', 'Format Matrix'], dir);
  return path.join(dir, 'sample.epub');
};

const fromEpub = (ext: string): SampleMaker => async (dir) => {
  await epub(dir);
  await tool('ebook-convert', ['sample.epub', `sample.${ext}`], dir);
  return path.join(dir, `sample.${ext}`);
};

/** ebook-meta reads a title from the book (calibre parsed it). */
const calibreReads = async (file: string): Promise<void> => {
  const meta = await tool('ebook-meta', [file]);
  assert.match(meta, /Title\s*:/, `${path.basename(file)}: calibre reads no metadata`);
};

/** MOBI and AZW3: a Palm database of type BOOKMOBI (at byte 60). */
const mobi: OutputCheck = (files) =>
  eachFile(files, async (file) => {
    await assertStartsWith(file, 'BOOKMOBI', 60);
    await calibreReads(file);
  });

export const EBOOKS_PART: FormatPart = {
  name: 'ebooks',
  tools: ['ebook-convert', 'ebook-meta'],
  samples: {
    epub,
    mobi: fromEpub('mobi'),
    azw3: fromEpub('azw3'),
    fb2: fromEpub('fb2'),
  },
  checks: {
    epub: (files) =>
      eachFile(files, async (file) => {
        await assertZipEntry(file, 'mimetype', 'application/epub+zip');
        await assertZipEntry(file, 'META-INF/container.xml');
      }),
    mobi,
    azw3: mobi,
    fb2: (files) => eachFile(files, (file) => assertText(file, /<FictionBook[\s>]/)),
  },
  optionSamples: {
    calibre: { input: 'epub', output: 'mobi', options: { title: 'Retitled', base_font_size: 14 } },
  },
};
