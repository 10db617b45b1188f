import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mimeForFilename, normalizeFormat } from '../../src/core/catalog/formats.js';

describe('normalizeFormat', () => {
  it('resolves aliases and ignores case and a leading dot', () => {
    assert.equal(normalizeFormat('JPEG'), 'jpg');
    assert.equal(normalizeFormat('.tif'), 'tiff');
  });
  it('does not mistake inherited object properties for formats', () => {
    for (const name of ['constructor', '__proto__', 'hasOwnProperty', 'valueOf']) assert.equal(normalizeFormat(name), undefined, name);
    assert.equal(mimeForFilename('a.constructor'), 'application/octet-stream');
  });
});
