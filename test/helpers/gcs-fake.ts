// A local fake of Google Cloud Storage for contract tests: the OAuth token endpoint (JWT-bearer
// grant, the JWT's RS256 signature verified with the public key of a key pair made here), the
// JSON API (object metadata, alt=media download, delete, listing by prefix in pages of at most
// LIST_PAGE items with nextPageToken, as GCS may answer fewer than maxResults) and the multipart
// upload API, all refusing requests without the token it issued. Objects live in memory (test files are small).
import { createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bodyOf, listenOnLoopback } from './loopback-http.js';

export const GCS_CLIENT_EMAIL = 'converter@test-project.iam.gserviceaccount.com';
export const GCS_PROJECT = 'test-project';
/** The fake's largest listing page: small, so a client that ignores nextPageToken misses objects. */
export const GCS_LIST_PAGE = 2;

export interface GcsFake {
  /** The API base to give as endpoint (http://127.0.0.1:PORT). */
  readonly endpoint: string;
  /** The token URI to give as token_uri. */
  readonly tokenUri: string;
  /** The service account's private key (PEM, PKCS#8), whose public half the fake checks. */
  readonly privateKey: string;
  /** Every request: method and path with query. */
  readonly requests: string[];
  put(bucket: string, name: string, body: Buffer | string): void;
  get(bucket: string, name: string): Buffer | undefined;
  stop(): Promise<void>;
}

const jsonAnswer = (res: ServerResponse, status: number, body: unknown) => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const apiError = (res: ServerResponse, status: number, message: string) => jsonAnswer(res, status, { error: { code: status, message, errors: [{ message, reason: status === 401 ? 'authError' : 'notFound' }] } });

/** The media part of a multipart/related upload (metadata JSON first, then the bytes). */
function mediaOf(body: Buffer, contentType: string): { metadata: Record<string, unknown>; media: Buffer } | undefined {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (boundary === undefined) return undefined;
  const parts: Buffer[] = [];
  const marker = Buffer.from(`--${boundary}`);
  let at = body.indexOf(marker);
  while (at !== -1) {
    const next = body.indexOf(marker, at + marker.length);
    if (next === -1) break;
    const part = body.subarray(at + marker.length, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    parts.push(part.subarray(headerEnd + 4, part.length - 2));
    at = next;
  }
  const [meta, media] = parts;
  if (meta === undefined || media === undefined) return undefined;
  return { metadata: JSON.parse(meta.toString('utf8')) as Record<string, unknown>, media };
}

export async function startGcsFake(buckets: readonly string[]): Promise<GcsFake> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const token = `ya29.${randomBytes(16).toString('hex')}`;
  const objects = new Map<string, Buffer>();
  const requests: string[] = [];
  let base = '';
  const issue = async (req: IncomingMessage, res: ServerResponse) => {
    const form = new URLSearchParams((await bodyOf(req)).toString('utf8'));
    const [header = '', claims = '', signature = ''] = (form.get('assertion') ?? '').split('.');
    const verified = createVerify('RSA-SHA256').update(`${header}.${claims}`).verify(publicKey, Buffer.from(signature, 'base64url'));
    const body = verified ? (JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as { iss?: string; aud?: string; exp?: number }) : {};
    const valid = verified && form.get('grant_type') === 'urn:ietf:params:oauth:grant-type:jwt-bearer' && body.iss === GCS_CLIENT_EMAIL && body.aud === `${base}/token` && (body.exp ?? 0) > Date.now() / 1000;
    if (!valid) return jsonAnswer(res, 400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
    jsonAnswer(res, 200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
  };
  /** objects.list: names starting with `prefix`, in name order, after the page token's name. */
  const listPage = (bucket: string, query: URLSearchParams) => {
    const prefix = query.get('prefix') ?? '';
    const after = query.get('pageToken') === null ? undefined : Buffer.from(query.get('pageToken') ?? '', 'base64url').toString('utf8');
    const names = [...objects.keys()].filter((k) => k.startsWith(`${bucket}/`)).map((k) => k.slice(bucket.length + 1)).filter((n) => n.startsWith(prefix) && (after === undefined || n > after)).sort();
    const size = Math.min(GCS_LIST_PAGE, Number(query.get('maxResults') ?? 1000));
    const page = names.slice(0, size);
    const items = page.map((name) => ({ kind: 'storage#object', bucket, name, size: String(objects.get(`${bucket}/${name}`)?.length ?? 0) }));
    const last = page[page.length - 1];
    return { kind: 'storage#objects', ...(items.length === 0 ? {} : { items }), ...(names.length > size && last !== undefined ? { nextPageToken: Buffer.from(last).toString('base64url') } : {}) };
  };
  const api = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (req.headers.authorization !== `Bearer ${token}`) return apiError(res, 401, 'Invalid Credentials');
    const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
    const object = /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(url.pathname);
    const listing = /^\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
    const bucket = decodeURIComponent((upload ?? object ?? listing)?.[1] ?? '');
    if (!buckets.includes(bucket)) return apiError(res, 404, 'The specified bucket does not exist.');
    if (upload !== null && req.method === 'POST') {
      const parsed = mediaOf(await bodyOf(req), req.headers['content-type'] ?? '');
      const name = String(parsed?.metadata.name ?? url.searchParams.get('name') ?? '');
      if (parsed === undefined || name === '') return apiError(res, 400, 'a multipart upload with a name is expected');
      objects.set(`${bucket}/${name}`, parsed.media);
      return jsonAnswer(res, 200, { kind: 'storage#object', bucket, name, size: String(parsed.media.length) });
    }
    if (listing !== null && req.method === 'GET') return jsonAnswer(res, 200, listPage(bucket, url.searchParams));
    const name = decodeURIComponent(object?.[2] ?? '');
    const stored = objects.get(`${bucket}/${name}`);
    if (object === null || stored === undefined) return apiError(res, 404, `No such object: ${bucket}/${name}`);
    if (req.method === 'DELETE') {
      objects.delete(`${bucket}/${name}`);
      return void res.writeHead(204).end();
    }
    if (url.searchParams.get('alt') === 'media') return void res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': stored.length }).end(stored);
    jsonAnswer(res, 200, { kind: 'storage#object', bucket, name, size: String(stored.length) });
  };
  const server = await listenOnLoopback(async (req, res, url) => {
    requests.push(`${req.method ?? ''} ${url.pathname}${url.search}`);
    await (req.method === 'POST' && url.pathname === '/token' ? issue(req, res) : api(req, res, url));
  });
  base = server.base;
  return {
    endpoint: base,
    tokenUri: `${base}/token`,
    privateKey,
    requests,
    put: (bucket, name, body) => void objects.set(`${bucket}/${name}`, Buffer.from(body)),
    get: (bucket, name) => objects.get(`${bucket}/${name}`),
    stop: server.stop,
  };
}
