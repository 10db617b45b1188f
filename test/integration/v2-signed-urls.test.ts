// Signed URLs (wire spec 13) against the real server, with URLs built by the official Node SDKs'
// signedUrls.sign (3.0.0 and 2.3.7): a redirect to the converted file, cache_key reuse (one job),
// tampering refused with 403, a failing job answered with 422, and the encodings of other SDKs
// (the Node SDK's raw later "+" and "/", Python's padded base64url) verified.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import CloudConvert3 from 'cloudconvert-v3';
import CloudConvert2 from 'cloudconvert-v2';
import sharp from 'sharp';
import { pngOf } from '../helpers/fixtures.js';
import { auth, json } from '../helpers/http.js';
import { OTHER_KEY, startTestServer, type TestServer } from '../helpers/server.js';

type Obj = Record<string, unknown>;
const SECRET = 'signing-secret-of-the-demo-base';
const sign3 = (base: string, job: Obj, cacheKey?: string): string => new CloudConvert3('unused', true).signedUrls.sign(base, SECRET, job as never, cacheKey ?? null);
const sign2 = (base: string, job: Obj, cacheKey?: string): string => new CloudConvert2('unused', true).signedUrls.sign(base, SECRET, job as never, cacheKey ?? null);
const hmac = (url: string): string => `${url}&s=${createHmac('sha256', SECRET).update(url).digest('hex')}`;

describe('v2 signed URLs', () => {
  let server: TestServer;
  let base: string;
  let png: string;
  before(async () => {
    server = await startTestServer({ env: { SIGNED_URLS: JSON.stringify([{ id: 'demo', secret: SECRET, api_key: OTHER_KEY }]), SIGNED_URL_TIMEOUT_SECONDS: '240' } });
    base = `${server.baseUrl}/v2/signed-urls/demo`;
    png = (await pngOf(40, 30)).toString('base64');
  });
  after(async () => server.stop());

  const convertJob = (): Obj => ({ tasks: {
    in: { operation: 'import/base64', file: png, filename: 'in.png' },
    jpg: { operation: 'convert', input: 'in', output_format: 'jpg' },
    out: { operation: 'export/url', input: 'jpg' },
  } });
  const jobCount = async (): Promise<number> => ((await json(`${server.baseUrl}/v2/jobs?per_page=1000`, { headers: auth(OTHER_KEY) })).body['data'] as unknown[]).length;
  /** The redirect's target, fetched; fails unless the answer is a 302. */
  const follow = async (url: string): Promise<Buffer> => {
    const answer = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(300_000) });
    assert.equal(answer.status, 302, await answer.text());
    const file = await fetch(String(answer.headers.get('location')));
    assert.equal(file.status, 200);
    return Buffer.from(await file.arrayBuffer());
  };
  const refused = async (url: string, status: number, message: RegExp): Promise<void> => {
    const answer = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(300_000) });
    assert.equal(answer.status, status);
    assert.match(String(answer.headers.get('content-type')), /application\/json/);
    const body = (await answer.json()) as Obj;
    assert.match(String(body['message']), message);
    assert.equal(body['error'], body['message']);
    assert.equal(JSON.stringify(body).includes(SECRET), false, 'no secret in the answer');
  };

  it('redirects to the converted file of a URL signed by SDK 3, as the base\'s API key', async () => {
    const before = await jobCount();
    const meta = await sharp(await follow(sign3(base, convertJob()))).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 40, 30]);
    assert.equal(await jobCount(), before + 1, 'the job belongs to the base\'s key');
  });

  it('reuses the result of the same cache_key instead of running a second job (SDK 2)', async () => {
    const url = sign2(base, convertJob(), 'thumb-42');
    const first = await follow(url);
    const count = await jobCount();
    const second = await follow(url);
    assert.deepEqual(second, first);
    assert.equal(await jobCount(), count, 'no second job');
    await follow(sign2(base, convertJob(), 'thumb-43'));
    assert.equal(await jobCount(), count + 1, 'another cache_key runs its own job');
  });

  it('verifies the Node SDK\'s raw later "+" and "/" and Python\'s padded base64url', async () => {
    const text = '\u00fb\u00ff>>>???~~~\u00fb\u00ff>>';
    const job = { tasks: { in: { operation: 'import/raw', file: text, filename: 'odd.txt' }, out: { operation: 'export/url', input: 'in' } } };
    const node = sign3(base, job);
    assert.ok((node.split('&s=')[0]?.match(/[+/]/g) ?? []).length >= 1, 'the SDK left a raw + or / in the URL');
    assert.equal((await follow(node)).toString('utf8'), text);
    let json64 = JSON.stringify(job);
    while (Buffer.from(json64).length % 3 === 0) json64 += ' ';
    const padded = Buffer.from(json64).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
    assert.match(padded, /=$/);
    assert.equal((await follow(hmac(`${base}?job=${padded}&cache_key=py`))).toString('utf8'), text);
  });

  it('answers 403 for a tampered signature, a tampered job, an unknown base and a job that is not base64 JSON', async () => {
    const url = sign3(base, convertJob());
    const [signed, signature] = url.split('&s=') as [string, string];
    await refused(`${signed}&s=${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`, 403, /signature \(s\) does not match/);
    const tamperedJob = signed.replace(/job=(.)/, (_, c: string) => `job=${c === 'e' ? 'f' : 'e'}`);
    await refused(`${tamperedJob}&s=${signature}`, 403, /signature \(s\) does not match/);
    await refused(url.replace('/signed-urls/demo?', '/signed-urls/nobody?'), 403, /No signed URL base nobody/);
    await refused(hmac(`${base}?job=***`), 403, /not base64/);
    await refused(hmac(`${base}?job=${Buffer.from('not json').toString('base64url')}`), 403, /does not decode to JSON/);
    await refused(`${base}?job=e30`, 403, /no signature/);
  });

  it('answers 422 with the task\'s message when the job fails', async () => {
    const job = { tasks: {
      in: { operation: 'import/raw', file: 'this is no image', filename: 'fake.png' },
      jpg: { operation: 'convert', input: 'in', output_format: 'jpg' },
      out: { operation: 'export/url', input: 'jpg' },
    } };
    await refused(sign3(base, job), 422, /Task jpg failed: Could not convert/);
    await refused(sign3(base, { tasks: { in: { operation: 'import/raw', file: 'x', filename: 'a.txt' } } }), 422, /no export\/url file/);
  });

  it('checks the job like POST /v2/jobs (422 naming the field)', async () => {
    await refused(sign3(base, { tasks: { bad: { operation: 'convert', input: 'missing', output_format: 'jpg' } } }), 422, /missing/);
  });
});
