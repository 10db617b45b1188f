// A callback receiver on 127.0.0.1 for notification tests: records every request (its body
// bytes too, for signed webhooks) with the time it arrived and answers each path with a scripted
// list of statuses, optionally held back.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CallbackHit {
  /** Path and query as received. */
  readonly url: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** The request's headers (names lower-case). */
  readonly headers: http.IncomingHttpHeaders;
  readonly method: string;
  /** The body bytes exactly as received (empty for GET). */
  readonly body: Buffer;
  /** Date.now() when the request arrived. */
  readonly at: number;
  /** Date.now() when the answer was sent; undefined while it is held back. */
  answeredAt: number | undefined;
}

export interface CallbackScript {
  /** Statuses of the 1st, 2nd, ... request; the last one repeats. Default [200]. */
  readonly statuses?: readonly number[];
  /** Hold every answer back this long. */
  readonly delayMs?: number;
}

export interface CallbackTarget {
  /** http://127.0.0.1:PORT */
  readonly baseUrl: string;
  readonly port: number;
  /** Answers requests to `path` (without query) as scripted. */
  script(path: string, script: CallbackScript): void;
  /** The requests to `path` so far, in arrival order. */
  hits(path: string): CallbackHit[];
  stop(): Promise<void>;
}

/** Listens on `port` (0: any free port), so a test can bring a target up where one was down. */
export async function startCallbackTarget(port = 0): Promise<CallbackTarget> {
  const scripts = new Map<string, CallbackScript>();
  const all: CallbackHit[] = [];
  const server = http.createServer(async (req, res) => {
    const at = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const parsed = new URL(req.url ?? '/', 'http://callback.test');
    const hit: CallbackHit = { url: req.url ?? '/', path: parsed.pathname, query: parsed.searchParams, headers: req.headers, method: req.method ?? 'GET', body: Buffer.concat(chunks), at, answeredAt: undefined };
    all.push(hit);
    const script = scripts.get(parsed.pathname) ?? {};
    const statuses = script.statuses ?? [200];
    const nth = all.filter((h) => h.path === parsed.pathname).length - 1;
    const status = statuses[Math.min(nth, statuses.length - 1)] ?? 200;
    const answer = (): void => {
      hit.answeredAt = Date.now();
      res.writeHead(status, { 'content-type': 'text/plain' }).end(`status ${status}`);
    };
    if (script.delayMs === undefined) answer();
    else setTimeout(answer, script.delayMs);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${bound}`,
    port: bound,
    script: (path, script) => void scripts.set(path, script),
    hits: (path) => all.filter((h) => h.path === path),
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
