import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiKeyParam, flag, mergeParams, toCreateParams, toStartParams } from '../../src/api/params/normalize.js';
import { AppError } from '../../src/core/errors.js';
import type { ErrorCode } from '../../src/core/errors.js';

/** Asserts that `fn` throws an AppError with `code`. */
function throwsCode(fn: () => unknown, code: ErrorCode): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  });
}

describe('mergeParams', () => {
  it('merges query and body, the body winning on conflicts', () => {
    const merged = mergeParams({ inputformat: 'png', outputformat: 'jpg' }, { outputformat: 'webp', wait: 'true' });
    assert.deepEqual({ ...merged }, { inputformat: 'png', outputformat: 'webp', wait: 'true' });
  });

  it('treats null and "" as absent, so they do not override the query', () => {
    const merged = mergeParams({ outputformat: 'jpg', filename: 'a.png' }, { outputformat: null, filename: '' });
    assert.equal(merged['outputformat'], 'jpg');
    assert.equal(merged['filename'], 'a.png');
  });

  it('drops null and "" values entirely when only one source gives them', () => {
    const merged = mergeParams({ tag: '' }, { callback: null });
    assert.equal(Object.hasOwn(merged, 'tag'), false);
    assert.equal(Object.hasOwn(merged, 'callback'), false);
  });

  it('ignores non-object sources (undefined, strings, arrays)', () => {
    assert.deepEqual({ ...mergeParams(undefined, 'outputformat=jpg') }, {});
    assert.deepEqual({ ...mergeParams(['a'], { a: 1 }) }, { a: 1 });
  });

  it('maps the legacy names format, link and options', () => {
    const merged = mergeParams({ format: 'jpg', link: 'https://example.com/a.png' }, { options: { quality: '75' } });
    assert.equal(merged['outputformat'], 'jpg');
    assert.equal(merged['file'], 'https://example.com/a.png');
    assert.deepEqual(merged['converteroptions'], { quality: '75' });
    assert.equal(Object.hasOwn(merged, 'format'), false);
    assert.equal(Object.hasOwn(merged, 'link'), false);
    assert.equal(Object.hasOwn(merged, 'options'), false);
  });

  it('prefers the current name over the legacy one when both are given', () => {
    const merged = mergeParams({ format: 'png', outputformat: 'jpg', link: 'old', file: 'new' }, {});
    assert.equal(merged['outputformat'], 'jpg');
    assert.equal(merged['file'], 'new');
    assert.equal(Object.hasOwn(merged, 'format'), false);
  });
});

describe('flag', () => {
  for (const value of [true, 'true', 'True', 'TRUE', '1', 1, 'yes', 'on']) {
    it(`reads ${JSON.stringify(value)} as true`, () => {
      assert.equal(flag({ wait: value }, 'wait'), true);
    });
  }
  for (const value of [false, 'false', 'False', '0', 0, 'no', 'off']) {
    it(`reads ${JSON.stringify(value)} as false`, () => {
      assert.equal(flag({ wait: value }, 'wait'), false);
    });
  }
  it('is false when absent, null or ""', () => {
    assert.equal(flag({}, 'wait'), false);
    assert.equal(flag({ wait: null }, 'wait'), false);
    assert.equal(flag({ wait: '' }, 'wait'), false);
  });
  it('rejects other values with INVALID_PARAMETER', () => {
    throwsCode(() => flag({ wait: 'maybe' }, 'wait'), 'INVALID_PARAMETER');
    throwsCode(() => flag({ wait: '2' }, 'wait'), 'INVALID_PARAMETER');
    throwsCode(() => flag({ wait: { a: 1 } }, 'wait'), 'INVALID_PARAMETER');
  });
  it('keeps the last value of a repeated parameter', () => {
    assert.equal(flag({ wait: ['false', 'true'] }, 'wait'), true);
    assert.equal(flag({ wait: ['true', 'false'] }, 'wait'), false);
  });
});

