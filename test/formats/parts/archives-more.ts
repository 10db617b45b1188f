// The archive formats of issue 18's second round: tar.lzma and lzma (the legacy "LZMA alone"
// stream) both ways, and cpio, ar and ISO 9660 images as outputs of mode=archive. Samples are
// made by GNU tar and xz; each output is read back by another tool than the bsdtar that wrote it:
// xz, GNU tar, GNU cpio, binutils ar, isoinfo (genisoimage), and the png entry compared byte for
// byte with the sample that was packed.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Format } from '../../../src/core/catalog/index.js';
import { assertStartsWith } from '../content.js';
import type { CheckedPair, FormatPart, OutputCheck, SampleMaker } from '../types.js';

const exec = promisify(execFile);

/** Runs a tool in `cwd`; its stdout as bytes. */
async function bytes(cwd: string, binary: string, args: readonly string[]): Promise<Buffer> {
  const { stdout } = await exec(binary, [...args], { cwd, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}
const lines = (data: Buffer): string[] => data.toString('utf8').split('\n').filter((l) => l !== '');

const NOTES = 'Notes packed by a real tool for the format matrix.\n';
/** xz writing the .lzma format: the first byte 0x5d, then a dictionary size of 64 KiB or more. */
const LZMA = Buffer.from('5d0000', 'hex');

/** A tar of notes.txt and data.bin by GNU tar, compressed to .lzma by xz. */
const tarLzma: SampleMaker = async (dir) => {
  await writeFile(path.join(dir, 'notes.txt'), NOTES);
  await writeFile(path.join(dir, 'data.bin'), Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 7) % 256)));
  await bytes(dir, 'tar', ['-c', '-f', 'sample.tar.lzma', '-I', 'xz --format=lzma', 'notes.txt', 'data.bin']);
  return path.join(dir, 'sample.tar.lzma');
};

/** notes.txt compressed on its own by xz in the .lzma format. */
const lzma: SampleMaker = async (dir) => {
  await writeFile(path.join(dir, 'sample.txt'), NOTES);
  await bytes(dir, 'xz', ['-k', '--format=lzma', 'sample.txt']);
  return path.join(dir, 'sample.txt.lzma');
};

/** The one output, with the format's suffix. */
function single(files: readonly string[], extension: string): string {
  assert.equal(files.length, 1, `one output file, not ${files.length}`);
  const file = files[0] ?? '';
  assert.ok(file.endsWith(`.${extension}`), `${path.basename(file)} ends with .${extension}`);
  return file;
}

/**
 * The archive holds exactly the matrix's two archive inputs (a png and a txt), listed by `list`,
 * and the png entry, read out by `read`, holds the sample's bytes.
 */
async function holdsInputs(pair: CheckedPair, names: readonly string[], read: (name: string) => Promise<Buffer>): Promise<void> {
  assert.equal(names.length, 2, `two entries: ${names.join(', ')}`);
  assert.ok(names.some((n) => n.endsWith('.txt')), `a txt entry: ${names.join(', ')}`);
  const png = names.find((n) => n.endsWith('.png'));
  assert.ok(png !== undefined, `a png entry: ${names.join(', ')}`);
  assert.ok((await read(png)).equals(await readFile(pair.sample)), 'the png entry holds the sample\'s bytes');
}

const checks: Partial<Record<Format, OutputCheck>> = {
  // GNU tar through xz --format=lzma (not bsdtar, which wrote it).
  'tar.lzma': async (files, pair) => {
    const file = single(files, 'tar.lzma');
    await assertStartsWith(file, LZMA);
    const cwd = path.dirname(file);
    const names = lines(await bytes(cwd, 'tar', ['-t', '-I', 'xz --format=lzma', '-f', file]));
    await holdsInputs(pair, names, (name) => bytes(cwd, 'tar', ['-x', '-O', '-I', 'xz --format=lzma', '-f', file, name]));
  },
  lzma: async (files, pair) => {
    const file = single(files, 'lzma');
    await assertStartsWith(file, LZMA);
    const content = await bytes(path.dirname(file), 'xz', ['-dc', '--format=lzma', '--', file]);
    assert.ok(content.equals(await readFile(pair.sample)), `xz gives back the sample's bytes (got ${content.length})`);
  },
  // SVR4 "newc" cpio, read by GNU cpio with that format forced.
  cpio: async (files, pair) => {
    const file = single(files, 'cpio');
    await assertStartsWith(file, '070701');
    const cwd = path.dirname(file);
    const names = lines(await bytes(cwd, 'cpio', ['--quiet', '-i', '-t', '-H', 'newc', '-F', file]));
    await holdsInputs(pair, names, (name) => bytes(cwd, 'cpio', ['--quiet', '-i', '--to-stdout', '-H', 'newc', '-F', file, name]));
  },
  // GNU ar (binutils) lists and prints the members.
  ar: async (files, pair) => {
    const file = single(files, 'ar');
    await assertStartsWith(file, '!<arch>\n');
    const cwd = path.dirname(file);
    const names = lines(await bytes(cwd, 'ar', ['t', file]));
    await holdsInputs(pair, names, (name) => bytes(cwd, 'ar', ['p', file, name]));
  },
  // "CD001" at byte 32769; isoinfo lists the Rock Ridge names and extracts the png.
  iso: async (files, pair) => {
    const file = single(files, 'iso');
    await assertStartsWith(file, 'CD001', 32769);
    const cwd = path.dirname(file);
    const names = lines(await bytes(cwd, 'isoinfo', ['-R', '-f', '-i', file])).map((n) => n.replace(/^\//, ''));
    await holdsInputs(pair, names, (name) => bytes(cwd, 'isoinfo', ['-R', '-i', file, '-x', `/${name}`]));
  },
};

/** The sample makers, also used by test/integration/archives-more.test.ts. */
export const ARCHIVES_MORE_SAMPLES: Partial<Record<Format, SampleMaker>> = { 'tar.lzma': tarLzma, lzma };

export const ARCHIVES_MORE_PART: FormatPart = {
  name: 'archives-more',
  samples: ARCHIVES_MORE_SAMPLES,
  checks,
  tools: ['tar', 'xz', 'cpio', 'ar', 'isoinfo'],
};
