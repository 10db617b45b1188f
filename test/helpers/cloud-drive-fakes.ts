// Local stand-ins for the Dropbox and Google Drive HTTP APIs (a node:http server on 127.0.0.1)
// that check each request against the documented shape and answer as the services do. A request
// that breaks the contract is answered 400 and recorded in `violations`, so tests can fail on it.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface DriveFake {
  readonly baseUrl: string;
  readonly requests: Received[];
  /** Contract breaches seen (empty when every request had the documented shape). */
  readonly violations: string[];
  /** Files as the fake service now holds them: Dropbox path or Drive id → bytes. */
  readonly files: Map<string, Buffer>;
  /** The access token the API accepts; refresh grants hand it out. */
  token: string;
  /** Answers the next content upload whose path or name matches with this failure. */
  failUpload: { match: RegExp; status: number; body: unknown } | undefined;
  stop(): Promise<void>;
}

async function read(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body === undefined ? undefined : JSON.stringify(body));
};

type Handler = (req: Received, res: ServerResponse, fake: DriveFake) => void;

async function startFake(handler: Handler): Promise<DriveFake> {
  const fake = { requests: [] as Received[], violations: [] as string[], files: new Map<string, Buffer>(), token: 'operator-token', failUpload: undefined } as unknown as DriveFake & { baseUrl: string };
  const server = http.createServer((req, res) => {
    void read(req).then((body) => {
      const received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      fake.requests.push(received);
      handler(received, res, fake);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.stop = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}

/** Refuses (and records) a request that breaks the contract. */
function breach(fake: DriveFake, res: ServerResponse, what: string): void {
  fake.violations.push(what);
  send(res, 400, { error_summary: `contract: ${what}` });
}

function tokenGrant(req: Received, res: ServerResponse, fake: DriveFake, clientId: string, clientSecret: string): void {
  const form = new URLSearchParams(req.body.toString());
  if (req.method !== 'POST' || !String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) return breach(fake, res, 'token: POST form expected');
  if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== 'operator-refresh' || form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
    return send(res, 400, { error: 'invalid_grant' });
  }
  send(res, 200, { access_token: fake.token, token_type: 'bearer', expires_in: 14400 });
}

/** Dropbox API v2: files/upload, upload_session/{start,append_v2,finish}, files/delete_v2, oauth2/token. */
export function startDropboxFake(): Promise<DriveFake> {
  const sessions = new Map<string, Buffer>();
  return startFake((req, res, fake) => {
    const endpoint = req.url.split('?')[0] ?? '';
    if (endpoint === '/oauth2/token') return tokenGrant(req, res, fake, 'app-key', 'app-secret');
    if (req.method !== 'POST') return breach(fake, res, `${endpoint}: POST expected`);
    if (req.headers['authorization'] !== `Bearer ${fake.token}`) return send(res, 401, { error_summary: 'invalid_access_token/' });
    if (endpoint === '/2/files/delete_v2') {
      if (req.headers['content-type'] !== 'application/json') return breach(fake, res, 'delete_v2: JSON body expected');
      const { path } = JSON.parse(req.body.toString()) as { path: string };
      fake.files.delete(path);
      return send(res, 200, { metadata: { '.tag': 'file', path_display: path } });
    }
    if (!endpoint.startsWith('/2/files/upload')) return breach(fake, res, `unknown endpoint ${endpoint}`);
    if (req.headers['content-type'] !== 'application/octet-stream') return breach(fake, res, `${endpoint}: Content-Type application/octet-stream expected`);
    const rawArg = String(req.headers['dropbox-api-arg'] ?? '');
    if (!/^[\x20-\x7e]*$/.test(rawArg)) return breach(fake, res, 'Dropbox-API-Arg must be ASCII');
    const arg = JSON.parse(rawArg) as Record<string, any>;
    const commit = (c: Record<string, any>, bytes: Buffer) => {
      if (typeof c['path'] !== 'string' || !c['path'].startsWith('/') || c['mode'] !== 'add' || c['autorename'] !== true) return breach(fake, res, `commit shape: ${rawArg}`);
      if (fake.failUpload?.match.test(c['path']) === true) return send(res, fake.failUpload.status, fake.failUpload.body);
      const path = fake.files.has(c['path']) ? c['path'].replace(/(\.[^.]+)$/, ' (1)$1') : c['path'];
      fake.files.set(path, bytes);
      send(res, 200, { name: path.split('/').pop(), path_display: path, id: `id:${fake.files.size}`, size: bytes.length });
    };
    switch (endpoint) {
      case '/2/files/upload':
        return commit(arg, req.body);
      case '/2/files/upload_session/start': {
        const id = `session-${sessions.size + 1}`;
        sessions.set(id, req.body);
        return send(res, 200, { session_id: id });
      }
      case '/2/files/upload_session/append_v2':
      case '/2/files/upload_session/finish': {
        const cursor = arg['cursor'] as { session_id: string; offset: number };
        const sofar = sessions.get(cursor.session_id);
        if (sofar === undefined || cursor.offset !== sofar.length) return breach(fake, res, `cursor offset ${cursor.offset} != ${sofar?.length}`);
        const all = Buffer.concat([sofar, req.body]);
        sessions.set(cursor.session_id, all);
        return endpoint.endsWith('finish') ? commit(arg['commit'] as Record<string, any>, all) : send(res, 200, null);
      }
    }
    breach(fake, res, `unknown endpoint ${endpoint}`);
  });
}

/** Google Drive API v3: resumable uploads, files.delete, and the OAuth token endpoint. */
export function startGoogleDriveFake(): Promise<DriveFake> {
  const pending = new Map<string, { name: string; parents?: string[]; type: string; length: number }>();
  return startFake((req, res, fake) => {
    const url = new URL(req.url, 'http://fake');
    if (url.pathname === '/token') return tokenGrant(req, res, fake, 'client-id', 'client-secret');
    if (url.pathname === '/upload/drive/v3/files' && req.method === 'POST') {
      if (req.headers['authorization'] !== `Bearer ${fake.token}`) return send(res, 401, { error: { code: 401, message: 'Invalid Credentials' } });
      if (url.searchParams.get('uploadType') !== 'resumable') return breach(fake, res, 'uploadType=resumable expected');
      if (req.headers['content-type'] !== 'application/json; charset=UTF-8') return breach(fake, res, 'metadata Content-Type');
      const length = Number(req.headers['x-upload-content-length']);
      const type = String(req.headers['x-upload-content-type'] ?? '');
      if (!Number.isInteger(length) || type === '') return breach(fake, res, 'X-Upload-Content-Length and -Type expected');
      const metadata = JSON.parse(req.body.toString()) as { name?: string; parents?: string[] };
      if (typeof metadata.name !== 'string') return breach(fake, res, 'metadata.name expected');
      if (fake.failUpload?.match.test(metadata.name) === true) return send(res, fake.failUpload.status, fake.failUpload.body);
      const uploadId = `up${pending.size + 1}`;
      pending.set(uploadId, { name: metadata.name, ...(metadata.parents === undefined ? {} : { parents: metadata.parents }), type, length });
      res.writeHead(200, { location: `${fake.baseUrl}/upload/drive/v3/files?uploadType=resumable&upload_id=${uploadId}`, 'content-length': '0' }).end();
      return;
    }
    if (url.pathname === '/upload/drive/v3/files' && req.method === 'PUT') {
      const session = pending.get(url.searchParams.get('upload_id') ?? '');
      if (session === undefined) return send(res, 404, { error: { code: 404, message: 'no such upload' } });
      if (Number(req.headers['content-length']) !== session.length || req.body.length !== session.length) return breach(fake, res, 'PUT length differs from X-Upload-Content-Length');
      const id = `file${fake.files.size + 1}`;
      fake.files.set(id, req.body);
      return send(res, 200, { kind: 'drive#file', id, name: session.name, mimeType: session.type, parents: session.parents });
    }
    const deleting = /^\/drive\/v3\/files\/([^/]+)$/.exec(url.pathname);
    if (deleting?.[1] !== undefined && req.method === 'DELETE') {
      if (req.headers['authorization'] !== `Bearer ${fake.token}`) return send(res, 401, { error: { code: 401, message: 'Invalid Credentials' } });
      fake.files.delete(deleting[1]);
      res.writeHead(204).end();
      return;
    }
    breach(fake, res, `unknown ${req.method} ${url.pathname}`);
  });
}
