import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { readUpload, type UploadLimits } from '../../src/api/v2/multipart-upload.js';
import { MultipartScanner } from '../../src/api/v2/multipart-scanner.js';
import { AppError } from '../../src/core/errors.js';

const LIMITS: UploadLimits = { maxFields: 10, maxFieldBytes: 1024 };
const NODE3_BOUNDARY = '--------------------------512906410832716598327105';
const B = 'XyZ0boundary';
const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** Deterministic bytes (mulberry32), so a failing seed can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const randomBytes = (size: number, seed: number): Buffer => {
  const next = random(seed);
  return Buffer.from(Array.from({ length: size }, () => Math.floor(next() * 256)));
};

/** A form body: fields, then the file part with the given header lines, then `after`. */
function form(boundary: string, fields: Record<string, string>, fileHeader: string, file: Buffer, after = `--${boundary}--\r\n`): Buffer {
  const head = Object.entries(fields)
    .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
    .join('');
  return Buffer.concat([Buffer.from(`${head}--${boundary}\r\n${fileHeader}\r\n\r\n`), file, Buffer.from(`\r\n${after}`)]);
}
const fileHeader = (disposition: string): string => `Content-Disposition: form-data; name="file"; ${disposition}\r\nContent-Type: image/png`;

/** A body stream delivering `data` in chunks of the given sizes (cycled). */
function chunked(data: Buffer, sizes: () => number = () => data.length): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < data.length; ) {
    const size = Math.max(1, sizes());
    chunks.push(data.subarray(at, at + size));
    at += size;
  }
  return Readable.from(chunks);
}

interface Received {
  readonly filename: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly sha: string;
  readonly bytes: number;
}
/** Reads an upload, hashing the file as a store would consume it. */
async function receive(body: Readable, contentType: string | undefined, limits = LIMITS): Promise<Received> {
  return readUpload(body, contentType, limits, async (file, filename, fields) => {
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of file as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytes += chunk.length;
    }
    return { filename, fields: { ...fields }, sha: hash.digest('hex'), bytes };
  });
}

const invalid = (pattern: RegExp) => (error: unknown) => {
  assert.ok(error instanceof AppError, `not an AppError: ${String(error)}`);
  assert.equal(error.code, 'INVALID_PARAMETER');
  assert.match(error.message, pattern);
  return true;
};

