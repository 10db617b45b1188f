// The entry-safety checks of mode=extract, over listings: unsafe paths and entry types, the
// entry count, size and ratio limits, and the flat unique names of the extracted files.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../src/core/errors.js';
import { byteBudget, checkEntry, checkTotals, flatName, planExtraction, RATIO_FLOOR_BYTES, type ArchiveEntry } from '../../workers/archive-reading/entries.js';

const MB = 1024 * 1024;
const limits = { maxEntries: 5, maxTotalBytes: 100 * MB, maxRatio: 100 };
const file = (name: string, size = 1): ArchiveEntry => ({ name, type: 'file', size });
/** Matches an AppError CONVERSION_FAILED whose message matches `message`. */
const refused = (message: RegExp) => (error: unknown) => error instanceof AppError && error.code === 'CONVERSION_FAILED' && message.test(error.message);

describe('checkEntry', () => {
  it('accepts files and folders with relative paths', () => {
    for (const entry of [file('a.txt'), file('dir/sub/a.txt'), file('./a.txt'), { name: 'dir/', type: 'directory', size: 0 }, file('a..b.txt'), file('...')]) {
      assert.doesNotThrow(() => checkEntry(entry), entry.name);
    }
  });
  it('refuses ".." anywhere in the path, with either separator (zip slip)', () => {
    for (const name of ['../x', 'a/../../x', 'a/..', '..\\x', 'a\\..\\..\\x', '..']) {
      assert.throws(() => checkEntry(file(name)), refused(/has "\.\." in its path.*outside the output folder/), name);
    }
  });
  it('refuses absolute paths, also Windows ones', () => {
    for (const name of ['/tmp/x', '//server/x', '\\x', 'C:\\x', 'c:x']) {
      assert.throws(() => checkEntry(file(name)), refused(/absolute path/), name);
    }
  });
  it('refuses links, devices and FIFOs, naming the entry and what it is', () => {
    assert.throws(() => checkEntry({ name: 'l', type: 'symlink', size: 0, linkname: '/etc/passwd' }), refused(/"l" is a symbolic link to "\/etc\/passwd"\. Only regular files and folders/));
    assert.throws(() => checkEntry({ name: 'h', type: 'link', size: 0, linkname: 'a.txt' }), refused(/"h" is a hard link/));
    assert.throws(() => checkEntry({ name: 'c', type: 'character-device', size: 0 }), refused(/device file/));
    assert.throws(() => checkEntry({ name: 'b', type: 'block-device', size: 0 }), refused(/device file/));
    assert.throws(() => checkEntry({ name: 'p', type: 'fifo', size: 0 }), refused(/FIFO/));
    assert.throws(() => checkEntry({ name: 'x', type: 'unknown', size: 0 }), refused(/of type unknown/));
  });
  it('refuses a file without a name', () => {
    assert.throws(() => checkEntry(file('./')), refused(/no name/));
  });
});

describe('checkTotals and byteBudget', () => {
  it('refuses more entries than ARCHIVE_MAX_ENTRIES', () => {
    assert.doesNotThrow(() => checkTotals(5, 0, 1000, limits));
    assert.throws(() => checkTotals(6, 0, 1000, limits), refused(/more than 5 entries \(limit ARCHIVE_MAX_ENTRIES = 5\)/));
  });
  it('refuses more bytes than ARCHIVE_MAX_TOTAL_MB', () => {
    assert.doesNotThrow(() => checkTotals(1, 100 * MB, 10 * MB, limits));
    assert.throws(() => checkTotals(1, 100 * MB + 1, 10 * MB, limits), refused(/more than 100 MB \(limit ARCHIVE_MAX_TOTAL_MB = 100\)/));
  });
  it('refuses expanding more than ARCHIVE_MAX_RATIO times the archive, past a small floor', () => {
    assert.deepEqual(byteBudget(10_000, limits), { bytes: RATIO_FLOOR_BYTES, by: 'ratio' }, 'small archives may expand to the floor');
    assert.deepEqual(byteBudget(100_000, limits), { bytes: 10_000_000, by: 'ratio' });
    assert.deepEqual(byteBudget(10 * MB, limits), { bytes: 100 * MB, by: 'total' });
    assert.doesNotThrow(() => checkTotals(1, RATIO_FLOOR_BYTES, 100, limits), 'a tiny archive of a 1 MB text file');
    assert.throws(() => checkTotals(1, 10_000_001, 100_000, limits), refused(/more than 100 times its own size of 100000 bytes \(limit ARCHIVE_MAX_RATIO = 100\)/));
  });
});

describe('flatName', () => {
  it('joins the path with "_" and drops "." segments and empty ones', () => {
    assert.equal(flatName('a.txt'), 'a.txt');
    assert.equal(flatName('docs/en/readme.txt'), 'docs_en_readme.txt');
    assert.equal(flatName('./docs//a.txt'), 'docs_a.txt');
    assert.equal(flatName('win\\dir\\a.txt'), 'win_dir_a.txt');
  });
  it('replaces control characters and lone surrogates', () => {
    assert.equal(flatName('a\nb\u0000.txt'), 'a_b_.txt');
    assert.equal(flatName('x\ud800y.txt'), 'x_y.txt');
  });
  it('keeps the end (and the extension) of names longer than 255 bytes', () => {
    const name = flatName(`${'d'.repeat(200)}/${'é'.repeat(100)}.txt`);
    assert.ok(Buffer.byteLength(name) <= 255);
    assert.ok(name.endsWith('é.txt'));
  });
});

describe('planExtraction', () => {
  it('names the files in archive order, skips folders, and makes names unique (case-insensitively)', () => {
    const plan = planExtraction([{ name: 'd/', type: 'directory', size: 0 }, file('d/a.txt', 3), file('d_a.txt', 4), file('D/A.TXT', 5), file('b', 6)], 1000, limits);
    assert.deepEqual(plan, [
      { index: 1, name: 'd_a.txt', size: 3 },
      { index: 2, name: 'd_a-2.txt', size: 4 },
      { index: 3, name: 'D_A-3.TXT', size: 5 },
      { index: 4, name: 'b', size: 6 },
    ]);
  });
  it('refuses the whole archive for one bad entry, and an archive without files', () => {
    assert.throws(() => planExtraction([file('ok.txt'), { name: 'l', type: 'symlink', size: 0 }], 1000, limits), refused(/symbolic link/));
    assert.throws(() => planExtraction([{ name: 'd/', type: 'directory', size: 0 }], 1000, limits), refused(/contains no files/));
    assert.throws(() => planExtraction([], 1000, limits), refused(/contains no files/));
  });
  it('checks the totals of the whole listing', () => {
    assert.throws(() => planExtraction(['a', 'b', 'c', 'd', 'e', 'f'].map((n) => file(n)), 1000, limits), refused(/ARCHIVE_MAX_ENTRIES/));
    assert.throws(() => planExtraction([file('a', 60 * MB), file('b', 60 * MB)], 50 * MB, limits), refused(/ARCHIVE_MAX_TOTAL_MB/));
  });
});