describe('toCreateParams', () => {
  it('reads mode and formats, mode case-insensitively', () => {
    assert.deepEqual(toCreateParams({ mode: 'Info', inputformat: 'png', outputformat: 'jpg' }), { mode: 'info', inputformat: 'png', outputformat: 'jpg' });
  });
  it('leaves absent values undefined', () => {
    assert.deepEqual(toCreateParams({}), { mode: undefined, inputformat: undefined, outputformat: undefined });
  });
  it('rejects an unknown mode with INVALID_PARAMETER', () => {
    throwsCode(() => toCreateParams({ mode: 'transmogrify' }), 'INVALID_PARAMETER');
  });
  it('keeps the last of repeated query values', () => {
    assert.equal(toCreateParams({ outputformat: ['png', 'jpg'] }).outputformat, 'jpg');
  });
  it('works on the output of mergeParams with legacy names', () => {
    assert.equal(toCreateParams(mergeParams({ format: 'webp' }, {})).outputformat, 'webp');
  });
});

describe('toStartParams: download', () => {
  it('"inline" (any case) → inline', () => {
    assert.equal(toStartParams({ download: 'inline' }).download, 'inline');
    assert.equal(toStartParams({ download: 'Inline' }).download, 'inline');
  });
  it('true → attachment', () => {
    assert.equal(toStartParams({ download: true }).download, 'attachment');
    assert.equal(toStartParams({ download: 'true' }).download, 'attachment');
    assert.equal(toStartParams({ download: '1' }).download, 'attachment');
  });
  it('false or absent → false', () => {
    assert.equal(toStartParams({ download: 'false' }).download, false);
    assert.equal(toStartParams({ download: false }).download, false);
    assert.equal(toStartParams({}).download, false);
  });
  it('an invalid value → INVALID_PARAMETER', () => {
    throwsCode(() => toStartParams({ download: 'sometimes' }), 'INVALID_PARAMETER');
  });
});

describe('toStartParams: wait and save', () => {
  it('reads both flags', () => {
    const start = toStartParams({ wait: 'yes', save: 'True' });
    assert.equal(start.wait, true);
    assert.equal(start.save, true);
  });
  it('defaults both to false', () => {
    const start = toStartParams({});
    assert.equal(start.wait, false);
    assert.equal(start.save, false);
  });
  it('rejects an invalid save', () => {
    throwsCode(() => toStartParams({ save: 'perhaps' }), 'INVALID_PARAMETER');
  });
});

describe('toStartParams: converteroptions', () => {
  it('takes an object as is', () => {
    assert.deepEqual(toStartParams({ converteroptions: { quality: '75' } }).converteroptions, { quality: '75' });
  });
  it('parses a JSON string', () => {
    assert.deepEqual(toStartParams({ converteroptions: '{"quality": 75, "resize": "800x"}' }).converteroptions, { quality: 75, resize: '800x' });
  });
  it('merges the odd qs array shape ["", {image_dpi: "600"}]', () => {
    assert.deepEqual(toStartParams({ converteroptions: ['', { image_dpi: '600' }] }).converteroptions, { image_dpi: '600' });
  });
  it('is undefined when absent, null or ""', () => {
    assert.equal(toStartParams({}).converteroptions, undefined);
    assert.equal(toStartParams({ converteroptions: null }).converteroptions, undefined);
    assert.equal(toStartParams({ converteroptions: '' }).converteroptions, undefined);
  });
  it('rejects a non-JSON string with INVALID_PARAMETER', () => {
    throwsCode(() => toStartParams({ converteroptions: 'quality=75' }), 'INVALID_PARAMETER');
  });
  it('rejects a broken JSON string with INVALID_PARAMETER', () => {
    throwsCode(() => toStartParams({ converteroptions: '{"quality": ' }), 'INVALID_PARAMETER');
  });
  it('rejects a number with INVALID_PARAMETER', () => {
    throwsCode(() => toStartParams({ converteroptions: 75 }), 'INVALID_PARAMETER');
  });
  it('accepts the legacy name options via mergeParams', () => {
    assert.deepEqual(toStartParams(mergeParams({}, { options: { quality: 50 } })).converteroptions, { quality: 50 });
  });
});

describe('toStartParams: timeout', () => {
  it('reads whole seconds', () => {
    assert.equal(toStartParams({ timeout: '120' }).timeout, 120);
    assert.equal(toStartParams({ timeout: 30 }).timeout, 30);
  });
  it('"0" means no timeout (undefined)', () => {
    assert.equal(toStartParams({ timeout: '0' }).timeout, undefined);
  });
  it('is undefined when absent', () => {
    assert.equal(toStartParams({}).timeout, undefined);
  });
  it('rejects "abc", negatives and fractions with INVALID_PARAMETER', () => {
    throwsCode(() => toStartParams({ timeout: 'abc' }), 'INVALID_PARAMETER');
    throwsCode(() => toStartParams({ timeout: '-5' }), 'INVALID_PARAMETER');
    throwsCode(() => toStartParams({ timeout: '1.5' }), 'INVALID_PARAMETER');
  });
});

