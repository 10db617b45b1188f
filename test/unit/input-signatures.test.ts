// The central signature check (workers/pipeline/input-signatures.ts): each format's declared
// signature accepts the files the format part of the matrix makes and refuses another format's.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FORMATS, type Format } from '../../src/core/catalog/index.js';
import { signatureOf } from '../../src/core/catalog/formats.js';
import { matchesSignature } from '../../src/core/file-signatures.js';
import { unlikeFormatMessage } from '../../workers/pipeline/input-signatures.js';

const bytes = (text: string, at = 0): Buffer => Buffer.concat([Buffer.alloc(at), Buffer.from(text, 'latin1')]);

describe('format signatures', () => {
  it('accepts the start of a real file of the format and refuses another format', () => {
    const cases: Array<[Format, Buffer, Buffer]> = [
      ['mp4', bytes('\0\0\0\x20ftypisom'), bytes('RIFF\0\0\0\0AVI LIST')],
      ['mkv', Buffer.from('1a45dfa39f4286', 'hex'), bytes('OggS')],
      ['docx', bytes('PK\x03\x04\x14\0'), Buffer.from('d0cf11e0a1b11ae1', 'hex')],
      ['doc', Buffer.from('d0cf11e0a1b11ae1', 'hex'), bytes('PK\x03\x04')],
      ['wav', bytes('RIFF\0\0\0\0WAVEfmt '), bytes('RIFF\0\0\0\0AVI ')],
      ['mobi', bytes('BOOKMOBI', 60), bytes('%PDF-1.4')],
      ['eps', bytes('%!PS-Adobe-3.0 EPSF-3.0'), bytes('<svg')],
      ['pict', bytes('\0\x11\x02\xff\x0c\0', 522), bytes('\0\0\0\0', 522)],
      ['xwd', Buffer.from('000000650000000700000002', 'hex'), Buffer.from('000000650000000500000002', 'hex')],
      ['pam', bytes('P7\nWIDTH 64\n'), bytes('P6\n64 48\n')],
      ['mng', Buffer.from('8a4d4e470d0a1a0a', 'hex'), Buffer.from('89504e470d0a1a0a', 'hex')],
    ];
    for (const [format, good, bad] of cases) {
      const signature = signatureOf(format);
      assert.ok(signature !== undefined, `${format} has a signature`);
      assert.equal(matchesSignature(signature, good), true, `${format} accepts its own start`);
      assert.equal(matchesSignature(signature, bad), false, `${format} refuses another format's start`);
    }
  });

  it('takes text without NUL bytes, and UTF-16 text with its byte order mark, for text formats', () => {
    const csv = signatureOf('csv');
    assert.ok(csv !== undefined);
    assert.equal(matchesSignature(csv, bytes('a,b\n1,2\n')), true);
    assert.equal(matchesSignature(csv, Buffer.from('fffe61002c006200', 'hex')), true);
    assert.equal(matchesSignature(csv, Buffer.from('89504e470d0a1a0a0000', 'hex')), false);
  });

  it('names the file, the format and the fix in its message', () => {
    assert.match(unlikeFormatMessage('mp4', 'clip.mp4'), /"clip\.mp4" is not a mp4 file .* inputformat/);
    assert.match(unlikeFormatMessage('csv', 'table.csv'), /is not a csv text file \(it holds binary data\)/);
  });

  it('declares a signature for every binary format but the ones an engine checks itself', () => {
    // PDF and the four images mutool opens are checked by their engines (file-signatures.ts: the
    // PDF rule needs more than a magic); tar has no common start (old tars lack "ustar"), and the
    // archive engine's tar parser checks every header; website is a URL, not a file.
    const checkedByEngines = new Set(['pdf', 'png', 'jpg', 'gif', 'tiff', 'tar', 'website']);
    const unsigned = (Object.keys(FORMATS) as Format[]).filter((f) => signatureOf(f) === undefined && !checkedByEngines.has(f));
    assert.deepEqual(unsigned, []);
  });
});
