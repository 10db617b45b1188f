// docs/formats.md's table is the one the catalog generates (`npm run docs:formats`).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { breadthInReadme, renderBreadthTable } from '../../src/core/catalog/breadth.js';

describe('formats table in docs/formats.md', () => {
  it('is what `npm run docs:formats` generates from the catalog', async () => {
    const page = await readFile(new URL('../../docs/formats.md', import.meta.url), 'utf8');
    const committed = breadthInReadme(page);
    assert.ok(committed !== undefined, 'docs/formats.md lacks the formats markers');
    assert.equal(committed, renderBreadthTable(), "docs/formats.md's table differs from the catalog: run `npm run docs:formats` and commit docs/formats.md");
  });
});
