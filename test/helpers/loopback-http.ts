// The skeleton the local fakes of HTTP services share (GCS, Swift): an http server on a free
// loopback port whose handler gets the parsed URL, answers 500 when the handler throws, and
// stops with its keep-alive connections closed (clients' agents would hold it open otherwise).
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackServer {
  /** http://127.0.0.1:PORT */
  readonly base: string;
  stop(): Promise<void>;
}

/** A request's whole body. */
export async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export async function listenOnLoopback(handle: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>): Promise<LoopbackServer> {
  const server = http.createServer((req, res) => {
    handle(req, res, new URL(req.url ?? '/', 'http://127.0.0.1')).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      return closed;
    },
  };
}