describe('toStartParams: input', () => {
  it('absent input → upload', () => {
    assert.equal(toStartParams({}).input, 'upload');
  });
  it('input=url → download', () => {
    assert.equal(toStartParams({ input: 'url' }).input, 'download');
  });
  it('keeps the supported methods, case-insensitively', () => {
    assert.equal(toStartParams({ input: 'download' }).input, 'download');
    assert.equal(toStartParams({ input: 'raw' }).input, 'raw');
    assert.equal(toStartParams({ input: 'Base64' }).input, 'base64');
    assert.equal(toStartParams({ input: 'upload' }).input, 'upload');
  });
  it('input=s3 / ftp without the storage object → MISSING_PARAMETER; openstack, azure, googlecloud → NOT_SUPPORTED_YET', () => {
    throwsCode(() => toStartParams({ input: 's3', file: 'a.png' }), 'MISSING_PARAMETER');
    throwsCode(() => toStartParams({ input: 'ftp', file: 'a.png' }), 'MISSING_PARAMETER');
    throwsCode(() => toStartParams({ input: 'azure' }), 'NOT_SUPPORTED_YET');
    throwsCode(() => toStartParams({ input: { openstack: {} } }), 'NOT_SUPPORTED_YET');
  });
  it('input as an object {s3: {...}} is input=s3 (storage parsing: test/unit/params-storage.test.ts)', () => {
    const start = toStartParams({ input: { s3: { bucket: 'bucket', accesskeyid: 'k', secretaccesskey: 's' } }, file: 'a.png' });
    assert.equal(start.input, 's3');
    assert.equal(start.storageInput?.source.kind, 's3');
  });
  it('an unknown input → INVALID_PARAMETER', () => {
    throwsCode(() => toStartParams({ input: 'carrier-pigeon' }), 'INVALID_PARAMETER');
  });
});

describe('toStartParams: file, filename and tag', () => {
  it('reads file only when it is a non-empty string', () => {
    assert.equal(toStartParams({ file: 'https://example.com/a.png' }).file, 'https://example.com/a.png');
    assert.equal(toStartParams({ file: { name: 'x' } }).file, undefined);
  });
  it('reads the legacy link as file', () => {
    assert.equal(toStartParams(mergeParams({ link: 'https://example.com/b.png' }, {})).file, 'https://example.com/b.png');
  });
  it('passes filename and tag through', () => {
    const start = toStartParams({ filename: 'photo.png', tag: { customer: 7 } });
    assert.equal(start.filename, 'photo.png');
    assert.deepEqual(start.tag, { customer: 7 });
  });

  it('refuses a tag over 4 KiB as JSON, naming the parameter and the limit', () => {
    assert.throws(() => toStartParams({ tag: 'x'.repeat(4095) }), (e: unknown) => e instanceof AppError && e.code === 'INVALID_PARAMETER' && /tag.*4096 bytes/.test(e.message));
    assert.throws(() => toStartParams({ tag: { note: 'é'.repeat(2100) } }), (e: unknown) => e instanceof AppError && /tag/.test(e.message));
    assert.equal(toStartParams({ tag: 'x'.repeat(4000) }).tag, 'x'.repeat(4000));
  });

  it('refuses a tag nesting deeper than 10 levels, and keeps one of 10', () => {
    const nested = (levels: number): unknown => (levels === 0 ? 'leaf' : { a: nested(levels - 1) });
    assert.throws(() => toStartParams({ tag: nested(11) }), (e: unknown) => e instanceof AppError && e.code === 'INVALID_PARAMETER' && /tag nests deeper than 10/.test(e.message));
    assert.deepEqual(toStartParams({ tag: nested(10) }).tag, nested(10));
  });

  it('refuses converteroptions as a JSON string nesting too deep with 400, not a stack overflow', () => {
    const deep = '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000);
    throwsCode(() => toStartParams({ converteroptions: deep }), 'INVALID_PARAMETER');
  });
  it('rejects an object filename with INVALID_PARAMETER', () => {
    throwsCode(() => toStartParams({ filename: { a: 1 } }), 'INVALID_PARAMETER');
  });
});

