// Raw wire helpers for replay tests: a fetch that records every response, hand-built multipart
// bodies (exact part order and headers, as a given client sends them), polling and timing.
import assert from 'node:assert/strict';
import http from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';

export { setTimeout as delay } from 'node:timers/promises';

/** A response read to the end. `body` is the parsed JSON, or undefined when it is not JSON. */
export interface WireReply {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: Buffer;
  readonly text: string;
  readonly body: any;
}

/** fetch without following redirects, the body read, and the reply kept in `log` when given. */
export async function send(url: string, init: RequestInit = {}, log?: WireReply[]): Promise<WireReply> {
  const response = await fetch(url, { redirect: 'manual', ...init });
  const bytes = Buffer.from(await response.arrayBuffer());
  const text = bytes.toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const reply: WireReply = { method: init.method ?? 'GET', url, status: response.status, headers: response.headers, bytes, text, body };
  log?.push(reply);
  return reply;
}

/**
 * A request whose path goes out byte for byte: fetch normalises `..` and `%2E%2E` segments away,
 * a hostile client does not.
 */
export function sendRawPath(baseUrl: string, method: string, rawPath: string, body?: Buffer): Promise<WireReply> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const headers = body === undefined ? {} : { 'content-length': String(body.length) };
    const req = http.request({ host: url.hostname, port: url.port, method, path: rawPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        const text = bytes.toString('utf8');
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') responseHeaders.set(name, value);
        resolve({ method, url: `${baseUrl}${rawPath}`, status: res.statusCode ?? 0, headers: responseHeaders, bytes, text, body: parsed });
      });
    });
    req.once('error', reject);
    req.end(body);
  });
}

/** One multipart part: a text field, or a file (with an optional Content-Type of its own). */
export type Part = { readonly name: string; readonly value: string } | { readonly name: string; readonly filename: string; readonly data: Buffer; readonly type?: string };

/** A multipart/form-data body with the parts in exactly this order. */
export function multipart(parts: readonly Part[]): { body: Buffer; contentType: string } {
  const boundary = `----replay${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if ('filename' in part) {
      head += `; filename="${part.filename}"\r\n${part.type === undefined ? '' : `Content-Type: ${part.type}\r\n`}\r\n`;
      chunks.push(Buffer.from(head), part.data, Buffer.from('\r\n'));
    } else {
      chunks.push(Buffer.from(`${head}\r\n\r\n${part.value}\r\n`));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export const STEPS = ['input', 'wait', 'convert', 'output', 'finished', 'error'];

/** What every v1 client can parse: one of the six steps, numeric percent, integer times, scalar options, no `error`. */
export function assertStatusShape(status: any): void {
  assert.ok(STEPS.includes(status.step), `step ${String(status.step)} is not one of the six`);
  assert.equal(typeof status.percent, 'number');
  assert.equal(typeof status.message, 'string');
  assert.ok(Number.isInteger(status.starttime), 'starttime is an integer');
  assert.ok(Number.isInteger(status.expire), 'expire is an integer');
  if (status.endtime !== undefined) assert.ok(Number.isInteger(status.endtime), 'endtime is an integer');
  assert.match(status.url, /^\/\/[^/]+\/process\/[^/]+$/);
  for (const value of Object.values<unknown>(status.converter?.options ?? {})) assert.ok(value === null || typeof value !== 'object', 'converter options are scalars or null');
  if (status.step !== 'error') assert.equal(status.error, undefined, 'a success body never carries `error`');
}

/** Polls `url` (no auth, as most clients do) until the process ends; returns every status seen. */
export async function pollUntilFinal(url: string, log?: WireReply[], intervalMs = 25, timeoutMs = 15000): Promise<WireReply[]> {
  const seen: WireReply[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reply = await send(url, {}, log);
    seen.push(reply);
    assert.ok(reply.body !== undefined, `status of ${url} is JSON (HTTP ${reply.status})`);
    if (reply.body.step === 'finished' || reply.body.step === 'error') return seen;
    assert.ok(Date.now() < deadline, `process at ${url} did not end within ${timeoutMs} ms (step ${String(reply.body.step)})`);
    await delay(intervalMs);
  }
}

/** 'pending' when `promise` has not settled within `ms`. */
export async function stateAfter(promise: Promise<unknown>, ms: number): Promise<'settled' | 'pending'> {
  const settled = promise.then(
    () => 'settled' as const,
    () => 'settled' as const,
  );
  return Promise.race([settled, delay(ms).then(() => 'pending' as const)]);
}
