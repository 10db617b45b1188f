// A plain node:http server on 127.0.0.1 serving test files for input=download, with redirects.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FixtureServer {
  readonly baseUrl: string;
  /** Serves `body` at `path`. */
  serve(path: string, body: Buffer, contentType?: string): void;
  /** Answers `path` with a redirect to `location`. */
  redirect(path: string, location: string, status?: number): void;
  /** Paths requested so far, in order. */
  readonly requests: string[];
  stop(): Promise<void>;
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const files = new Map<string, { body: Buffer; type: string }>();
  const redirects = new Map<string, { location: string; status: number }>();
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    requests.push(url);
    const target = redirects.get(url);
    if (target !== undefined) {
      res.writeHead(target.status, { location: target.location }).end();
      return;
    }
    const file = files.get(url);
    if (file === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'content-length': file.body.length }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    serve: (path, body, type = 'application/octet-stream') => void files.set(path, { body, type }),
    redirect: (path, location, status = 302) => void redirects.set(path, { location, status }),
    requests,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
