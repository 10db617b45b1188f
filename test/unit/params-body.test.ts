import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseQueryString, sniffBody } from '../../src/api/params/body.js';
import { AppError } from '../../src/core/errors.js';

describe('parseQueryString', () => {
  it('parses plain pairs', () => {
    assert.deepEqual(parseQueryString('inputformat=png&outputformat=jpg'), { inputformat: 'png', outputformat: 'jpg' });
  });
  it('parses PHP brackets into nested objects', () => {
    assert.deepEqual(parseQueryString('converteroptions[quality]=75&converteroptions[resize]=800x600'), {
      converteroptions: { quality: '75', resize: '800x600' },
    });
  });
  it('parses files[]=a&files[]=b into an array', () => {
    assert.deepEqual(parseQueryString('files[]=a&files[]=b'), { files: ['a', 'b'] });
  });
  it('parses input[s3][bucket]=x two levels deep', () => {
    assert.deepEqual(parseQueryString('input[s3][bucket]=x&input[s3][region]=eu'), { input: { s3: { bucket: 'x', region: 'eu' } } });
  });
  it('decodes percent-encoding and + as space', () => {
    assert.deepEqual(parseQueryString('filename=my+photo%20%C3%A9.png'), { filename: 'my photo é.png' });
  });
  it('keeps repeated plain names as an array', () => {
    assert.deepEqual(parseQueryString('outputformat=png&outputformat=jpg'), { outputformat: ['png', 'jpg'] });
  });
  it('parses the bare-name-then-bracket shape to ["", {...}]', () => {
    assert.deepEqual(parseQueryString('converteroptions&converteroptions[image_dpi]=600'), { converteroptions: ['', { image_dpi: '600' }] });
  });
  it('does not write to the object prototype', () => {
    const parsed = parseQueryString('__proto__[polluted]=yes&a=1');
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.equal(parsed['a'], '1');
  });
  it('gives {} for an empty string', () => {
    assert.deepEqual(parseQueryString(''), {});
  });
});

describe('sniffBody', () => {
  it('gives {} for an empty or blank body', () => {
    assert.deepEqual(sniffBody(''), {});
    assert.deepEqual(sniffBody('  \n '), {});
  });
  it('parses a JSON object', () => {
    assert.deepEqual(sniffBody('{"inputformat":"png","converteroptions":{"quality":75}}'), { inputformat: 'png', converteroptions: { quality: 75 } });
  });
  it('parses JSON with surrounding whitespace', () => {
    assert.deepEqual(sniffBody('\n  {"wait": true}  \n'), { wait: true });
  });
  it('parses a JSON array as an array', () => {
    assert.deepEqual(sniffBody('[1, 2]'), [1, 2]);
  });
  it('parses a form body with PHP brackets', () => {
    assert.deepEqual(sniffBody('outputformat=jpg&converteroptions[quality]=75'), { outputformat: 'jpg', converteroptions: { quality: '75' } });
  });
  it('rejects invalid JSON with INVALID_PARAMETER', () => {
    for (const body of ['{"inputformat": ', '{inputformat: "png"}', '[1, 2']) {
      assert.throws(
        () => sniffBody(body),
        (error: unknown) => error instanceof AppError && error.code === 'INVALID_PARAMETER',
        `body ${body}`,
      );
    }
  });
  it('refuses a JSON body nesting deeper than 32 levels with INVALID_PARAMETER, and accepts 32', () => {
    const nested = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
    for (const body of [nested(33), nested(100_000), '['.repeat(50_000) + ']'.repeat(50_000)]) {
      assert.throws(
        () => sniffBody(body),
        (error: unknown) => error instanceof AppError && error.code === 'INVALID_PARAMETER' && /deeper than 32 levels/.test(error.message),
        body.slice(0, 20),
      );
    }
    assert.doesNotThrow(() => sniffBody(nested(32)));
  });
});
