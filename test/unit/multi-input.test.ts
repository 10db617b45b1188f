import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../src/core/errors.js';
import { multiInputMode, uniqueNames } from '../../src/services/multi-input.js';
import { buildCompressArgs } from '../../workers/converters/ghostscript/command.js';

describe('multiInputMode', () => {
  it('keeps combine and archive, reads convert to pdf as combine, refuses the rest', () => {
    assert.equal(multiInputMode('combine', undefined), 'combine');
    assert.equal(multiInputMode('archive', 'zip'), 'archive');
    assert.equal(multiInputMode('convert', 'PDF'), 'combine');
    for (const [mode, output] of [['convert', 'png'], ['convert', undefined], ['info', undefined], ['compress', 'pdf'], ['extract', 'zip']] as const) {
      assert.throws(() => multiInputMode(mode, output), (e: unknown) => e instanceof AppError && e.code === 'INVALID_PARAMETER' && /Several input files/.test(e.message));
    }
  });
});

describe('uniqueNames', () => {
  it('numbers repeated names before the extension, case-insensitively, keeping order', () => {
    assert.deepEqual(uniqueNames(['a.pdf', 'A.pdf', 'a.pdf', 'b', 'b', 'x.tar.gz', 'x.tar.gz']), ['a.pdf', 'A-2.pdf', 'a-3.pdf', 'b', 'b-2', 'x.tar.gz', 'x-2.tar.gz']);
  });
  it('shortens the name, not the extension, when the number would pass 255 bytes', () => {
    const long = `${'é'.repeat(125)}a.pdf`; // 255 bytes
    const [, second] = uniqueNames([long, long]);
    assert.ok(second !== undefined && second.endsWith('-2.pdf'), second);
    assert.ok(Buffer.byteLength(second ?? '') <= 255);
  });
});

describe('buildCompressArgs', () => {
  it('runs pdfwrite in SAFER mode with the preset, output and input last', () => {
    const args = buildCompressArgs('/w/in.pdf', '/w/out/in.pdf', 'screen');
    assert.ok(args.includes('-dSAFER'));
    assert.ok(args.includes('-dPDFSETTINGS=/screen'));
    assert.ok(args.includes('-sOutputFile=/w/out/in.pdf'));
    assert.equal(args.at(-1), '/w/in.pdf');
  });
  it('refuses relative paths, which could be read as options', () => {
    assert.throws(() => buildCompressArgs('-dNOSAFER', '/w/o.pdf', 'ebook'));
    assert.throws(() => buildCompressArgs('/w/in.pdf', 'out.pdf', 'ebook'));
  });
});
