// The README's formats table is the one the catalog generates (`npm run docs:formats`).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { breadthInReadme, renderBreadthTable } from '../../src/core/catalog/breadth.js';

describe('README formats table', () => {
  it('is what `npm run docs:formats` generates from the catalog', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const committed = breadthInReadme(readme);
    assert.ok(committed !== undefined, 'README.md lacks the formats markers');
    assert.equal(committed, renderBreadthTable(), "README.md's formats table differs from the catalog: run `npm run docs:formats` and commit README.md");
  });
});
