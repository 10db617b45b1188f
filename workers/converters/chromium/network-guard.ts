// The network guard of a browser: a forward proxy on 127.0.0.1 that every request of a capture
// context goes through (plain http forwarded, https and websockets tunnelled with CONNECT). Each
// connection is made with the private-address guard's lookup, so names are resolved and checked
// where the socket connects (no DNS-rebinding gap), every redirect hop is a new checked request,
// bytes received are counted against a limit, and an uploaded HTML page is served from here
// under LOCAL_ORIGIN, so it never has a file:// origin that could read other local files.
import { createReadStream } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { appError, AppError } from '../../../src/core/errors.js';
import { assertAllowedHost, guardedLookup, type AddressPolicy } from '../../../src/core/net/address-guard.js';
import { networkReason } from '../../../src/core/net/network-errors.js';

/** Where an uploaded HTML file is served (a reserved name: it never reaches DNS). */
export const LOCAL_HOST = 'input.openconvert.invalid';
export const LOCAL_ORIGIN = `http://${LOCAL_HOST}`;
/** Response header naming the problem a refusal or failure answer stands for (stripped from upstream answers). */
export const PROBLEM_HEADER = 'x-openconvert-problem';

export interface LocalPage {
  /** The URL path it answers (e.g. /page.html). */
  readonly path: string;
  readonly file: string;
  readonly contentType: string;
}

export interface CaptureSession {
  readonly localPage?: LocalPage;
  readonly maxBytes: number;
  /** Called once when the bytes received pass maxBytes (every connection is then cut). */
  readonly onLimit: () => void;
}

export interface Problem {
  readonly target: string;
  readonly error: AppError;
}

interface Armed {
  readonly session: CaptureSession;
  readonly sockets: Set<Duplex>;
  readonly problems: Problem[];
  bytes: number;
  exceeded: boolean;
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade', PROBLEM_HEADER];

export class GuardProxy {
  private armed: Armed | undefined;
  private readonly policy: AddressPolicy;

  private constructor(
    private readonly server: http.Server,
    allowPrivate: boolean,
  ) {
    this.policy = { allowPrivate };
    server.on('request', (req, res) => this.onRequest(req, res));
    server.on('connect', (req, socket: Socket, head: Buffer) => this.onConnect(req, socket, head));
    // A websocket upgrade must come as CONNECT (Chromium tunnels it); anything else is refused.
    server.on('upgrade', (_req, socket: Socket) => socket.destroy());
    server.on('clientError', (_error, socket) => socket.destroy());
  }

  static async start(allowPrivate: boolean): Promise<GuardProxy> {
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new GuardProxy(server, allowPrivate);
  }

  /** The proxy URL for Chromium's browser context. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Starts a capture: until disarm(), requests are forwarded under this session's limits. */
  arm(session: CaptureSession): void {
    this.disarm();
    this.armed = { session, sockets: new Set(), problems: [], bytes: 0, exceeded: false };
  }

  /** Ends the capture: every connection it opened is cut; later requests are refused. */
  disarm(): void {
    const armed = this.armed;
    this.armed = undefined;
    for (const socket of armed?.sockets ?? []) socket.destroy();
  }

  /** The problem an answer of this proxy stands for (by its PROBLEM_HEADER value). */
  problem(id: string | undefined): Problem | undefined {
    return id === undefined ? undefined : this.armed?.problems[Number(id)];
  }

  /** Requests refused or failed so far in this capture. */
  get problems(): readonly Problem[] {
    return this.armed?.problems ?? [];
  }

