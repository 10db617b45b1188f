// docs/formats.md's tables are the ones the catalog generates (`npm run docs:formats`).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { breadthInReadme, renderFormatsPage } from '../../src/core/catalog/breadth.js';

describe('formats tables in docs/formats.md', () => {
  it('are what `npm run docs:formats` generates from the catalog', async () => {
    const page = await readFile(new URL('../../docs/formats.md', import.meta.url), 'utf8');
    const committed = breadthInReadme(page);
    assert.ok(committed !== undefined, 'docs/formats.md lacks the formats markers');
    assert.equal(committed, renderFormatsPage(), "docs/formats.md's table differs from the catalog: run `npm run docs:formats` and commit docs/formats.md");
  });
});
