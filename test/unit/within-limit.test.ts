// The size limit every input adapter writes under (workers/inputs/within-limit.ts), on real
// files: an announced size over the limit is refused before a byte is written, a source that
// lies (or announces nothing) is stopped by counting, and a failed receive leaves a closed file
// the caller can remove.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../src/core/errors.js';
import { receiveWithinLimit, refuseAnnouncedSize, writeWithinLimit } from '../../workers/inputs/within-limit.js';

const tooLarge = (error: unknown): boolean => error instanceof AppError && error.code === 'TOO_LARGE';

describe('input size limit', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-within-limit-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('refuses an announced size over the limit and closes the source', () => {
    let destroyed = false;
    assert.throws(() => refuseAnnouncedSize(11, 10, { destroy: () => (destroyed = true) }), (error) => tooLarge(error) && /11 bytes.*limit of 10 bytes/.test((error as Error).message));
    assert.equal(destroyed, true);
  });

  it('lets through a size at the limit, a missing size and a size that is not a number', () => {
    for (const size of [10, undefined, Number.NaN]) assert.doesNotThrow(() => refuseAnnouncedSize(size, 10));
  });

  it('writes a stream within the limit and counts its bytes', async () => {
    const file = path.join(dir, 'ok.bin');
    assert.equal(await writeWithinLimit(Readable.from([Buffer.alloc(6), Buffer.alloc(4)]), file, 10), 10);
    assert.equal((await readFile(file)).length, 10);
  });

  it('stops a stream that passes the limit without announcing its size', async () => {
    const file = path.join(dir, 'big.bin');
    await assert.rejects(writeWithinLimit(Readable.from([Buffer.alloc(6), Buffer.alloc(6)]), file, 10), tooLarge);
  });

  it('counts what a client writes into the sink, and stops it past the limit', async () => {
    const file = path.join(dir, 'received.bin');
    const bytes = await receiveWithinLimit(file, 10, async (sink: Writable) => {
      await new Promise<void>((resolve, reject) => sink.end(Buffer.alloc(7), (error?: Error | null) => (error ? reject(error) : resolve())));
    });
    assert.equal(bytes, 7);
    const big = path.join(dir, 'received-big.bin');
    await assert.rejects(
      receiveWithinLimit(big, 10, (sink: Writable) => new Promise<void>((resolve, reject) => sink.on('error', reject).end(Buffer.alloc(11), () => resolve()))),
      tooLarge,
    );
  });

  it("passes a failed receive's own error on, with the file closed so it can be removed", async () => {
    const file = path.join(dir, 'failed.bin');
    await assert.rejects(
      receiveWithinLimit(file, 10, async (sink: Writable) => {
        sink.write(Buffer.alloc(3));
        throw new Error('connection reset');
      }),
      /connection reset/,
    );
    await unlink(file);
    assert.equal(existsSync(file), false);
  });
});
