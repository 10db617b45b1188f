// Signed URLs (wire spec 13): `<base>?job=<base64url JSON>[&cache_key=<key>]&s=<hex HMAC-SHA256>`.
// The signature covers the raw URL as the client built it (public base + path + raw query up to
// `&s=`), so nothing is form-decoded before the check: the Node SDK leaves every `+` and `/` but
// the first raw, Python keeps `=` padding, the others send plain unpadded base64url. Pure.
import { createHmac, timingSafeEqual } from 'node:crypto';

export class SignedUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignedUrlError';
  }
}

export interface SignedRequest {
  /** What the signature covers: `<public base><path>?<query before &s=>`. */
  readonly signed: string;
  /** The `s` parameter: lower-case hex. */
  readonly signature: string;
  /** `job` exactly as it arrived. */
  readonly job: string;
  /** `cache_key` exactly as it arrived, if any. */
  readonly cacheKey?: string;
}

const MAX_CACHE_KEY = 200;
const SIGNATURE = /^[0-9a-fA-F]{64}$/;

/** Splits the raw request target (`/v2/signed-urls/<id>?...`) into what is signed and its parts. */
export function parseSignedRequest(publicBase: string, rawTarget: string): SignedRequest {
  const at = rawTarget.lastIndexOf('&s=');
  const question = rawTarget.indexOf('?');
  if (question < 0 || at < question) throw new SignedUrlError('The signed URL has no signature: it must end with &s=<hex HMAC-SHA256>. Build it with the SDK\'s signedUrls.sign().');
  const signature = rawTarget.slice(at + 3);
  if (!SIGNATURE.test(signature)) throw new SignedUrlError('The signature (s) must be 64 hexadecimal digits, the HMAC-SHA256 of the URL before &s=.');
  const params = new Map<string, string>();
  for (const pair of rawTarget.slice(question + 1, at).split('&')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && !params.has(pair.slice(0, eq))) params.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  const job = params.get('job');
  if (job === undefined || job === '') throw new SignedUrlError('The signed URL has no job parameter: job=<base64url of the job\'s JSON> must come first.');
  const cacheKey = params.get('cache_key');
  if (cacheKey !== undefined && (cacheKey === '' || cacheKey.length > MAX_CACHE_KEY)) throw new SignedUrlError(`cache_key must be 1 to ${MAX_CACHE_KEY} characters.`);
  return { signed: `${publicBase}${rawTarget.slice(0, at)}`, signature: signature.toLowerCase(), job, ...(cacheKey === undefined ? {} : { cacheKey }) };
}

/** Whether `signature` is the HMAC-SHA256 of `signed` under `secret`, compared in constant time. */
export function signatureMatches(secret: string, request: Pick<SignedRequest, 'signed' | 'signature'>): boolean {
  const expected = createHmac('sha256', secret).update(Buffer.from(request.signed, 'utf8')).digest();
  const given = Buffer.from(request.signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The job's JSON from base64 in either alphabet (or a mix), padded or not, percent-encoded or not. */
export function decodeJob(raw: string): Record<string, unknown> {
  let text = raw;
  try {
    if (text.includes('%')) text = decodeURIComponent(text);
  } catch {
    throw new SignedUrlError('The job parameter holds a broken %-escape. Send base64url of the job\'s JSON.');
  }
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]+$/.test(base64) || base64.length % 4 === 1) throw new SignedUrlError('The job parameter is not base64 or base64url. Send base64url of the job\'s JSON.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  } catch {
    throw new SignedUrlError('The job parameter does not decode to JSON. Send base64url of the job\'s JSON, e.g. {"tasks": {...}}.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SignedUrlError('The job parameter must decode to a JSON object with "tasks".');
  return parsed as Record<string, unknown>;
}
