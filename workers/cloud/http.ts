// HTTP for the storages driven by hand (Keystone/Swift, Google's token endpoint): every
// connection resolves through the private-address guard, bodies stream both ways.
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { promisify } from 'node:util';
import type { Readable } from 'node:stream';
import { assertAllowedHost, guardedLookup, type AddressPolicy } from '../../src/core/net/address-guard.js';
import type { RemoteSettings } from '../remote/settings.js';

export interface CloudRequest {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD';
  readonly headers?: Readonly<Record<string, string | number>>;
  /** A buffer, or a stream piped as the body. */
  readonly body?: Buffer | Readable;
  readonly signal: AbortSignal;
}

/** Sends the request; resolves with the response once its headers arrived (any status). */
export function cloudRequest(url: URL, request: CloudRequest, settings: RemoteSettings): Promise<IncomingMessage> {
  assertAllowedHost(url.hostname, settings);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, { method: request.method, agent: false, lookup: guardedLookup(settings), signal: request.signal, headers: request.headers, timeout: settings.timeoutMs }, resolve);
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url.host} within ${settings.timeoutMs} ms`)));
    req.on('error', reject);
    const body = request.body;
    if (body === undefined) req.end();
    else if (Buffer.isBuffer(body)) req.end(body);
    else {
      body.on('error', (error) => req.destroy(error));
      body.pipe(req);
    }
  });
}

/** The response body as text, at most `max` bytes (error answers and JSON documents are small). */
export async function readText(response: IncomingMessage, max = 4 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      response.destroy();
      throw new Error(`the answer is larger than ${max} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Refuses a host whose name resolves to a private address, for clients whose sockets we do not open. */
export async function assertHostResolvesPublic(url: URL, policy: AddressPolicy): Promise<void> {
  assertAllowedHost(url.hostname, policy);
  if (policy.allowPrivate) return;
  const lookup = promisify(guardedLookup(policy)) as (host: string, options: object) => Promise<unknown>;
  await lookup(url.hostname.replace(/^\[|\]$/g, ''), {});
}
