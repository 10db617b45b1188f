// A small HTTP client for the cloud drive APIs: JSON or file-range bodies with an exact
// Content-Length (streamed from disk, never buffered), a timeout, and the whole answer read.
import { createReadStream } from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream/promises';

export interface HttpReply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Bytes `start`..`end` (inclusive) of a local file. */
export interface FileRange {
  readonly path: string;
  readonly start: number;
  readonly end: number;
}

export interface HttpRequest {
  readonly method: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer | FileRange;
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
}

const lengthOf = (body: Buffer | FileRange | undefined): number => (body === undefined ? 0 : Buffer.isBuffer(body) ? body.length : body.end - body.start + 1);

export function httpRequest(url: string, request: HttpRequest): Promise<HttpReply> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  const signal = AbortSignal.any([request.signal, AbortSignal.timeout(request.timeoutMs)]);
  return new Promise((resolve, reject) => {
    const req = client.request(target, { method: request.method, signal, headers: { ...request.headers, 'content-length': String(lengthOf(request.body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.once('error', reject);
    });
    req.once('error', reject);
    const body = request.body;
    if (body === undefined || Buffer.isBuffer(body)) req.end(body);
    else pipeline(createReadStream(body.path, { start: body.start, end: body.end }), req).catch(reject);
  });
}

/** The reply's body as JSON, or undefined when it is not JSON. */
export function jsonOf(reply: HttpReply): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(reply.body.toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
