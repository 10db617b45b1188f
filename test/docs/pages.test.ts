// The README stays one screen that points into docs/, and every relative link of README.md and
// docs/*.md reaches a file of the repository, and its #anchor a heading of that page (GitHub's
// anchors), so moving a section cannot leave a dead link.
import assert from 'node:assert/strict';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { documentationPages } from './code-blocks.js';

const ROOT = new URL('../../', import.meta.url);

/** Markdown without its code blocks, whose `#` lines are comments, not headings. */
const prose = (text: string): string => text.replace(/^\s*```[\s\S]*?^\s*```\s*$/gm, '');

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as dashes, repeats numbered. */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const match of prose(text).matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = (match[1] ?? '').trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    result.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return result;
}

/** `[text](target)` links that stay in the repository (no scheme, no mail). */
const relativeLinks = (text: string): string[] =>
  [...prose(text).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '').filter((target) => !/^[a-z][a-z+.-]*:/i.test(target));

/** What fits a screen or two: what it is, the two commands, one conversion, where next, the pages. */
const README_MAX_LINES = 70;

describe('documentation pages', () => {
  it(`README.md is at most ${README_MAX_LINES} lines, and links the deployment and console pages`, async () => {
    const readme = await readFile(new URL('README.md', ROOT), 'utf8');
    assert.ok(readme.split('\n').length <= README_MAX_LINES, `README.md has ${readme.split('\n').length} lines: move the rest into docs/`);
    for (const page of ['docs/deployment.md', 'docs/console.md']) assert.ok(relativeLinks(readme).includes(page), `README.md links ${page}`);
  });

  it('GitHub anchors are computed as GitHub does', () => {
    assert.deepEqual([...anchors('# A b\n## Several files: `files` and mode=combine\n```sh\n# not a heading\n```\n## A b')], ['a-b', 'several-files-files-and-modecombine', 'a-b-1']);
  });

  it('links reach a file, and a heading of it', async () => {
    const dead: string[] = [];
    for (const page of await documentationPages(ROOT)) {
      const text = await readFile(new URL(page, ROOT), 'utf8');
      for (const link of relativeLinks(text)) {
        const [file = '', anchor] = link.split('#');
        const target = file === '' ? page : path.posix.join(path.posix.dirname(page), file);
        const exists = await access(new URL(target, ROOT)).then(() => true, () => false);
        if (!exists) dead.push(`${page}: ${link} (no file ${target})`);
        else if (anchor !== undefined && target.endsWith('.md') && !anchors(await readFile(new URL(target, ROOT), 'utf8')).has(anchor)) dead.push(`${page}: ${link} (no heading #${anchor} in ${target})`);
      }
    }
    assert.deepEqual(dead, []);
  });
});