  async close(): Promise<void> {
    this.disarm();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Throws the refusal for a target, or returns the armed capture. */
  private check(host: string, port: number): Armed {
    const armed = this.armed;
    if (armed === undefined) throw appError('URL_FORBIDDEN', 'No capture is running.');
    if (armed.exceeded) throw appError('TOO_LARGE', `The page received more than ${armed.session.maxBytes} bytes.`);
    assertAllowedHost(host, this.policy);
    const bare = host.replace(/^\[|\]$/g, '');
    if (port === this.port && (bare === 'localhost' || (net.isIP(bare) !== 0 && /^(127\.|::1$|::ffff:127\.)/.test(bare)))) {
      throw appError('URL_FORBIDDEN', 'The page may not use the capture proxy itself.');
    }
    return armed;
  }

  private record(armed: Armed | undefined, target: string, error: unknown): number {
    const problem = { target, error: explain(error, target) };
    if (armed === undefined) return -1;
    armed.problems.push(problem);
    return armed.problems.length - 1;
  }

  private count(armed: Armed, bytes: number): void {
    armed.bytes += bytes;
    if (armed.exceeded || armed.bytes <= armed.session.maxBytes) return;
    armed.exceeded = true;
    this.record(armed, 'page', appError('TOO_LARGE', `The page received more than ${armed.session.maxBytes} bytes.`));
    for (const socket of armed.sockets) socket.destroy();
    armed.session.onLimit();
  }

  private track(armed: Armed, ...sockets: Duplex[]): void {
    for (const socket of sockets) {
      armed.sockets.add(socket);
      socket.once('close', () => armed.sockets.delete(socket));
    }
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end();
      return;
    }
    const armed = this.armed;
    if (url.protocol === 'http:' && url.hostname === LOCAL_HOST && armed !== undefined) return serveLocal(armed.session.localPage, url, req, res);
    let target: Armed;
    try {
      if (url.protocol !== 'http:') throw appError('URL_FORBIDDEN', `The scheme ${url.protocol} is not fetched.`);
      target = this.check(url.hostname, Number(url.port || 80));
    } catch (error) {
      return this.refuse(res, armed, url.href, error);
    }
    this.track(target, req.socket);
    const headers = { ...req.headers };
    for (const name of HOP_BY_HOP) delete headers[name];
    const upstream = http.request({ host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port || 80, path: `${url.pathname}${url.search}`, method: req.method, headers, agent: false, lookup: guardedLookup(this.policy) }, (answer) => {
      const answerHeaders = { ...answer.headers };
      for (const name of HOP_BY_HOP) delete answerHeaders[name];
      res.writeHead(answer.statusCode ?? 502, answerHeaders);
      answer.on('data', (chunk: Buffer) => this.count(target, chunk.length));
      answer.once('error', () => res.destroy());
      answer.pipe(res);
    });
    upstream.once('socket', (socket) => this.track(target, socket));
    upstream.once('error', (error) => (res.headersSent ? res.destroy() : this.refuse(res, target, url.href, error)));
    // A side that goes away ends the other; none of these errors may reach the worker.
    req.once('error', () => upstream.destroy());
    res.once('error', () => upstream.destroy());
    res.once('close', () => upstream.destroy());
    req.pipe(upstream);
  }

  private refuse(res: http.ServerResponse, armed: Armed | undefined, target: string, error: unknown): void {
    const id = this.record(armed, target, error);
    const status = error instanceof AppError && error.code === 'URL_FORBIDDEN' ? 403 : 502;
    res.writeHead(status, { 'content-type': 'text/plain', [PROBLEM_HEADER]: String(id) }).end('Refused by the capture network guard.\n');
  }

  private onConnect(req: http.IncomingMessage, client: Socket, head: Buffer): void {
    const armed = this.armed;
    const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(req.url ?? '');
    const host = match?.[1] ?? '';
    const port = Number(match?.[2] ?? 0);
    const fail = (error: unknown, status: number): void => {
      this.record(armed, `${host}:${port}`, error);
      client.end(`HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : 'Bad Gateway'}\r\n\r\n`);
    };
    client.on('error', () => client.destroy());
    let target: Armed;
    try {
      if (match === null || port < 1 || port > 65535) throw appError('URL_FORBIDDEN', `Bad CONNECT target ${req.url ?? ''}.`);
      target = this.check(host, port);
    } catch (error) {
      return fail(error, 403);
    }
    this.track(target, client);
    const upstream = net.connect({ host: host.replace(/^\[|\]$/g, ''), port, lookup: guardedLookup(this.policy) });
    this.track(target, upstream);
    let established = false;
    upstream.once('error', (error) => {
      if (established) client.destroy();
      else fail(error, error instanceof AppError && error.code === 'URL_FORBIDDEN' ? 403 : 502);
    });
    upstream.once('connect', () => {
      established = true;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.on('data', (chunk: Buffer) => this.count(target, chunk.length));
      upstream.pipe(client);
      client.pipe(upstream);
    });
    client.once('close', () => upstream.destroy());
  }
}

function serveLocal(page: LocalPage | undefined, url: URL, req: http.IncomingMessage, res: http.ServerResponse): void {
  if (page === undefined || url.pathname !== page.path || (req.method !== 'GET' && req.method !== 'HEAD')) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found.\n');
    return;
  }
  res.writeHead(200, { 'content-type': page.contentType, 'cache-control': 'no-store' });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(page.file).on('error', () => res.destroy()).pipe(res);
}

function explain(error: unknown, target: string): AppError {
  if (error instanceof AppError) return error;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return appError('INPUT_UNAVAILABLE', `${target} could not be reached: ${networkReason(code) ?? (error as Error).message}.`);
}
