// The archive formats that existed before the format breadth issue: samples packed at test time
// by the real tools (zip, tar, 7zz; RAR 4 written by hand as no free RAR writer exists), holding
// a text file and a PNG; outputs proven by listing their entries with bsdtar or 7zz.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { rar4 } from '../../helpers/archives.js';
import { archiveEntries, eachFile, tool } from '../content.js';
import type { FormatPart, OutputCheck, SampleMaker } from '../types.js';

/** Writes the two files every sample archive holds; returns their names. */
async function contents(dir: string): Promise<string[]> {
  await writeFile(path.join(dir, 'notes.txt'), 'Matrix sample\n');
  await sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } }).png().toFile(path.join(dir, 'dot.png'));
  return ['notes.txt', 'dot.png'];
}

const packed = (ext: string, pack: (dir: string, names: string[], out: string) => Promise<unknown>): SampleMaker => async (dir) => {
  const names = await contents(dir);
  const out = `sample.${ext}`;
  await pack(dir, names, out);
  return path.join(dir, out);
};

/** bsdtar (libarchive) lists the archive, and it holds at least one file. */
const lists: OutputCheck = (files) =>
  eachFile(files, async (file) => {
    const entries = await archiveEntries(file);
    assert.ok(entries.some((e) => !e.endsWith('/')), `${path.basename(file)} lists no files`);
  });

export const ARCHIVES_PART: FormatPart = {
  name: 'archives',
  tools: ['zip', 'tar', '7zz', 'bsdtar'],
  samples: {
    zip: packed('zip', (dir, names, out) => tool('zip', ['-q', out, ...names], dir)),
    tar: packed('tar', (dir, names, out) => tool('tar', ['-cf', out, ...names], dir)),
    'tar.gz': packed('tar.gz', (dir, names, out) => tool('tar', ['-czf', out, ...names], dir)),
    'tar.bz2': packed('tar.bz2', (dir, names, out) => tool('tar', ['-cjf', out, ...names], dir)),
    'tar.xz': packed('tar.xz', (dir, names, out) => tool('tar', ['-cJf', out, ...names], dir)),
    '7z': packed('7z', (dir, names, out) => tool('7zz', ['a', '-bd', out, ...names], dir)),
    rar: packed('rar', async (dir, names, out) => {
      const files = await Promise.all(names.map(async (name) => ({ name, data: await readFile(path.join(dir, name)) })));
      await writeFile(path.join(dir, out), rar4(files));
    }),
  },
  checks: {
    zip: lists,
    tar: lists,
    'tar.gz': lists,
    'tar.bz2': lists,
    'tar.xz': lists,
    '7z': lists,
    rar: lists,
  },
};
