// The archive formats added for issue 18: compressed tars (zstd, lzip, lz4), one-file compressed
// formats (gz, bz2, xz, zst, lz, lz4), and the read-only cab, iso, deb and rpm. Samples are made
// by the formats' own tools (GNU tar, gzip..., gcab, genisoimage, dpkg-deb, rpmbuild), not by
// the bsdtar the server packs with; checks list an archive's entries with bsdtar and compare the
// packed bytes with the sample's, or decompress a one-file format with its own tool.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Format } from '../../../src/core/catalog/index.js';
import type { FormatPart, OutputCheck, SampleMaker } from '../types.js';

const exec = promisify(execFile);

/** Runs a tool in `cwd`; its stdout as bytes. */
async function tool(cwd: string, binary: string, args: readonly string[]): Promise<Buffer> {
  const { stdout } = await exec(binary, [...args], { cwd, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

const NOTES = 'Notes packed by a real tool for the format matrix.\n';

/** A small tree in `dir/tree`: notes.txt and sub/data.bin. */
async function tree(dir: string): Promise<string> {
  const root = path.join(dir, 'tree');
  await mkdir(path.join(root, 'sub'), { recursive: true });
  await writeFile(path.join(root, 'notes.txt'), NOTES);
  await writeFile(path.join(root, 'sub', 'data.bin'), Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 7) % 256)));
  return root;
}

/** A tar of the tree by GNU tar, compressed by `compressor` (tar's -I: the program it pipes through). */
const gnuTar =
  (extension: string, compressor: string): SampleMaker =>
  async (dir) => {
    const root = await tree(dir);
    const file = path.join(dir, `sample.${extension}`);
    await tool(root, 'tar', ['-c', '-f', file, '-I', compressor, 'notes.txt', 'sub/data.bin']);
    return file;
  };

/** notes.txt compressed on its own by `binary` (each keeps the input: -k, or lz4's two names). */
const oneFile =
  (extension: string, binary: string, args: readonly string[]): SampleMaker =>
  async (dir) => {
    const source = path.join(dir, 'sample.txt');
    await writeFile(source, NOTES);
    await tool(dir, binary, [...args, 'sample.txt', ...(binary === 'lz4' ? [`sample.txt.${extension}`] : [])]);
    return `${source}.${extension}`;
  };

const cab: SampleMaker = async (dir) => {
  const root = await tree(dir);
  const file = path.join(dir, 'sample.cab');
  await tool(root, 'gcab', ['-c', '-z', file, 'notes.txt', 'sub/data.bin']);
  return file;
};

const iso: SampleMaker = async (dir) => {
  const root = await tree(dir);
  const file = path.join(dir, 'sample.iso');
  await tool(dir, 'genisoimage', ['-quiet', '-R', '-J', '-V', 'SAMPLE', '-o', file, root]);
  return file;
};

const deb: SampleMaker = async (dir) => {
  const root = path.join(dir, 'package');
  await mkdir(path.join(root, 'DEBIAN'), { recursive: true });
  await mkdir(path.join(root, 'usr', 'share', 'sample'), { recursive: true });
  await writeFile(path.join(root, 'DEBIAN', 'control'), 'Package: sample\nVersion: 1.0\nArchitecture: all\nMaintainer: Matrix <matrix@example.com>\nDescription: a format matrix sample\n');
  await writeFile(path.join(root, 'usr', 'share', 'sample', 'notes.txt'), NOTES);
  const file = path.join(dir, 'sample.deb');
  await tool(dir, 'dpkg-deb', ['--root-owner-group', '-Zxz', '--build', root, file]);
  return file;
};

const rpm: SampleMaker = async (dir) => {
  const spec = path.join(dir, 'sample.spec');
  await writeFile(
    spec,
    [
      'Name: sample',
      'Version: 1.0',
      'Release: 1',
      'Summary: a format matrix sample',
      'License: MIT',
      'BuildArch: noarch',
      '%description',
      'A format matrix sample.',
      '%install',
      'mkdir -p %{buildroot}/usr/share/sample',
      `printf '%s' '${NOTES.trimEnd()}' > %{buildroot}/usr/share/sample/notes.txt`,
      '%files',
      '/usr/share/sample/notes.txt',
      '',
    ].join('\n'),
  );
  const top = path.join(dir, 'rpmbuild');
  await tool(dir, 'rpmbuild', ['-bb', '--quiet', '--define', `_topdir ${top}`, '--define', `_tmppath ${path.join(dir, 'tmp')}`, '--define', '_build_id_links none', spec]);
  const file = path.join(dir, 'sample.rpm');
  await copyFile(path.join(top, 'RPMS', 'noarch', 'sample-1.0-1.noarch.rpm'), file);
  return file;
};

