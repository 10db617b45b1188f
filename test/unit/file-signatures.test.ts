// How a file must start before mutool or Ghostscript opens it as its declared format.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startsLike, startsLikePdf } from '../../src/core/file-signatures.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('startsLikePdf', () => {
  it('takes a PDF header at the start or after some garbage within the first 1024 bytes', () => {
    assert.equal(startsLikePdf(bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj')), true);
    assert.equal(startsLikePdf(bytes(`\ufeffjunk\r\n${'x'.repeat(900)}%PDF-1.4\n`)), true);
  });
  it('refuses what Ghostscript would run as PostScript although a PDF header follows', () => {
    // gs 10: a file starting with %! or %% (after blanks), or with %!PS before %PDF-, is PostScript.
    assert.equal(startsLikePdf(bytes('%!PS\n(pwned) print\n%PDF-1.4\n')), false);
    assert.equal(startsLikePdf(bytes('  %%BoundingBox: 0 0 1 1\n%PDF-1.4\n')), false);
    assert.equal(startsLikePdf(bytes('junk %!PS %PDF-1.4\n')), false);
    assert.equal(startsLikePdf(bytes('\x1b%-12345X@PJL ENTER LANGUAGE=POSTSCRIPT\n%PDF-1.4\n')), false);
  });
  it('refuses HTML, a header past the first 1024 bytes, and an empty file', () => {
    assert.equal(startsLikePdf(bytes('<html><body><img src="../../dev/zero"></body></html>')), false);
    assert.equal(startsLikePdf(bytes(`${' '.repeat(1020)}%PDF-1.4`)), false);
    assert.equal(startsLikePdf(Buffer.alloc(0)), false);
  });
});

describe('startsLike images', () => {
  it('knows PNG, JPEG, GIF and TIFF by their signatures', () => {
    assert.equal(startsLike('png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0])), true);
    assert.equal(startsLike('jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0])), true);
    assert.equal(startsLike('gif', bytes('GIF89a\x01\x00')), true);
    assert.equal(startsLike('tiff', bytes('II*\x00\x08\x00')), true);
    assert.equal(startsLike('tiff', bytes('MM\x00*\x00\x00')), true);
  });
  it('refuses another format under the name', () => {
    assert.equal(startsLike('png', bytes('GIF89a')), false);
    assert.equal(startsLike('jpg', bytes('<html>')), false);
    assert.equal(startsLike('gif', bytes('GIF90a')), false);
    assert.equal(startsLike('tiff', bytes('%PDF-1.4')), false);
  });
});
