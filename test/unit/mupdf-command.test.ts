// The pure builders of the PDF engine: page selection, mutool arguments, output names.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCleanArgs, buildImagesToPdfArgs, buildPageCountArgs, buildRenderArgs, buildRotateArgs, buildTextArgs, pageFileName, PageRangeError, selectPages } from '../../workers/converters/mupdf/command.js';

describe('selectPages', () => {
  it('selects every page without a range', () => {
    assert.deepEqual(selectPages(null, 3), [1, 2, 3]);
  });
  it('reads pages and ranges in order, without repeats', () => {
    assert.deepEqual(selectPages('3,1-2,2', 5), [3, 1, 2]);
    assert.deepEqual(selectPages('2-4', 4), [2, 3, 4]);
  });
  it('refuses pages past the end, page 0 and backwards ranges', () => {
    assert.throws(() => selectPages('2-5', 3), (e: unknown) => e instanceof PageRangeError && /page 5, but the PDF has 3 pages/.test(e.message));
    assert.throws(() => selectPages('0', 3), PageRangeError);
    assert.throws(() => selectPages('3-2', 3), PageRangeError);
    assert.throws(() => selectPages('2', 1), /has 1 page\./);
  });
});

describe('mutool arguments', () => {
  it('renders the selected pages at the density as PNG', () => {
    assert.deepEqual(buildRenderArgs('/in.pdf', '/out/page-%d.png', 144, [1, 3]), ['draw', '-q', '-r', '144', '-F', 'png', '-o', '/out/page-%d.png', '/in.pdf', '1,3']);
  });
  it('extracts text and reads the page count', () => {
    assert.deepEqual(buildTextArgs('/in.pdf', '/o.txt', [2]), ['draw', '-q', '-F', 'txt', '-o', '/o.txt', '/in.pdf', '2']);
    assert.deepEqual(buildPageCountArgs('/in.pdf'), ['show', '/in.pdf', 'trailer/Root/Pages/Count']);
  });
});

describe('pdf → pdf and images → pdf arguments', () => {
  it('passes the password to every reader', () => {
    assert.deepEqual(buildPageCountArgs('/in.pdf', 'pw'), ['show', '-p', 'pw', '/in.pdf', 'trailer/Root/Pages/Count']);
    assert.deepEqual(buildRenderArgs('/in.pdf', '/p-%d.png', 72, [1], 'pw').slice(0, 4), ['draw', '-q', '-p', 'pw']);
  });
  it('keeps pages, decrypts when opened with a password, encrypts with AES-256', () => {
    assert.deepEqual(buildCleanArgs('/a.pdf', '/b.pdf', [3, 1], null, null), ['clean', '-gg', '/a.pdf', '/b.pdf', '3,1']);
    assert.deepEqual(buildCleanArgs('/a.pdf', '/b.pdf', [1], 'old', null), ['clean', '-gg', '-p', 'old', '-D', '/a.pdf', '/b.pdf', '1']);
    assert.deepEqual(buildCleanArgs('/a.pdf', '/b.pdf', [1], null, 'new'), ['clean', '-gg', '-E', 'aes-256', '-U', 'new', '-O', 'new', '/a.pdf', '/b.pdf', '1']);
  });
  it('rotates with the script and converts images', () => {
    assert.deepEqual(buildRotateArgs('/s.mujs', '/a.pdf', '/b.pdf', '-90'), ['run', '/s.mujs', '/a.pdf', '/b.pdf', '-90']);
    assert.deepEqual(buildImagesToPdfArgs('/o.pdf', ['/a.png', '/b.jpg']), ['convert', '-o', '/o.pdf', '/a.png', '/b.jpg']);
  });
});

describe('pageFileName', () => {
  it('numbers pages only when there are several', () => {
    assert.equal(pageFileName('doc', 'png', 1, 1), 'doc.png');
    assert.equal(pageFileName('doc', 'jpg', 7, 3), 'doc-7.jpg');
  });
});