describe('readUpload: what each client sends', () => {
  it('keeps the Node SDK 3 unquoted UTF-8 file name with spaces exactly (its exact bytes)', async () => {
    const png = randomBytes(300, 1);
    const body = Buffer.concat([
      Buffer.from(
        `--${NODE3_BOUNDARY}\r\ncontent-disposition:form-data;name="expires"\r\n\r\n1700000000\r\n` +
          `--${NODE3_BOUNDARY}\r\ncontent-disposition:form-data;name="signature"\r\n\r\n9f86d081\r\n` +
          `--${NODE3_BOUNDARY}\r\ncontent-disposition:form-data;name="file";filename=my file ä.png\r\ncontent-type:application/octet-stream\r\n\r\n`,
        'utf8',
      ),
      png,
      Buffer.from(`\r\n--${NODE3_BOUNDARY}--\r\n`),
    ]);
    const got = await receive(chunked(body), `multipart/form-data; boundary=${NODE3_BOUNDARY}`);
    assert.equal(got.filename, 'my file ä.png');
    assert.deepEqual(got.fields, { expires: '1700000000', signature: '9f86d081' });
    assert.equal(got.sha, sha(png));
  });

  it('reads quoted names: UTF-8 in quotes (NODE2, .NET), escaped quotes, semicolons', async () => {
    const cases: Array<[string, string]> = [
      ['filename="my file ä.png"', 'my file ä.png'],
      ['filename="a\\"b.png"', 'a"b.png'],
      ['filename="x; y.png"; size=3', 'x; y.png'],
      ['filename=input.pdf', 'input.pdf'],
    ];
    for (const [disposition, expected] of cases) {
      const got = await receive(chunked(form(B, {}, fileHeader(disposition), Buffer.from('abc'))), `multipart/form-data; boundary=${B}`);
      assert.equal(got.filename, expected, disposition);
      assert.equal(got.sha, sha(Buffer.from('abc')));
    }
  });

  it('takes a quoted boundary parameter (PHP) in any case, among other parameters', async () => {
    const boundary = 'php=(q) 5f2c';
    const body = form(boundary, { expires: '1' }, fileHeader('filename="input.png"'), Buffer.from('data'));
    const got = await receive(chunked(body), `Multipart/Form-Data; charset=utf-8; BOUNDARY="${boundary}"`);
    assert.equal(got.filename, 'input.png');
    assert.deepEqual(got.fields, { expires: '1' });
  });

  it("decodes filename*=UTF-8'' (RFC 5987) and prefers it to filename", async () => {
    for (const disposition of ["filename*=UTF-8''my%20file%20%C3%A4.png", `filename="fallback.png"; filename*=utf-8''my%20file%20%C3%A4.png`, "filename=fallback.png; filename*=UTF-8'en'my%20file%20%C3%A4.png"]) {
      const got = await receive(chunked(form(B, {}, fileHeader(disposition), Buffer.from('x'))), `multipart/form-data; boundary=${B}`);
      assert.equal(got.filename, 'my file ä.png', disposition);
    }
  });

  it('strips path components from the file name', async () => {
    for (const disposition of ['filename="C:\\x\\a.png"', 'filename=C:\\x\\a.png', 'filename=../a.png', 'filename="/etc/../a.png"']) {
      const got = await receive(chunked(form(B, {}, fileHeader(disposition), Buffer.from('x'))), `multipart/form-data; boundary=${B}`);
      assert.equal(got.filename, 'a.png', disposition);
    }
  });
});

describe('readUpload: bytes across chunk boundaries', () => {
  // Data full of near-delimiters: CRLF--, the boundary missing its last character, and a tail that
  // is a delimiter prefix, so a split anywhere tests the holdback.
  const tricky = Buffer.concat([
    Buffer.from(`\r\n--\r\n-\r\r\n--${B.slice(0, -1)}\r\n--${B.slice(0, 4)}`),
    randomBytes(5000, 7),
    Buffer.from(`--${B}\r\n\r\r\n--${B.slice(0, -1)}`),
  ]);
  const body = form(B, { expires: '123' }, fileHeader('filename=t.bin'), tricky);
  const contentType = `multipart/form-data; boundary=${B}`;

  it('gives identical bytes when the body comes one byte at a time', async () => {
    const got = await receive(chunked(body, () => 1), contentType);
    assert.equal(got.bytes, tricky.length);
    assert.equal(got.sha, sha(tricky));
    assert.deepEqual(got.fields, { expires: '123' });
  });

  it('gives identical bytes for random chunk sizes (seeds 1 to 40)', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const next = random(seed);
      const got = await receive(chunked(body, () => Math.floor(next() * 40) + 1), contentType);
      assert.equal(got.sha, sha(tricky), `seed ${seed}`);
      assert.equal(got.filename, 't.bin');
    }
  });

  it('skips a preamble and reads an empty file', async () => {
    const got = await receive(chunked(Buffer.concat([Buffer.from('ignored preamble\r\n'), form(B, {}, fileHeader('filename=e.txt'), Buffer.alloc(0))])), contentType);
    assert.equal(got.bytes, 0);
    assert.equal(got.filename, 'e.txt');
  });
});

