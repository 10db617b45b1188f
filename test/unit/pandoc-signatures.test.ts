// The markup formats' signatures hold for real files: what pandoc writes in each format is text
// (no NUL byte in its first 1024 bytes), as { text: true } declares, and a binary file is not.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { FORMATS } from '../../src/core/catalog/index.js';
import { MARKUP_OUTPUTS } from '../../src/core/catalog/engines/pandoc.js';
import { PANDOC_WRITERS } from '../../workers/converters/pandoc/command.js';

const run = promisify(execFile);
/** The { text: true } rule: no NUL byte in the first 1024 bytes. */
const isText = (head: Buffer): boolean => !head.subarray(0, 1024).includes(0);

describe('markup format signatures', () => {
  let dir: string;
  before(async () => {
    await run('pandoc', ['--version']).catch(() => {
      throw new Error('pandoc is not installed: run bash scripts/setup.sh (apt-get install pandoc)');
    });
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-pandoc-sig-'));
  });
  after(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('declares every markup format as text, and pandoc writes text in each', async () => {
    const md = path.join(dir, 'in.md');
    await writeFile(md, '# Heading\n\nSome *text* with ünïcödé.\n');
    for (const format of MARKUP_OUTPUTS) {
      assert.deepEqual(FORMATS[format].signature, { text: true }, format);
      const out = path.join(dir, `out.${format}`);
      await run('pandoc', ['-s', '--from', 'markdown', '--to', PANDOC_WRITERS[format] ?? '', '--output', out, md]);
      assert.ok(isText(await readFile(out)), `${format} written by pandoc is text`);
    }
    const docx = path.join(dir, 'out.docx');
    await run('pandoc', ['--from', 'markdown', '--to', 'docx', '--output', docx, md]);
    assert.equal(isText(await readFile(docx)), false, 'a docx (ZIP) is not text');
  });
});
