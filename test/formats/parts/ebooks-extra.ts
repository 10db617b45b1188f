// The format matrix's part for calibre's further ebook formats (lit, pdb, lrf, rb, snb, tcr, pml,
// htmlz, txtz) and comic archives (cbz, cbr, cb7). Samples are written by ebook-convert from a
// small epub (itself made by ebook-convert from html), comics are three pages packed by bsdtar
// (cbr: a RAR 4 archive built by hand, as no free RAR writer exists). Outputs are proven by their
// signature and by reading them back: calibre converts them to text (its own readers; ebook-meta
// accepts any bytes), zipped books and comics are listed and their main part read.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { FORMATS, type Format } from '../../../src/core/catalog/formats.js';
import { matchesSignature, readHead } from '../../../src/core/file-signatures.js';
import { rar4 } from '../../helpers/archives.js';
import type { FormatPart, OutputCheck, SampleMaker } from '../types.js';

const exec = promisify(execFile);

const BOOK_TEXT = 'The lighthouse keeper counted seventeen ships before the storm arrived.';
const BOOK_HTML = `<html><head><title>Matrix Book</title></head><body><h1>Chapter One</h1><p>${BOOK_TEXT}</p><h1>Chapter Two</h1><p>The second chapter ends the book.</p></body></html>`;

/** calibre's tools with their config and temp files in a folder of their own, never in ~. */
async function calibre(tool: string, args: readonly string[]): Promise<string> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'oc-calibre-home-'));
  const env = { ...process.env, HOME: home, CALIBRE_CONFIG_DIRECTORY: path.join(home, 'config'), XDG_CACHE_HOME: path.join(home, 'cache'), CALIBRE_TEMP_DIR: home, QT_QPA_PLATFORM: 'offscreen', QTWEBENGINE_CHROMIUM_FLAGS: '--no-sandbox' };
  const { stdout } = await exec(tool, [...args], { env, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** The base epub of one samples folder, made once. */
const bases = new Map<string, Promise<string>>();
function baseEpub(sampleDir: string): Promise<string> {
  const root = path.dirname(sampleDir);
  let made = bases.get(root);
  if (made === undefined) {
    made = (async () => {
      const dir = path.join(root, 'ebooks-extra-base');
      await mkdir(dir, { recursive: true });
      const html = path.join(dir, 'book.html');
      await writeFile(html, BOOK_HTML);
      const epub = path.join(dir, 'book.epub');
      await calibre('ebook-convert', [html, epub, '--title=Matrix Book', '--authors=Ann Author']);
      return epub;
    })();
    bases.set(root, made);
  }
  return made;
}

/** A sample of `format` written by ebook-convert from the base epub. */
const fromEpub =
  (format: string): SampleMaker =>
  async (dir) => {
    const file = path.join(dir, `book.${format}`);
    await calibre('ebook-convert', [await baseEpub(dir), file]);
    return file;
  };

/** calibre writes PML only inside a pmlz (a zip with the .pml and its images): the .pml is taken out. */
const pmlSample: SampleMaker = async (dir) => {
  const pmlz = path.join(dir, 'book.pmlz');
  await calibre('ebook-convert', [await baseEpub(dir), pmlz]);
  const { stdout } = await exec('unzip', ['-p', pmlz, '*.pml'], { encoding: 'buffer' });
  const file = path.join(dir, 'book.pml');
  await writeFile(file, stdout);
  return file;
};

/** Three numbered pages, as PNG and JPEG (a comic's usual images). */
async function comicPages(): Promise<Array<{ name: string; data: Buffer }>> {
  const page = (n: number) => sharp({ create: { width: 240, height: 320, channels: 3, background: { r: 250 - n * 40, g: 240, b: 230 } } });
  return [
    { name: 'pages/page1.png', data: await page(1).png().toBuffer() },
    { name: 'pages/page2.jpg', data: await page(2).jpeg().toBuffer() },
    { name: 'pages/page10.png', data: await page(3).png().toBuffer() },
  ];
}

const comicSample =
  (format: 'cbz' | 'cb7'): SampleMaker =>
  async (dir) => {
    const pages = await comicPages();
    for (const p of pages) {
      await mkdir(path.join(dir, path.dirname(p.name)), { recursive: true });
      await writeFile(path.join(dir, p.name), p.data);
    }
    const file = path.join(dir, `comic.${format}`);
    await exec('bsdtar', ['-c', '-f', file, '--format', format === 'cbz' ? 'zip' : '7zip', '-C', dir, ...pages.map((p) => p.name)]);
    return file;
  };

const cbrSample: SampleMaker = async (dir) => {
  const file = path.join(dir, 'comic.cbr');
  await writeFile(file, rar4(await comicPages()));
  return file;
};

/** The only output file, after its signature was checked against the catalog's. */
async function signed(files: readonly string[], format: Format): Promise<string> {
  assert.equal(files.length, 1, `one ${format} output`);
  const file = files[0] ?? '';
  const signature = (FORMATS[format] as { signature?: Parameters<typeof matchesSignature>[0] }).signature;
  assert.ok(signature !== undefined, `${format} has a signature in the catalog`);
  assert.ok(matchesSignature(signature, await readHead(file)), `the ${format} output starts with its signature`);
  return file;
}

/** Enough words to be a book's text, not an empty shell. */
function assertHasText(text: string, what: string): void {
  const words = text.match(/[A-Za-z]{3,}/g) ?? [];
  assert.ok(words.length >= 3, `${what} holds text (read back: ${JSON.stringify(text.slice(0, 200))})`);
}

/** Signature, then calibre reads the book back into plain text. */
const readBack =
  (format: Format): OutputCheck =>
  async (files) => {
    const file = await signed(files, format);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'oc-readback-'));
    const text = path.join(dir, 'back.txt');
    await calibre('ebook-convert', [file, text]);
    assertHasText(await readFile(text, 'utf8'), `the ${format} output`);
  };