describe('readUpload: bad bodies', () => {
  const contentType = `multipart/form-data; boundary=${B}`;

  it('fails the file stream, and the upload, when the body ends inside the file', async () => {
    const whole = form(B, {}, fileHeader('filename=a.bin'), randomBytes(4000, 3));
    for (const cut of [whole.length - 200, whole.length - `\r\n--${B}--\r\n`.length, whole.length - 5]) {
      let consumerError: unknown;
      const upload = readUpload(chunked(whole.subarray(0, cut), () => 512), contentType, LIMITS, async (file) => {
        try {
          for await (const chunk of file) void chunk;
        } catch (error) {
          consumerError = error;
          throw error;
        }
        return 'stored';
      });
      await assert.rejects(upload, invalid(/ended before the file part was complete/));
      assert.ok(consumerError instanceof AppError, `cut at ${cut}: the consumer saw no error`);
    }
  });

  it('rejects even when the handler swallows the stream error', async () => {
    const whole = form(B, {}, fileHeader('filename=a.bin'), randomBytes(4000, 3));
    const upload = readUpload(chunked(whole.subarray(0, 3000)), contentType, LIMITS, async (file) => {
      await finished(file.resume()).catch(() => undefined);
      return 'stored';
    });
    await assert.rejects(upload, invalid(/ended before/));
  });

  it('asks for a file part named "file" when there is none', async () => {
    const onlyFields = Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="expires"\r\n\r\n1\r\n--${B}\r\nContent-Disposition: form-data; name="upload"; filename="a.png"\r\n\r\nx\r\n--${B}--\r\n`);
    await assert.rejects(receive(chunked(onlyFields), contentType), invalid(/last part named "file"/));
    await assert.rejects(receive(chunked(Buffer.alloc(0)), contentType), invalid(/last part named "file"/));
  });

  it('rejects a body that is not multipart, or has no boundary', async () => {
    const body = form(B, {}, fileHeader('filename=a'), Buffer.from('x'));
    await assert.rejects(receive(chunked(body), 'application/json'), invalid(/must be a multipart\/form-data body/));
    await assert.rejects(receive(chunked(body), undefined), invalid(/must be a multipart\/form-data body/));
    await assert.rejects(receive(chunked(body), 'multipart/form-data'), invalid(/no boundary parameter/));
    await assert.rejects(receive(chunked(body), 'multipart/form-data; boundary=""'), invalid(/no boundary parameter/));
  });

  it('limits the number and size of fields', async () => {
    const many = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`f${i}`, 'v']));
    await assert.rejects(receive(chunked(form(B, many, fileHeader('filename=a'), Buffer.from('x'))), contentType), invalid(/more than 10 parts before the file/));
    const large = form(B, { policy: 'p'.repeat(1025) }, fileHeader('filename=a'), Buffer.from('x'));
    await assert.rejects(receive(chunked(large, () => 100), contentType), invalid(/"policy" is longer than 1024 bytes/));
    const exact = await receive(chunked(form(B, { policy: 'p'.repeat(1024) }, fileHeader('filename=a'), Buffer.from('x'))), contentType);
    assert.equal(exact.fields.policy?.length, 1024);
  });

  it('reports a boundary string inside a part as malformed', async () => {
    const body = Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="file"; filename=a\r\n\r\nab\r\n--${B}junk\r\n--${B}--\r\n`);
    await assert.rejects(receive(chunked(body), contentType), invalid(/boundary string appears inside a part/));
  });
});

