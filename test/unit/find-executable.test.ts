// findExecutable, which lets a warm start skip a pool whose tool is not installed: a path is
// taken as it is, a bare name is looked up in the tools' PATH; folders and plain files are not tools.
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findExecutable } from '../../workers/tools/find-executable.js';

describe('findExecutable', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-find-exec-'));
    for (const sub of ['a', 'b']) await mkdir(path.join(dir, sub));
    await writeFile(path.join(dir, 'a', 'plain'), 'not executable');
    await writeFile(path.join(dir, 'b', 'plain'), '#!/bin/sh\n');
    await chmod(path.join(dir, 'b', 'plain'), 0o755);
    await mkdir(path.join(dir, 'a', 'folder'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds a bare name in the first folder of the search path that has it executable', async () => {
    assert.equal(await findExecutable('plain', `${path.join(dir, 'a')}:${path.join(dir, 'b')}`), path.join(dir, 'b', 'plain'));
    assert.equal(await findExecutable('plain', path.join(dir, 'a')), undefined, 'not executable');
    assert.equal(await findExecutable('folder', path.join(dir, 'a')), undefined, 'a folder is no tool');
    assert.equal(await findExecutable('plain', ''), undefined);
  });

  it('takes a path as it is, whatever the search path', async () => {
    assert.equal(await findExecutable(path.join(dir, 'b', 'plain'), ''), path.join(dir, 'b', 'plain'));
    assert.equal(await findExecutable(path.join(dir, 'b', 'missing'), path.join(dir, 'b')), undefined);
    assert.equal(await findExecutable(path.join(dir, 'a', 'plain'), path.join(dir, 'b')), undefined);
  });
});
