// Web pages for the website engine's tests: a node:http server on 127.0.0.1 serving HTML pages,
// recording every request, with paths that never answer (a page that never finishes loading);
// and the check that Chromium is installed.
import { access, constants } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const CHROMIUM = '/usr/bin/chromium';

/** Fails with a message saying how to install Chromium when it is missing. */
export async function requireChromium(): Promise<void> {
  await access(CHROMIUM, constants.X_OK).catch(() => {
    throw new Error(`Chromium is missing at ${CHROMIUM}: run \`bash scripts/setup.sh\` (apt-get install chromium).`);
  });
}

export interface WebPages {
  /** http://127.0.0.1:PORT */
  readonly baseUrl: string;
  /** Serves `body` at `path` (text/html unless `type` says otherwise). */
  page(path: string, body: string | Buffer, type?: string): void;
  /** Requests to `path` are accepted and never answered. */
  hang(path: string): void;
  /** Answers `path` with a 302 to `location`. */
  redirect(path: string, location: string): void;
  /** Paths requested so far, in order. */
  readonly requests: string[];
  stop(): Promise<void>;
}

export async function startWebPages(): Promise<WebPages> {
  const pages = new Map<string, { body: Buffer; type: string }>();
  const hanging = new Set<string>();
  const redirects = new Map<string, string>();
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    requests.push(url);
    if (hanging.has(url)) return;
    const location = redirects.get(url);
    if (location !== undefined) {
      res.writeHead(302, { location }).end();
      return;
    }
    const page = pages.get(url);
    if (page === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': page.type, 'content-length': page.body.length }).end(page.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    page: (path, body, type = 'text/html; charset=utf-8') => void pages.set(path, { body: Buffer.from(body), type }),
    hang: (path) => void hanging.add(path),
    redirect: (path, location) => void redirects.set(path, location),
    requests,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A page `height` CSS pixels tall with a coloured block at the top. */
export function tallPage(height: number): string {
  return `<!doctype html><html><head><style>html,body{margin:0}</style></head><body><div style="height:${height}px;background:linear-gradient(#f00,#00f)">Tall page</div></body></html>`;
}