/** Signature, then the zipped book's main part (index.html, index.txt) read with unzip. */
const zippedBook =
  (format: 'htmlz' | 'txtz', main: string): OutputCheck =>
  async (files) => {
    const file = await signed(files, format);
    const { stdout } = await exec('unzip', ['-p', file, main]);
    assertHasText(stdout.replace(/<[^>]*>/g, ' '), `${main} of the ${format} output`);
  };

/** Signature, then calibre's SNB container reader finds the book part and a chapter with text. */
const snbCheck: OutputCheck = async (files) => {
  const file = await signed(files, 'snb');
  // calibre 6's SNB input compares bytes names with strings (and reads nothing): the container is read directly.
  const script = [
    'import sys',
    'from calibre.ebooks.snb.snbfile import SNBFile',
    's = SNBFile(); s.Open(sys.argv[-1])',
    "names = [f.fileName for f in s.files]",
    "assert b'snbf/book.snbf' in names, names",
    "sys.stdout.buffer.write(b' '.join(s.GetFileStream(n) for n in names if n.endswith(b'.snbc')))",
  ].join('\n');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'oc-snb-'));
  await writeFile(path.join(dir, 'read.py'), script);
  assertHasText((await calibre('calibre-debug', [path.join(dir, 'read.py'), file])).replace(/<!\[CDATA\[|\]\]>/g, ' ').replace(/<[^>]*>/g, ' '), 'the snb chapters');
};

/** Signature, then the archive lists only page images, in order, and the first one decodes. */
const comicArchive =
  (format: 'cbz' | 'cb7'): OutputCheck =>
  async (files) => {
    const file = await signed(files, format);
    const names = (await exec('bsdtar', ['-t', '-f', file])).stdout.split('\n').filter((n) => n !== '');
    assert.ok(names.length >= 1, `the ${format} output holds pages`);
    assert.ok(names.every((n) => /^\d{4,}\.(jpg|png|gif|webp)$/.test(n)), `only numbered pages: ${names.join(', ')}`);
    assert.deepEqual([...names].sort(), names, 'pages in order');
    const first = (await exec('bsdtar', ['-x', '-O', '-f', file, names[0] ?? ''], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 })).stdout;
    const meta = await sharp(first).metadata();
    assert.ok((meta.width ?? 0) > 0 && (meta.height ?? 0) > 0, 'the first page is an image');
  };

export const EBOOKS_EXTRA_PART: FormatPart = {
  name: 'ebooks-extra (calibre formats and comic archives)',
  samples: {
    lit: fromEpub('lit'),
    pdb: fromEpub('pdb'),
    lrf: fromEpub('lrf'),
    rb: fromEpub('rb'),
    tcr: fromEpub('tcr'),
    htmlz: fromEpub('htmlz'),
    txtz: fromEpub('txtz'),
    pml: pmlSample,
    cbz: comicSample('cbz'),
    cb7: comicSample('cb7'),
    cbr: cbrSample,
  },
  checks: {
    lit: readBack('lit'),
    pdb: readBack('pdb'),
    lrf: readBack('lrf'),
    rb: readBack('rb'),
    tcr: readBack('tcr'),
    htmlz: zippedBook('htmlz', 'index.html'),
    txtz: zippedBook('txtz', 'index.txt'),
    snb: snbCheck,
    cbz: comicArchive('cbz'),
    cb7: comicArchive('cb7'),
  },
  tools: ['ebook-convert', 'calibre-debug', 'bsdtar', 'unzip'],
};
