// The fenced code blocks of the markdown pages, with the "not run" marker a block may carry on
// the line before it. The docs harness (examples.test.ts) runs or checks each of them.
import { readdir, readFile } from 'node:fs/promises';

export interface CodeBlock {
  /** The page, relative to the repository root (`docs/api-v1.md`). */
  readonly page: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The fence's info string (`sh`, `js`, ...); empty for a bare fence. */
  readonly lang: string;
  /** The block's text, without the fences and without the indentation of an indented fence. */
  readonly code: string;
  /** Set when the line before the fence is `<!-- not run: <why>; covered by <test file> -->`. */
  readonly notRun?: { readonly why: string; readonly coveredBy: string };
}

const FENCE = /^(\s*)```(\S*)\s*$/;
const NOT_RUN = /^<!-- not run: (.+); covered by (\S+) -->$/;

/** Every fenced block of `text`; an unclosed fence is an error, so no block goes unseen. */
export function codeBlocks(page: string, text: string): CodeBlock[] {
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (open === null) continue;
    const indent = open[1] ?? '';
    const end = lines.findIndex((line, j) => j > i && line.trim() === '```');
    if (end < 0) throw new Error(`${page}:${i + 1}: the code block is never closed`);
    const code = lines.slice(i + 1, end).map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line)).join('\n');
    const before = lines.slice(0, i).reverse().find((line) => line.trim() !== '')?.trim() ?? '';
    const marker = NOT_RUN.exec(before);
    if (marker === null && before.startsWith('<!-- not run')) throw new Error(`${page}:${i}: write the marker as <!-- not run: <why>; covered by <test file> -->`);
    const notRun = marker === null ? undefined : { why: marker[1] ?? '', coveredBy: marker[2] ?? '' };
    blocks.push({ page, line: i + 1, lang: open[2] ?? '', code, ...(notRun === undefined ? {} : { notRun }) });
    i = end;
  }
  return blocks;
}

/** README.md and every docs/*.md, so pages added later are picked up without a list to update. */
export async function documentationPages(root: URL): Promise<string[]> {
  const docs = (await readdir(new URL('docs/', root))).filter((name) => name.endsWith('.md')).sort();
  return ['README.md', ...docs.map((name) => `docs/${name}`)];
}

export async function allCodeBlocks(root: URL): Promise<CodeBlock[]> {
  const pages = await documentationPages(root);
  const texts = await Promise.all(pages.map((page) => readFile(new URL(page, root), 'utf8')));
  return pages.flatMap((page, i) => codeBlocks(page, texts[i] ?? ''));
}
