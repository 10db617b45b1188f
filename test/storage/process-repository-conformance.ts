// The conformance suite of ProcessRepository and its change feed: Redis in every server, memory in
// the fast API tests. Both must pass it, so the fast tests see the rules the server applies.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../src/core/errors.js';
import { ProcessEvents, type ChangeFeed } from '../../src/core/process/events.js';
import { newId } from '../../src/core/process/ids.js';
import type { ProcessRecord } from '../../src/core/process/record.js';
import type { ProcessRepository } from '../../src/core/process/repository.js';

export interface RepositoryUnderTest {
  readonly repository: ProcessRepository;
  /** The feed of this repository's changes (a fresh one: the suite closes it). */
  readonly feed: ChangeFeed;
  cleanup(): Promise<void>;
}

function recordOf(fields: Partial<ProcessRecord> = {}): ProcessRecord {
  return {
    id: newId(),
    owner: 'owner-a',
    host: 'example.test',
    scheme: 'http',
    createdAt: 1000,
    mode: 'convert',
    inputFormat: 'png',
    outputFormat: undefined,
    step: 'input',
    percent: 0,
    message: 'Waiting for start',
    started: false,
    expire: 2000,
    save: false,
    timeoutSeconds: 60,
    uploadToken: newId(),
    downloadToken: newId(),
    ...fields,
  };
}

