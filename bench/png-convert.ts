// The conversion as a client sends it: a PNG to /convert as multipart (the key in the
// header, so the file part streams straight into the process), wait=true, then the GET of
// output.url. Shared by the Redis command count and the PNG overhead benchmark.
import sharp from 'sharp';
import { BENCH_KEY, abs, request } from './lib.js';

type Fields = ReadonlyArray<readonly [string, string]>;

/** multipart/form-data: the text fields in order, then the file, then the fields `after` it. */
export function multipart(fields: Fields, file: Buffer, filename: string, after: Fields = []): { body: Buffer; contentType: string } {
  const boundary = `----bench${Math.random().toString(16).slice(2)}`;
  const field = ([name, value]: readonly [string, string]): Buffer => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  const parts: Buffer[] = fields.map(field);
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`), file, Buffer.from('\r\n'), ...after.map(field), Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A flat 64x48 PNG (about 200 bytes): the small image. */
export const smallPng = (): Promise<Buffer> => sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 80, b: 40 } } }).png().toBuffer();

/** A 1000x1000 PNG with gradients and shapes (about 95 KiB), not a flat colour: the 1 MP image (as in v2-vs-v1.ts). */
export function photoPng(): Promise<Buffer> {
  const circles = Array.from({ length: 12 }, (_, i) => `<circle cx="${80 + i * 75}" cy="${500 + Math.round(300 * Math.sin(i))}" r="${40 + i * 6}" fill="hsl(${i * 30},70%,55%)" fill-opacity="0.7"/>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="1000"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#1e3c72"/><stop offset="1" stop-color="#f0a500"/></linearGradient></defs><rect width="1000" height="1000" fill="url(#g)"/>${circles}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

export interface Converted {
  readonly id: string;
  /** The token of output.url. */
  readonly downloadToken: string;
  /** Milliseconds of the POST alone. */
  readonly convertMs: number;
}

export interface ConvertOptions {
  /** Runs after the answer, before the GET. */
  readonly between?: () => Promise<void>;
  /** The key as an apikey field after the file part (as the Go client GO-A sends it), not in the header: the file is spooled until the key is checked. */
  readonly keyAfterFile?: boolean;
}

/** One /convert png -> jpg with wait=true, then the download. */
export async function convertPngAndDownload(baseUrl: string, png: Buffer, options: ConvertOptions = {}): Promise<Converted> {
  const fields: Fields = [['inputformat', 'png'], ['outputformat', 'jpg'], ['input', 'upload'], ['wait', 'true']];
  const form = options.keyAfterFile === true ? multipart([], png, 'image.png', [['apikey', BENCH_KEY], ...fields]) : multipart(fields, png, 'image.png');
  const auth: Record<string, string> = options.keyAfterFile === true ? {} : { Authorization: `Bearer ${BENCH_KEY}` };
  const start = performance.now();
  const res = await request('POST', `${baseUrl}/convert`, { body: form.body, headers: { ...auth, 'Content-Type': form.contentType } });
  const convertMs = performance.now() - start;
  const status = JSON.parse(res.body.toString('utf8')) as { id?: string; step?: string; output?: { url?: string } };
  const url = status.output?.url;
  if (res.status !== 200 || status.step !== 'finished' || url === undefined || status.id === undefined) throw new Error(`/convert answered ${res.status} in step ${status.step}: ${res.body.toString('utf8').slice(0, 300)}`);
  await options.between?.();
  const file = await request('GET', abs(url));
  // A JPEG starts with FF D8 FF.
  if (file.status !== 200 || file.body.readUIntBE(0, 3) !== 0xffd8ff) throw new Error(`the download answered ${file.status} without a JPEG`);
  return { id: status.id, downloadToken: /\/download\/([^/?]+)/.exec(url)?.[1] ?? '', convertMs };
}
