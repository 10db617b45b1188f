// A service account's access token: a JWT signed (RS256) with its private key, exchanged at the
// token URI (the JWT-bearer grant of RFC 7523). Done here rather than by google-auth-library so
// the token URI can be an on-prem or test endpoint and the request goes through the address guard.
import { createPrivateKey, createSign, type KeyObject } from 'node:crypto';
import type { RemoteSettings } from '../remote/settings.js';
import { cloudRequest, readText } from './http.js';
import { CloudStoreError, reasonOfStatus, type CloudSecretOf } from './types.js';

export const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';
const SCOPE = 'https://www.googleapis.com/auth/devstorage.read_write';

const base64url = (value: Buffer | string): string => Buffer.from(value).toString('base64url');

function privateKey(pem: string): KeyObject {
  try {
    // Key files carry "\n" escaped when pasted into JSON strings twice.
    return createPrivateKey(pem.includes('\\n') ? pem.replace(/\\n/g, '\n') : pem);
  } catch {
    throw new CloudStoreError('credentials', 'private_key is not a PEM private key (copy it from the service account key file, BEGIN/END lines included)');
  }
}

/** The signed assertion for `tokenUri`, valid for an hour. */
export function serviceAccountJwt(secret: CloudSecretOf<'gcs'>, tokenUri: string, nowSeconds = Math.floor(Date.now() / 1000)): string {
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const claims = base64url(JSON.stringify({ iss: secret.clientEmail, scope: SCOPE, aud: tokenUri, iat: nowSeconds, exp: nowSeconds + 3600 }));
  const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(privateKey(secret.privateKey));
  return `${header}.${claims}.${base64url(signature)}`;
}

/** Exchanges the JWT for an access token; a refusal is a credentials failure. */
export async function fetchAccessToken(secret: CloudSecretOf<'gcs'>, tokenUri: string, settings: RemoteSettings, signal: AbortSignal): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: serviceAccountJwt(secret, tokenUri) }).toString();
  const answer = await cloudRequest(new URL(tokenUri), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(form), signal }, settings);
  const text = await readText(answer, 256 * 1024);
  const status = answer.statusCode ?? 0;
  let body: { access_token?: unknown; error?: unknown; error_description?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // reported below with the status
  }
  if (status >= 200 && status < 300 && typeof body.access_token === 'string') return body.access_token;
  const why = [body.error, body.error_description].filter((v) => typeof v === 'string').join(': ').slice(0, 200);
  throw new CloudStoreError(status === 400 || status === 401 || status === 403 ? 'credentials' : reasonOfStatus(status), `the token endpoint answered HTTP ${status}${why === '' ? '' : ` (${why})`}`);
}
