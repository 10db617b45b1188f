// A local fake of OpenStack Keystone v3 (password auth) and Swift (object GET/PUT/DELETE, container
// listing as JSON with prefix, limit and marker, at most SWIFT_LIST_PAGE entries a page), enough
// for contract tests: it checks the user, password and project, hands out a token in
// X-Subject-Token with a catalog naming its object-store endpoint in region "RegionOne", and
// refuses object requests without that token. Objects live in memory (test files are small).
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bodyOf, listenOnLoopback } from './loopback-http.js';

export const SWIFT_USER = 'swift-user';
export const SWIFT_PASSWORD = 'swift-pass-Zq81!';
export const SWIFT_PROJECT = 'demo';
export const SWIFT_REGION = 'RegionOne';
/** The fake's container_listing_limit: small, so a client that ignores `marker` misses objects. */
export const SWIFT_LIST_PAGE = 2;

export interface SwiftFake {
  /** The Keystone URL to give as auth_url (http://127.0.0.1:PORT/identity). */
  readonly authUrl: string;
  readonly objects: Map<string, Buffer>;
  /** Every request: method and path. */
  readonly requests: string[];
  put(container: string, name: string, body: Buffer | string): void;
  get(container: string, name: string): Buffer | undefined;
  stop(): Promise<void>;
}

export async function startSwiftFake(containers: readonly string[]): Promise<SwiftFake> {
  const token = randomBytes(16).toString('hex');
  const objects = new Map<string, Buffer>();
  const requests: string[] = [];
  let base = '';
  const auth = async (req: IncomingMessage, res: ServerResponse) => {
    const body = JSON.parse((await bodyOf(req)).toString('utf8')) as { auth?: { identity?: { password?: { user?: { name?: string; password?: string } } }; scope?: { project?: { name?: string } } } };
    const user = body.auth?.identity?.password?.user;
    const project = body.auth?.scope?.project?.name;
    if (user?.name !== SWIFT_USER || user.password !== SWIFT_PASSWORD || (project !== undefined && project !== SWIFT_PROJECT)) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } }));
      return;
    }
    const catalog = [
      { type: 'identity', endpoints: [{ interface: 'public', region: SWIFT_REGION, url: `${base}/identity` }] },
      { type: 'object-store', endpoints: [{ interface: 'internal', region: SWIFT_REGION, url: 'http://10.0.0.1:8080/v1/AUTH_x' }, { interface: 'public', region: SWIFT_REGION, url: `${base}/v1/AUTH_${SWIFT_PROJECT}` }] },
    ];
    res.writeHead(201, { 'content-type': 'application/json', 'x-subject-token': token }).end(JSON.stringify({ token: { catalog } }));
  };
  const object = async (req: IncomingMessage, res: ServerResponse, container: string, name: string) => {
    if (req.headers['x-auth-token'] !== token) return void res.writeHead(401).end('Unauthorized');
    if (!containers.includes(container)) return void res.writeHead(404).end('Not Found');
    const key = `${container}/${name}`;
    if (req.method === 'PUT') {
      const body = await bodyOf(req);
      if (req.headers['content-length'] !== undefined && Number(req.headers['content-length']) !== body.length) return void res.writeHead(499).end();
      objects.set(key, body);
      return void res.writeHead(201, { etag: 'x' }).end();
    }
    const stored = objects.get(key);
    if (stored === undefined) return void res.writeHead(404).end('Not Found');
    if (req.method === 'DELETE') {
      objects.delete(key);
      return void res.writeHead(204).end();
    }
    res.writeHead(200, { 'content-length': stored.length, 'content-type': 'application/octet-stream' }).end(stored);
  };
  /** GET <container>?format=json&prefix=&marker=&limit=: [{name, bytes, ...}] in name order. */
  const list = async (req: IncomingMessage, res: ServerResponse, container: string, query: URLSearchParams) => {
    if (req.headers['x-auth-token'] !== token) return void res.writeHead(401).end('Unauthorized');
    if (!containers.includes(container)) return void res.writeHead(404).end('Not Found');
    const prefix = query.get('prefix') ?? '';
    const marker = query.get('marker');
    const names = [...objects.keys()].filter((k) => k.startsWith(`${container}/`)).map((k) => k.slice(container.length + 1)).filter((n) => n.startsWith(prefix) && (marker === null || n > marker)).sort();
    const page = names.slice(0, Math.min(SWIFT_LIST_PAGE, Number(query.get('limit') ?? 10_000)));
    if (query.get('format') !== 'json') return void res.writeHead(page.length === 0 ? 204 : 200, { 'content-type': 'text/plain' }).end(page.map((n) => `${n}\n`).join(''));
    const entries = page.map((name) => ({ name, bytes: objects.get(`${container}/${name}`)?.length ?? 0, hash: 'x', content_type: 'application/octet-stream', last_modified: '2026-01-01T00:00:00.000000' }));
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(entries));
  };
  const server = await listenOnLoopback(async (req, res, url) => {
    requests.push(`${req.method ?? ''} ${url.pathname}`);
    const match = /^\/v1\/AUTH_[^/]+\/([^/]+)\/(.+)$/.exec(url.pathname);
    const container = /^\/v1\/AUTH_[^/]+\/([^/]+)\/?$/.exec(url.pathname);
    if (req.method === 'POST' && url.pathname === '/identity/v3/auth/tokens') await auth(req, res);
    else if (match !== null) await object(req, res, decodeURIComponent(match[1] ?? ''), decodeURIComponent(match[2] ?? ''));
    else if (container !== null && req.method === 'GET') await list(req, res, decodeURIComponent(container[1] ?? ''), url.searchParams);
    else res.writeHead(404).end();
  });
  base = server.base;
  return {
    authUrl: `${base}/identity`,
    objects,
    requests,
    put: (container, name, body) => void objects.set(`${container}/${name}`, Buffer.from(body)),
    get: (container, name) => objects.get(`${container}/${name}`),
    stop: server.stop,
  };
}