describe('readUpload: around the file', () => {
  const contentType = `multipart/form-data; boundary=${B}`;

  // Timeouts: a reader that stopped draining would leave `finished(body)` pending forever.
  it('collects fields before the file (UTF-8, any order of their own) and ignores parts after it', { timeout: 10_000 }, async () => {
    const after = `--${B}\r\nContent-Disposition: form-data; name="late"\r\n\r\nlate\r\n--${B}\r\nContent-Disposition: form-data; name="file"; filename=second.png\r\n\r\nsecond\r\n--${B}--\r\n`;
    const body = chunked(form(B, { key: 'tasks/ä x', acl: 'private' }, fileHeader('filename=first.png'), Buffer.from('first'), after), () => 7);
    const got = await receive(body, contentType);
    assert.deepEqual(got.fields, { key: 'tasks/ä x', acl: 'private' });
    assert.equal(got.filename, 'first.png');
    assert.equal(got.sha, sha(Buffer.from('first')));
    await finished(body); // the rest was drained, not left hanging
  });

  it('rethrows the handler error and drains the body', { timeout: 10_000 }, async () => {
    const body = chunked(form(B, {}, fileHeader('filename=a'), randomBytes(2_000_000, 5)), () => 65536);
    const refused = new Error('store refused');
    await assert.rejects(readUpload(body, contentType, LIMITS, () => Promise.reject(refused)), (error) => error === refused);
    await finished(body);
    assert.ok(body.readableEnded);
  });

  it('drops the unread rest of the file when the handler returns without reading it', { timeout: 10_000 }, async () => {
    const body = chunked(form(B, {}, fileHeader('filename=a'), randomBytes(2_000_000, 6)), () => 65536);
    let stream: Readable | undefined;
    const result = await readUpload(body, contentType, LIMITS, async (file) => {
      stream = file;
      return 'not needed';
    });
    assert.equal(result, 'not needed');
    assert.ok(stream?.destroyed);
    await finished(body);
  });
});

describe('readUpload: memory stays bounded', () => {
  const SIZE = 20 * 1024 * 1024;
  const CHUNK = 64 * 1024;
  const contentType = `multipart/form-data; boundary=${B}`;
  const head = Buffer.from(`--${B}\r\n${fileHeader('filename=big.bin')}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${B}--\r\n`);
  const block = randomBytes(CHUNK, 11);

  /** A 20 MB body made on demand; `onPull` sees the file bytes the reader has pulled so far. */
  function lazyBody(onPull: (fileBytes: number) => void): Readable {
    let sent = 0;
    return new Readable({
      read() {
        const next = sent === 0 ? head : sent - head.length >= SIZE ? tail : block;
        sent += next.length;
        if (next === block) onPull(sent - head.length);
        this.push(next);
        if (next === tail) this.push(null);
      },
    });
  }

  it('streams a 20 MB file to a slow consumer without reading more than 1 MB ahead of it', async () => {
    let consumed = 0;
    let maxAhead = 0;
    const body = lazyBody((pulled) => (maxAhead = Math.max(maxAhead, pulled - consumed)));
    const got = await readUpload(body, contentType, LIMITS, async (file) => {
      const hash = createHash('sha256');
      // A store slower than the body: one turn of the event loop per chunk.
      for await (const chunk of file as AsyncIterable<Buffer>) {
        hash.update(chunk);
        consumed += chunk.length;
        await new Promise((resolve) => setImmediate(resolve));
      }
      return { consumed, sha: hash.digest('hex') };
    });
    assert.equal(got.consumed, SIZE);
    const expected = createHash('sha256');
    for (let i = 0; i < SIZE / CHUNK; i++) expected.update(block);
    assert.equal(got.sha, expected.digest('hex'));
    assert.ok(maxAhead > 0 && maxAhead < 1024 * 1024, `the reader ran ${maxAhead} bytes ahead of the consumer`);
  });

  it('the scanner holds less than one delimiter between the chunks of a file part', () => {
    let held = 0;
    let data = 0;
    const scanner = new MultipartScanner(B, { partStart: () => undefined, partData: (d) => (data += d.length), partEnd: () => undefined, close: () => undefined });
    scanner.write(head);
    for (let i = 0; i < SIZE / CHUNK; i++) {
      // Ending a chunk in "\r\n--X" makes the scanner hold those bytes back.
      scanner.write(i % 2 === 0 ? block : Buffer.concat([block, Buffer.from(`\r\n--${B.slice(0, 3)}`)]));
      held = Math.max(held, scanner.heldBytes);
    }
    scanner.write(tail);
    assert.ok(scanner.closed);
    assert.ok(held > 0 && held < `\r\n--${B}`.length, `held ${held}`);
    assert.equal(data, SIZE + (SIZE / CHUNK / 2) * `\r\n--${B.slice(0, 3)}`.length);
  });
});
