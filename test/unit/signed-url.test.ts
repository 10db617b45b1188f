// Signed URLs checked against the real Node SDK's signer (wire spec 13): the raw URL is what is
// signed, both base64 alphabets and padding decode, and a changed byte fails the check.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import CloudConvert from 'cloudconvert-v3';
import { decodeJob, parseSignedRequest, signatureMatches, SignedUrlError } from '../../src/core/v2/signed-url.js';

const SECRET = 'a-signing-secret-of-some-length';
const BASE = 'http://host:8080';
/** A job whose JSON's base64 holds several "+" and "/" (bytes 0xfb 0xff in the text). */
const JOB = { tasks: { in: { operation: 'import/raw' as const, file: '\u00fb\u00ff>>>???~~~\u00fb\u00ff', filename: 'a.txt' } } };
const sign = (url: string): string => `${url}&s=${createHmac('sha256', SECRET).update(url).digest('hex')}`;
const target = (url: string): string => url.slice(BASE.length);

describe('signed URLs', () => {
  it('verifies the Node SDK URL, whose later "+" and "/" stay raw, and decodes its job', () => {
    const url = new CloudConvert('key', true).signedUrls.sign(`${BASE}/v2/signed-urls/abc`, SECRET, JOB, 'k-1');
    const b64 = Buffer.from(JSON.stringify(JOB)).toString('base64');
    assert.ok((b64.match(/[+/]/g) ?? []).length > 2, 'the fixture has several + or /');
    const request = parseSignedRequest(BASE, target(url));
    assert.equal(request.cacheKey, 'k-1');
    assert.ok(signatureMatches(SECRET, request));
    assert.deepEqual(decodeJob(request.job), JOB);
  });

  it('verifies Python-style padded base64url', () => {
    const padded = Buffer.from(JSON.stringify({ tasks: {} }) + ' ').toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
    assert.ok(padded.endsWith('='), 'the fixture is padded');
    const request = parseSignedRequest(BASE, target(sign(`${BASE}/v2/signed-urls/abc?job=${padded}`)));
    assert.ok(signatureMatches(SECRET, request));
    assert.deepEqual(decodeJob(request.job), { tasks: {} });
  });

  it('fails the check for a changed signature, job, host or secret', () => {
    const url = sign(`${BASE}/v2/signed-urls/abc?job=e30`);
    const good = parseSignedRequest(BASE, target(url));
    assert.ok(signatureMatches(SECRET, good));
    assert.equal(signatureMatches('another-secret-xxxxxx', good), false);
    assert.equal(signatureMatches(SECRET, parseSignedRequest('http://other:8080', target(url))), false);
    assert.equal(signatureMatches(SECRET, parseSignedRequest(BASE, target(url).replace('job=e30', 'job=e31'))), false);
    const last = url.at(-1) === '0' ? '1' : '0';
    assert.equal(signatureMatches(SECRET, parseSignedRequest(BASE, target(url.slice(0, -1) + last))), false);
  });

  it('refuses URLs without a signature or job, and jobs that are not base64 JSON objects', () => {
    assert.throws(() => parseSignedRequest(BASE, '/v2/signed-urls/abc?job=e30'), SignedUrlError);
    assert.throws(() => parseSignedRequest(BASE, '/v2/signed-urls/abc?job=e30&s=xyz'), /64 hexadecimal/);
    assert.throws(() => parseSignedRequest(BASE, `/v2/signed-urls/abc?cache_key=1&s=${'0'.repeat(64)}`), /no job/);
    assert.throws(() => decodeJob('not*base64'), /not base64/);
    assert.throws(() => decodeJob(Buffer.from('nope').toString('base64')), /does not decode to JSON/);
    assert.throws(() => decodeJob(Buffer.from('[1]').toString('base64')), /JSON object/);
  });
});

describe('SIGNED_URLS', () => {
  it('reads bases and refuses bad ones without showing the secret', async () => {
    const { parseSignedUrls } = await import('../../src/config/signed-urls.js');
    assert.deepEqual(parseSignedUrls('[{"id":"a-1","secret":"0123456789abcdef","api_key":"key-aaaaaaaa"}]', 'SIGNED_URLS'), [{ id: 'a-1', secret: '0123456789abcdef', apiKey: 'key-aaaaaaaa' }]);
    assert.deepEqual(parseSignedUrls(undefined, 'SIGNED_URLS'), []);
    assert.throws(() => parseSignedUrls('{', 'SIGNED_URLS'), /not valid JSON/);
    assert.throws(() => parseSignedUrls('[{"id":"a/b","secret":"0123456789abcdef","api_key":"k"}]', 'SIGNED_URLS'), /"id" must match/);
    assert.throws(() => parseSignedUrls('[{"id":"a","secret":"short-secret","api_key":"k"}]', 'SIGNED_URLS'), (e: unknown) => e instanceof Error && /at least 16/.test(e.message) && !e.message.includes('short-secret'));
    assert.throws(() => parseSignedUrls('[{"id":"a","secret":"0123456789abcdef","api_key":"k"},{"id":"a","secret":"0123456789abcdef","api_key":"k"}]', 'SIGNED_URLS'), /one id twice/);
  });
});
