// HTTP/1.1 over a plain socket, for tests that must watch a request body being refused while it
// is still being sent: writing stops as soon as the server answers, a reset after the answer is
// not an error, and the test can pause half-way through a body.
import { once } from 'node:events';
import net from 'node:net';

export interface RawReply {
  readonly status: number;
  readonly headers: string;
  readonly body: string;
  /** The body as JSON, when it is JSON. */
  json(): Record<string, unknown>;
}

export type BodyPart = { readonly name: string; readonly filename?: string; readonly value: Buffer | string } | { readonly name: string; readonly filename?: string; readonly fill: number; readonly size: number };

const BOUNDARY = 'raw-http-boundary-7d93';
const CHUNK = 64 * 1024;

function partHead(part: BodyPart): Buffer {
  const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
  return Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n\r\n`);
}

const dataLength = (part: BodyPart): number => ('value' in part ? Buffer.byteLength(part.value) : part.size);

function* partChunks(part: BodyPart): Generator<Buffer> {
  yield partHead(part);
  if ('value' in part) yield Buffer.from(part.value);
  else for (let sent = 0; sent < part.size; sent += CHUNK) yield Buffer.alloc(Math.min(CHUNK, part.size - sent), part.fill);
  yield Buffer.from('\r\n');
}

const CLOSING = `--${BOUNDARY}--\r\n`;

/** A multipart body as chunks (large parts generated lazily), with its length and content type. */
export function multipartBody(parts: readonly BodyPart[]): { chunks: () => Generator<Buffer>; length: number; contentType: string } {
  const length = parts.reduce((sum, part) => sum + partHead(part).length + dataLength(part) + 2, CLOSING.length);
  function* chunks(): Generator<Buffer> {
    for (const part of parts) yield* partChunks(part);
    yield Buffer.from(CLOSING);
  }
  return { chunks, length, contentType: `multipart/form-data; boundary=${BOUNDARY}` };
}

export class RawClient {
  private received = Buffer.alloc(0);
  private closed = false;
  private readonly changed = new EventTarget();
  /** Body bytes handed to the socket so far. */
  bytesSent = 0;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
      this.changed.dispatchEvent(new Event('change'));
    });
    socket.on('error', () => undefined); // a reset after the answer is expected
    socket.on('close', () => {
      this.closed = true;
      this.changed.dispatchEvent(new Event('change'));
    });
  }

  static async open(port: number): Promise<RawClient> {
    const socket = net.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    return new RawClient(socket);
  }

  /** Sends the request line and headers. */
  head(method: string, path: string, headers: Record<string, string | number>): void {
    const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    this.socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  }

  private get answered(): boolean {
    return this.received.length > 0 || this.closed;
  }

  private next(): Promise<void> {
    return new Promise((resolve) => this.changed.addEventListener('change', () => resolve(), { once: true }));
  }

  /** Sends body chunks until they end or the server answers or closes; true when all were sent. */
  async send(chunks: Iterable<Buffer>): Promise<boolean> {
    for (const chunk of chunks) {
      if (this.answered) return false;
      this.bytesSent += chunk.length;
      if (!this.socket.write(chunk)) await Promise.race([once(this.socket, 'drain').catch(() => undefined), this.next()]);
    }
    return !this.answered;
  }

  /** The complete answer (by Content-Length), or what came before the server closed. */
  async reply(timeoutMs = 30_000): Promise<RawReply> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const parsed = this.parse();
      if (parsed !== undefined || this.closed) break;
      if (Date.now() > deadline) throw new Error(`no complete answer within ${timeoutMs} ms: ${this.received.toString().slice(0, 200)}`);
      await Promise.race([this.next(), new Promise((r) => setTimeout(r, 200))]);
    }
    const reply = this.parse() ?? this.parse(true);
    if (reply === undefined) throw new Error(`connection closed without an answer: ${this.received.toString().slice(0, 200)}`);
    return reply;
  }

  private parse(partial = false): RawReply | undefined {
    const text = this.received.toString('latin1');
    const end = text.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    const headers = text.slice(0, end);
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(headers)?.[1] ?? NaN);
    const bodyBytes = this.received.subarray(end + 4);
    if (!partial && !(bodyBytes.length >= length)) return undefined;
    const body = bodyBytes.subarray(0, Number.isNaN(length) ? undefined : length).toString('utf8');
    return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1] ?? 0), headers, body, json: () => JSON.parse(body) as Record<string, unknown> };
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** One multipart POST over a raw socket, sent until the server answers. */
export async function rawMultipart(port: number, path: string, parts: readonly BodyPart[], headers: Record<string, string> = {}): Promise<RawReply & { bytesSent: number; total: number }> {
  const body = multipartBody(parts);
  const client = await RawClient.open(port);
  try {
    client.head('POST', path, { 'Content-Type': body.contentType, 'Content-Length': body.length, ...headers });
    await client.send(body.chunks());
    return { ...(await client.reply()), bytesSent: client.bytesSent, total: body.length };
  } finally {
    client.destroy();
  }
}