/** Resolves once `condition` holds; fails after two seconds. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 2 s');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export function runProcessRepositoryConformance(name: string, create: () => Promise<RepositoryUnderTest>): void {
  describe(`ProcessRepository conformance: ${name}`, () => {
    let subject: RepositoryUnderTest;
    let repo: ProcessRepository;
    before(async () => {
      subject = await create();
      repo = subject.repository;
    });
    after(() => subject.cleanup());

    it('reads back what it stored, as a copy, without the undefined fields; unknown and malformed ids are absent', async () => {
      const record = recordOf({ tag: { nested: [1, 'two', null] } });
      await repo.create(record, 60);
      const read = await repo.get(record.id);
      assert.deepEqual(read, JSON.parse(JSON.stringify(record)));
      assert.equal('outputFormat' in (read ?? {}), false);
      assert.equal(await repo.get(newId()), undefined);
      assert.equal(await repo.get('../not-an-id'), undefined);
      await assert.rejects(repo.require(newId()), (error: unknown) => error instanceof AppError && error.code === 'PROCESS_NOT_FOUND');
    });

    it('resolves each token to its process and kind only', async () => {
      const record = recordOf();
      await repo.create(record, 60);
      assert.equal(await repo.resolveToken(record.uploadToken, 'upload'), record.id);
      assert.equal(await repo.resolveToken(record.downloadToken, 'download'), record.id);
      assert.equal(await repo.resolveToken(record.uploadToken, 'download'), undefined);
      assert.equal(await repo.resolveToken(newId(), 'upload'), undefined);
    });

    it('updates along the step machine, refuses a move it does not allow, and reports a missing process', async () => {
      const record = recordOf();
      await repo.create(record, 60);
      assert.deepEqual(await repo.update(record.id, { step: 'wait', message: 'queued' }), { ok: true });
      assert.deepEqual(await repo.update(record.id, { step: 'finished' }), { ok: false, reason: 'wrong-step', step: 'wait' });
      assert.deepEqual(await repo.update(record.id, { message: 'only from input' }, { fromSteps: ['input'] }), { ok: false, reason: 'wrong-step', step: 'wait' });
      assert.deepEqual(await repo.update(record.id, { percent: 50 }), { ok: true }, 'no step in the patch: any step');
      assert.deepEqual(await repo.update(newId(), { percent: 1 }), { ok: false, reason: 'missing' });
      const read = await repo.require(record.id);
      assert.deepEqual([read.step, read.message, read.percent], ['wait', 'queued', 50]);
    });

    it('answers the record as its update left it, or the same refusal as update', async () => {
      const record = recordOf({ tag: 'kept' });
      await repo.create(record, 60);
      const updated = await repo.updateAndGet(record.id, { step: 'wait', message: 'queued', input: { type: 'upload', filename: 'a.png', name: 'a', ext: 'png', size: 3 } });
      assert.equal(updated.ok, true);
      assert.deepEqual(updated.ok ? updated.record : undefined, await repo.require(record.id));
      assert.deepEqual(updated.ok ? [updated.record.step, updated.record.message, updated.record.tag, updated.record.input?.size] : [], ['wait', 'queued', 'kept', 3]);
      assert.deepEqual(await repo.updateAndGet(record.id, { step: 'finished' }), { ok: false, reason: 'wrong-step', step: 'wait' });
      assert.deepEqual(await repo.updateAndGet(newId(), { percent: 1 }), { ok: false, reason: 'missing' });
    });

    // One test for the feed: closing the events closes it.
    it('wakes a waiter on the change it waits for, and with undefined when the process is deleted; a wait for the end reads only on a change into a final step or a deletion', async () => {
      let reads = 0;
      const counting = { get: (id: string) => ((reads += 1), repo.get(id)) };
      const events = new ProcessEvents(subject.feed, counting);
      try {
        const record = recordOf();
        await repo.create(record, 60);
        const failed = events.waitFor(record.id, (r) => r.step === 'error');
        await repo.update(record.id, { step: 'wait' });
        await repo.update(record.id, { step: 'error', message: 'failed' });
        assert.equal((await failed)?.message, 'failed');
        const gone = events.waitFor(record.id, () => false);
        await repo.delete(await repo.require(record.id));
        assert.equal(await gone, undefined);

        const converted = recordOf();
        await repo.create(converted, 60);
        reads = 0;
        const finished = events.waitForFinal(converted.id);
        await until(() => reads === 1);
        // Each change is delivered before the next, so a waiter that read on every change would read on each.
        const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
        for (const step of ['wait', 'convert', 'output'] as const) await repo.update(converted.id, { step, percent: 0 }).then(settle);
        await repo.update(converted.id, { percent: 50 }).then(settle);
        await repo.update(converted.id, { step: 'finished', message: 'done' });
        assert.equal((await finished)?.message, 'done');
        assert.equal(reads, 2, 'one read at the start, one on the change into finished');
        const deleted = recordOf();
        await repo.create(deleted, 60);
        const deletion = events.waitForFinal(deleted.id);
        await until(() => reads === 3);
        await repo.update(deleted.id, { step: 'wait' });
        await repo.delete(deleted);
        assert.equal(await deletion, undefined);
        assert.equal(reads, 4);
      } finally {
        await events.close();
      }
    });

    it('delete removes the record, its tokens and its place in the owner list and the expiry index', async () => {
      const record = recordOf({ owner: 'owner-delete', expire: 10 });
      await repo.create(record, 60);
      await repo.delete(record);
      assert.equal(await repo.get(record.id), undefined);
      assert.equal(await repo.resolveToken(record.uploadToken, 'upload'), undefined);
      assert.deepEqual(await repo.listByOwner('owner-delete', 10), []);
      assert.equal((await repo.dueForExpiry(20, 100)).includes(record.id), false);
    });

    it("lists an owner's processes newest first, within the limit", async () => {
      const older = recordOf({ owner: 'owner-list', createdAt: 100 });
      const newer = recordOf({ owner: 'owner-list', createdAt: 200 });
      await repo.create(older, 60);
      await repo.create(newer, 60);
      await repo.create(recordOf({ owner: 'someone-else' }), 60);
      assert.deepEqual((await repo.listByOwner('owner-list', 10)).map((r) => r.id), [newer.id, older.id]);
      assert.deepEqual((await repo.listByOwner('owner-list', 1)).map((r) => r.id), [newer.id]);
    });

    it('gives each claim once until released, and each download once per file', async () => {
      const id = newId();
      assert.equal(await repo.claim(id, 'start', 60), true);
      assert.equal(await repo.claim(id, 'start', 60), false);
      assert.equal(await repo.claim(id, 'upload', 60), true, 'claims of other kinds are apart');
      await repo.releaseClaim(id, 'start');
      assert.equal(await repo.claim(id, 'start', 60), true);
      assert.equal(await repo.claimDownload(id, 'a.png', 60), true);
      assert.equal(await repo.claimDownload(id, 'a.png', 60), false);
      assert.equal(await repo.claimDownload(id, 'b.png', 60), true);
      assert.equal(await repo.downloadCount(id), 2);
      await repo.releaseDownload(id, 'a.png');
      assert.equal(await repo.downloadCount(id), 1);
      assert.equal(await repo.claimDownload(id, 'a.png', 60), true);
    });

    it('takes the start claim with the record when asked, and only then', async () => {
      const started = recordOf();
      await repo.create(started, 60, { claimStartSeconds: 60 });
      assert.equal(await repo.claim(started.id, 'start', 60), false, 'claimed by the create');
      assert.equal(await repo.claim(started.id, 'upload', 60), true);
      await repo.releaseClaim(started.id, 'start');
      assert.equal(await repo.claim(started.id, 'start', 60), true);
      const plain = recordOf();
      await repo.create(plain, 60);
      assert.equal(await repo.claim(plain.id, 'start', 60), true);
    });

    it('lists the processes due for expiry at a time, earliest first, until forgotten', async () => {
      const soon = recordOf({ expire: 5_000_001 });
      const later = recordOf({ expire: 5_000_002 });
      const notYet = recordOf({ expire: 5_000_100 });
      for (const record of [later, notYet, soon]) await repo.create(record, 60);
      const due = (await repo.dueForExpiry(5_000_050, 1000)).filter((id) => [soon.id, later.id, notYet.id].includes(id));
      assert.deepEqual(due, [soon.id, later.id]);
      await repo.update(soon.id, { expire: 5_000_200 });
      await repo.forgetExpiry(later.id);
      assert.deepEqual((await repo.dueForExpiry(5_000_050, 1000)).filter((id) => [soon.id, later.id].includes(id)), []);
    });
  });
}
