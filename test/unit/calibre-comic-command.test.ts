// The pure parts of the ebook engine's further formats: comic page selection, order and names,
// comic signatures, bsdtar's arguments, the readers' safety arguments, and the catalog's pairs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findConversionType, type EngineOptions } from '../../src/core/catalog/index.js';
import { FORMATS } from '../../src/core/catalog/formats.js';
import { matchesSignature } from '../../src/core/file-signatures.js';
import {
  buildConvertArgs,
  comicPackArgs,
  comicPageExtension,
  comicPageName,
  comicPageOrder,
  comicReadArgs,
  hasComicSignature,
  isComicFormat,
} from '../../workers/converters/calibre/command.js';

const NONE: EngineOptions['calibre'] = { base_font_size: null, margin_top: null, margin_bottom: null, margin_left: null, margin_right: null, title: null, authors: null };

describe('comic pages', () => {
  it('takes jpg, jpeg, png, gif and webp entries as pages, any case, and nothing else', () => {
    assert.equal(comicPageExtension('a/b/Page1.JPG'), 'jpg');
    assert.equal(comicPageExtension('x.jpeg'), 'jpeg');
    assert.equal(comicPageExtension('x.webp'), 'webp');
    for (const name of ['ComicInfo.xml', 'x.png.txt', 'png', 'x.svg', 'x.tiff', 'dir/']) assert.equal(comicPageExtension(name), undefined, name);
  });
  it('orders pages by name with numbers compared as numbers', () => {
    const names = ['ch2/p10.png', 'ch1/p2.png', 'ch1/p10.png', 'ch2/p1.png', 'ch1/p1.png'];
    assert.deepEqual([...names].sort(comicPageOrder), ['ch1/p1.png', 'ch1/p2.png', 'ch1/p10.png', 'ch2/p1.png', 'ch2/p10.png']);
    assert.notEqual(comicPageOrder('a.png', 'A.png'), 0, 'a total order: names differing in case only are not equal');
  });
  it('names pages so that they sort as read, jpeg as jpg', () => {
    assert.equal(comicPageName(0, 3, 'png'), '0001.png');
    assert.equal(comicPageName(11, 12, 'jpeg'), '0012.jpg');
    assert.equal(comicPageName(9, 12345, 'gif'), '00010.gif');
  });
});

describe('comic archives', () => {
  it('checks each format\'s first bytes before libarchive guesses the format', () => {
    assert.ok(hasComicSignature('cbz', Buffer.from('PK\x03\x04rest', 'latin1')));
    assert.ok(hasComicSignature('cbr', Buffer.from('Rar!\x1a\x07\x00', 'latin1')));
    assert.ok(hasComicSignature('cb7', Buffer.from('377abcaf271c0004', 'hex')));
    assert.ok(!hasComicSignature('cbz', Buffer.from('Rar!\x1a\x07\x00', 'latin1')));
    assert.ok(!hasComicSignature('cbr', Buffer.from('#mtree\n', 'latin1')));
    assert.ok(isComicFormat('cbr') && !isComicFormat('epub'));
  });
  it('reads through bsdtar as a tar stream on stdout, the archive as one argument', () => {
    assert.deepEqual(comicReadArgs('/w/-x.cbz', '/usr/bin/bsdtar'), ['-w', '/usr/bin/bsdtar', '-c', '-f', '-', '--format', 'pax', '@/w/-x.cbz']);
  });
  it('packs the listed pages (a NUL-separated list) as a stored zip or a 7z', () => {
    const cbz = comicPackArgs('cbz', '/o/c.cbz', '/w/pages', '/w/pages.list');
    assert.deepEqual(cbz.slice(0, 7), ['-c', '-f', '/o/c.cbz', '--format', 'zip', '--options', 'zip:compression=store']);
    assert.deepEqual(cbz.slice(-5), ['-C', '/w/pages', '--null', '-T', '/w/pages.list']);
    assert.deepEqual(comicPackArgs('cb7', '/o/c.cb7', '/w/p', '/w/l').slice(3, 5), ['--format', '7zip']);
  });
});

describe('readers of the further formats', () => {
  it('reads a txtz as plain text (Markdown would embed files at "../" paths) and a comic without page processing', () => {
    assert.deepEqual(buildConvertArgs('/w/b.txtz', '/o/b.epub', 'txtz', 'epub', NONE).slice(2), ['--formatting-type=plain']);
    assert.deepEqual(buildConvertArgs('/w/b.cbz', '/o/b.epub', 'cbz', 'epub', NONE).slice(2), ['--no-process']);
    assert.deepEqual(buildConvertArgs('/w/b.lit', '/o/b.epub', 'lit', 'epub', NONE).slice(2), []);
  });
});

describe('catalog', () => {
  it('lists the further formats both ways through the main ebooks, pml in only, snb out only', () => {
    for (const format of ['lit', 'pdb', 'lrf', 'rb', 'tcr', 'htmlz', 'txtz'] as const) {
      assert.equal(findConversionType(format, 'epub')?.engine, 'calibre', `${format} → epub`);
      assert.equal(findConversionType('epub', format)?.engine, 'calibre', `epub → ${format}`);
    }
    assert.equal(findConversionType('pml', 'epub')?.engine, 'calibre');
    assert.equal(findConversionType('epub', 'pml'), undefined);
    assert.equal(findConversionType('docx', 'snb')?.engine, 'calibre');
    assert.equal(findConversionType('snb', 'epub'), undefined);
    assert.equal(findConversionType('lit', 'lrf'), undefined, 'not among each other');
  });
  it('lists comics to ebooks with metadata options only, and between cbz and cb7 without options; never writes cbr', () => {
    const toEpub = findConversionType('cbr', 'epub');
    assert.equal(toEpub?.engine, 'calibre');
    assert.deepEqual(Object.keys(toEpub?.options ?? {}).sort(), ['authors', 'title']);
    assert.deepEqual(Object.keys(findConversionType('cbr', 'cb7')?.options ?? { x: 1 }), []);
    assert.equal(findConversionType('cbz', 'cbr'), undefined);
    assert.equal(findConversionType('cbz', 'cbz'), undefined);
  });
  it('declares signatures that tell the formats apart', () => {
    const head = (ascii: string, at = 0): Buffer => Buffer.concat([Buffer.alloc(at, 0x20), Buffer.from(ascii, 'latin1')]);
    const signature = (format: keyof typeof FORMATS) => {
      const s = (FORMATS[format] as { signature?: Parameters<typeof matchesSignature>[0] }).signature;
      assert.ok(s !== undefined, `${format} has a signature`);
      return s;
    };
    assert.ok(matchesSignature(signature('lit'), head('ITOLITLS\x01\x00')));
    assert.ok(matchesSignature(signature('pdb'), head('TEXtREAd', 60)));
    assert.ok(!matchesSignature(signature('pdb'), head('BOOKMOBI', 60)), 'a Mobipocket book is a mobi');
    assert.ok(matchesSignature(signature('lrf'), Buffer.from('4c00520046000000', 'hex')));
    assert.ok(matchesSignature(signature('rb'), Buffer.from('b00cb00c02004e55564f0000', 'hex')));
    assert.ok(matchesSignature(signature('tcr'), head('!!8-Bit!!')));
    assert.ok(matchesSignature(signature('snb'), head('SNBP000B')));
    assert.ok(matchesSignature(signature('pml'), head('\\x\\BChapter\\B\\x')));
    assert.ok(!matchesSignature(signature('pml'), Buffer.from([0x50, 0x00, 0x4b])));
    assert.ok(!matchesSignature(signature('lit'), head('!!8-Bit!!')));
  });
});