describe('toStartParams: files', () => {
  it('is undefined for a single-file request', () => {
    assert.equal(toStartParams({ input: 'download', file: 'https://example.com/a.png', outputformat: 'jpg' }).files, undefined);
  });
  it('reads URL strings (files[]=), {file, filename} objects, bracket indexes and the object array under file', () => {
    assert.deepEqual(toStartParams({ files: ['https://e.com/a.pdf', 'https://e.com/b.pdf'] }).files, [
      { file: 'https://e.com/a.pdf', filename: undefined },
      { file: 'https://e.com/b.pdf', filename: undefined },
    ]);
    assert.deepEqual(toStartParams({ input: 'download', files: [{ file: 'https://e.com/1', filename: 'one.pdf' }] }).files, [{ file: 'https://e.com/1', filename: 'one.pdf' }]);
    assert.deepEqual(toStartParams({ files: { 0: { file: 'u0' }, 1: { file: 'u1', filename: 'b.png' } } }).files, [
      { file: 'u0', filename: undefined },
      { file: 'u1', filename: 'b.png' },
    ]);
    assert.deepEqual(toStartParams({ file: [{ file: 'u0', filename: 'a.pdf' }] }).files, [{ file: 'u0', filename: 'a.pdf' }]);
  });
  it('refuses an empty list, an entry without file, and a non-string filename', () => {
    throwsCode(() => toStartParams({ files: [''] }), 'INVALID_PARAMETER');
    throwsCode(() => toStartParams({ files: [{ filename: 'a.pdf' }] }), 'INVALID_PARAMETER');
    throwsCode(() => toStartParams({ files: [{ file: 'u', filename: { x: 1 } }] }), 'INVALID_PARAMETER');
    throwsCode(() => toStartParams({ files: [42] }), 'INVALID_PARAMETER');
  });
  it('gives each entry its storage place with input=s3', () => {
    const files = toStartParams({ files: ['in/a.pdf', 'in/b.pdf'], input: { s3: { bucket: 'my-bucket', accesskeyid: 'k', secretaccesskey: 's' } } }).files;
    assert.equal(files?.length, 2);
    assert.equal(files?.[1]?.storage?.source.kind, 's3');
    assert.equal(files?.[1]?.storage?.source.kind === 's3' ? files[1].storage.source.key : '', 'in/b.pdf');
  });
  it('reads email=true as the key\'s address, an address as itself, email=false as absent', () => {
    assert.equal(toStartParams({ email: 'true' }).email, true);
    assert.equal(toStartParams({ email: 'a@b.example' }).email, 'a@b.example');
    assert.equal(toStartParams({ email: 'false' }).email, undefined);
    assert.equal(toStartParams({ email: false }).email, undefined);
  });
  it('reads callback and preset, "" as absent', () => {
    assert.equal(toStartParams({ callback: 'https://example.com/cb' }).callback, 'https://example.com/cb');
    assert.equal(toStartParams({ callback: '' }).callback, undefined);
    assert.equal(toStartParams({ preset: 'p1' }).preset, 'p1');
  });
});

describe('toStartParams: repeated values', () => {
  it('keeps the last value of repeated query parameters', () => {
    const start = toStartParams({ outputformat: ['png', 'jpg'], filename: ['a.png', 'b.png'], timeout: ['10', '20'] });
    assert.equal(start.outputformat, 'jpg');
    assert.equal(start.filename, 'b.png');
    assert.equal(start.timeout, 20);
  });
  it('skips empty trailing values of a repeated parameter', () => {
    assert.equal(toStartParams({ outputformat: ['jpg', ''] }).outputformat, 'jpg');
  });
});

describe('apiKeyParam', () => {
  it('reads apikey', () => {
    assert.equal(apiKeyParam({ apikey: 'k1' }), 'k1');
  });
  it('reads apiKey', () => {
    assert.equal(apiKeyParam({ apiKey: 'k2' }), 'k2');
  });
  it('prefers apikey over apiKey', () => {
    assert.equal(apiKeyParam({ apikey: 'lower', apiKey: 'camel' }), 'lower');
  });
  it('falls back to apiKey when apikey is ""', () => {
    assert.equal(apiKeyParam(mergeParams({ apikey: '' }, { apiKey: 'camel' })), 'camel');
  });
  it('is undefined when neither is given', () => {
    assert.equal(apiKeyParam({}), undefined);
  });
  it('keeps the last of repeated apikey values', () => {
    assert.equal(apiKeyParam({ apikey: ['first', 'second'] }), 'second');
  });
});