/** The output's first bytes are `magic` (hex). */
async function startsWith(file: string, magic: string): Promise<void> {
  const head = (await readFile(file)).subarray(0, magic.length / 2).toString('hex');
  assert.equal(head, magic, `${path.basename(file)} starts with ${head}, not ${magic}`);
}

/** The one output, and that it has the format's suffix. */
function single(files: readonly string[], extension: string): string {
  assert.equal(files.length, 1, `one output file, not ${files.length}`);
  const file = files[0] ?? '';
  assert.ok(file.endsWith(`.${extension}`), `${path.basename(file)} ends with .${extension}`);
  return file;
}

/**
 * A compressed tar of the matrix's two archive inputs (a png and a txt): starts with the
 * compressor's magic, bsdtar lists exactly those two entries, and the png entry holds the
 * sample's bytes.
 */
const compressedTar =
  (extension: string, magic: string): OutputCheck =>
  async (files, pair) => {
    const file = single(files, extension);
    await startsWith(file, magic);
    const names = (await tool(path.dirname(file), 'bsdtar', ['-t', '-f', file])).toString('utf8').split('\n').filter((n) => n !== '');
    assert.equal(names.length, 2, `two entries: ${names.join(', ')}`);
    assert.ok(names.some((n) => n.endsWith('.txt')), `a txt entry: ${names.join(', ')}`);
    const png = names.find((n) => n.endsWith('.png'));
    assert.ok(png !== undefined, `a png entry: ${names.join(', ')}`);
    const packed = await tool(path.dirname(file), 'bsdtar', ['-x', '-O', '-f', file, png]);
    assert.ok(packed.equals(await readFile(pair.sample)), 'the png entry holds the sample\'s bytes');
  };

/** One compressed file: the compressor's magic, and its own tool gives back the sample's bytes. */
const compressedFile =
  (extension: string, magic: string, binary: string, args: readonly string[]): OutputCheck =>
  async (files, pair) => {
    const file = single(files, extension);
    await startsWith(file, magic);
    const content = await tool(path.dirname(file), binary, [...args, '--', file]);
    assert.ok(content.equals(await readFile(pair.sample)), `${binary} gives back the sample's ${(await readFile(pair.sample)).length} bytes (got ${content.length})`);
  };

const ZSTD = '28b52ffd';
const LZIP = Buffer.from('LZIP').toString('hex');
const LZ4 = '04224d18';

/** The sample makers, also used by test/integration/archives-extra.test.ts. */
export const ARCHIVES_EXTRA_SAMPLES: Partial<Record<Format, SampleMaker>> = {
  'tar.zst': gnuTar('tar.zst', 'zstd'),
  'tar.lz': gnuTar('tar.lz', 'lzip'),
  'tar.lz4': gnuTar('tar.lz4', 'lz4'),
  gz: oneFile('gz', 'gzip', ['-k', '-n']),
  bz2: oneFile('bz2', 'bzip2', ['-k']),
  xz: oneFile('xz', 'xz', ['-k']),
  zst: oneFile('zst', 'zstd', ['-q', '-k']),
  lz: oneFile('lz', 'lzip', ['-k']),
  lz4: oneFile('lz4', 'lz4', ['-q']),
  cab,
  iso,
  deb,
  rpm,
};

const checks: Partial<Record<Format, OutputCheck>> = {
  'tar.zst': compressedTar('tar.zst', ZSTD),
  'tar.lz': compressedTar('tar.lz', LZIP),
  'tar.lz4': compressedTar('tar.lz4', LZ4),
  gz: compressedFile('gz', '1f8b', 'gzip', ['-dc']),
  bz2: compressedFile('bz2', Buffer.from('BZh').toString('hex'), 'bzip2', ['-dc']),
  xz: compressedFile('xz', 'fd377a585a00', 'xz', ['-dc']),
  zst: compressedFile('zst', ZSTD, 'zstd', ['-q', '-dc']),
  lz: compressedFile('lz', LZIP, 'lzip', ['-q', '-dc']),
  lz4: compressedFile('lz4', LZ4, 'lz4', ['-q', '-dc']),
};

export const ARCHIVES_EXTRA_PART: FormatPart = {
  name: 'archives-extra',
  samples: ARCHIVES_EXTRA_SAMPLES,
  checks,
  tools: ['tar', 'bsdtar', 'gzip', 'bzip2', 'xz', 'zstd', 'lzip', 'lz4', 'gcab', 'genisoimage', 'dpkg-deb', 'rpmbuild'],
};
