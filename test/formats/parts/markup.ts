// The markup formats of the pandoc engine: samples written as text by the test (a notebook made by
// pandoc), and outputs proven by a real parse: pandoc reads each back into its document tree and
// the sample's heading must be a heading there (AsciiDoc, which pandoc 2.17 cannot read, goes
// through asciidoc's DocBook first).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Format } from '../../../src/core/catalog/index.js';
import type { CheckedPair, FormatPart, OutputCheck, SampleMaker } from '../types.js';

const run = promisify(execFile);

/** The heading every markup sample has, and that its conversions must keep as a heading. */
export const SAMPLE_HEADING = 'Markup Sample Heading';

const SAMPLE_TEXT: Readonly<Record<string, string>> = {
  md: `# ${SAMPLE_HEADING}\n\nA paragraph with *emphasis* and \`code\`.\n\n- first item\n- second item\n\n\`\`\`python\nprint("hello")\n\`\`\`\n`,
  rst: `${SAMPLE_HEADING}\n${'='.repeat(SAMPLE_HEADING.length)}\n\nA paragraph with *emphasis* and \`\`code\`\`.\n\n- first item\n- second item\n`,
  org: `* ${SAMPLE_HEADING}\n\nA paragraph with /emphasis/ and =code=.\n\n- first item\n- second item\n`,
  textile: `h1. ${SAMPLE_HEADING}\n\nA paragraph with _emphasis_ and @code@.\n\n* first item\n* second item\n`,
  mediawiki: `= ${SAMPLE_HEADING} =\n\nA paragraph with ''emphasis'' and <code>code</code>.\n\n* first item\n* second item\n`,
  docbook: `<?xml version="1.0" encoding="utf-8"?>\n<article xmlns="http://docbook.org/ns/docbook" version="5.0">\n<section>\n<title>${SAMPLE_HEADING}</title>\n<para>A paragraph with <emphasis>emphasis</emphasis>.</para>\n<itemizedlist><listitem><para>first item</para></listitem><listitem><para>second item</para></listitem></itemizedlist>\n</section>\n</article>\n`,
  tex: `\\documentclass{article}\n\\begin{document}\n\\section{${SAMPLE_HEADING}}\nA paragraph with \\emph{emphasis} and $x^2$.\n\\begin{itemize}\n\\item first item\n\\item second item\n\\end{itemize}\n\\end{document}\n`,
};

const EXTENSIONS: Readonly<Record<string, string>> = { md: 'md', rst: 'rst', org: 'org', textile: 'textile', mediawiki: 'wiki', docbook: 'xml', tex: 'tex' };

const written = (format: string): SampleMaker => async (dir) => {
  const file = path.join(dir, `sample.${EXTENSIONS[format] ?? format}`);
  await writeFile(file, SAMPLE_TEXT[format] ?? '');
  return file;
};

/** A Jupyter notebook written by pandoc from the Markdown sample (a markdown cell and a code cell). */
const notebook: SampleMaker = async (dir) => {
  const md = await written('md')(dir);
  const file = path.join(dir, 'sample.ipynb');
  await run('pandoc', ['--from', 'markdown', '--to', 'ipynb', '--output', file, md]);
  return file;
};

/** pandoc's readers of the formats the checks read back (inputs of the matrix included). */
const READERS: Readonly<Partial<Record<Format, string>>> = {
  md: 'markdown', rst: 'rst', org: 'org', textile: 'textile', mediawiki: 'mediawiki', docbook: 'docbook', tex: 'latex', ipynb: 'ipynb',
  html: 'html', docx: 'docx', odt: 'odt', epub: 'epub',
};

interface Node {
  t?: string;
  c?: unknown;
}

/** The text of a part of pandoc's tree, words joined by single spaces. */
function textOf(node: unknown): string {
  if (Array.isArray(node)) return node.map(textOf).filter((s) => s !== '').join(' ');
  if (typeof node !== 'object' || node === null) return '';
  const { t, c } = node as Node;
  if (t === 'Str' && typeof c === 'string') return c;
  if (t === 'Code' && Array.isArray(c)) return String(c[1]);
  return textOf(c);
}

/** Every heading's text in a document read by pandoc. */
async function headingsOf(file: string, reader: string): Promise<string[]> {
  const { stdout } = await run('pandoc', ['--from', reader, '--to', 'json', file], { maxBuffer: 64 * 1024 * 1024 });
  const headings: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      const { t, c } = node as Node;
      if (t === 'Header' && Array.isArray(c)) headings.push(textOf(c[2]).replace(/\s+/g, ' ').trim());
      else walk(c);
    }
  };
  const document = JSON.parse(stdout) as { blocks: unknown; meta: { title?: unknown } };
  walk(document.blocks);
  // A lone top-level heading may be read as the document's title (reStructuredText, standalone).
  if (document.meta.title !== undefined) headings.push(textOf(document.meta.title).replace(/\s+/g, ' ').trim());
  return headings;
}

/** The heading the output must keep: the sample's first, as pandoc reads the sample. */
async function expectedHeading(pair: CheckedPair): Promise<string> {
  const reader = READERS[pair.input];
  if (reader === undefined) throw new Error(`no reader for the ${pair.input} sample`);
  const [first] = await headingsOf(pair.sample, reader);
  assert.ok(first !== undefined && first !== '', `the ${pair.input} sample has a heading`);
  return first;
}

/** Text (no NUL in its start), read back by pandoc's `reader`, with the sample's heading as a heading. */
function readBack(reader: string, signature?: (text: string) => void): OutputCheck {
  return async (files, pair) => {
    assert.equal(files.length, 1, 'one output file');
    const file = files[0] ?? '';
    const text = await readFile(file, 'utf8');
    assert.ok(text.length > 0 && !text.slice(0, 1024).includes('\u0000'), 'the output is text');
    signature?.(text);
    const headings = await headingsOf(file, reader);
    const expected = await expectedHeading(pair);
    assert.ok(headings.includes(expected), `heading "${expected}" among the output's headings ${JSON.stringify(headings)}`);
  };
}

/** AsciiDoc: asciidoc (the Python implementation) turns it into DocBook, which pandoc reads back. */
const asciidocCheck: OutputCheck = async (files, pair) => {
  const file = files[0] ?? '';
  assert.match(await readFile(file, 'utf8'), /^=+ \S/m, 'AsciiDoc section titles');
  const docbook = `${file}.xml`;
  // Debian's asciidoc runs on the system Python (a PATH with another python3 first lacks its module).
  await run('asciidoc', ['--backend', 'docbook5', '--out-file', docbook, file], { env: { ...process.env, PATH: `/usr/bin:${process.env['PATH'] ?? ''}` } });
  const headings = await headingsOf(docbook, 'docbook');
  const expected = await expectedHeading(pair);
  assert.ok(headings.includes(expected), `heading "${expected}" among the AsciiDoc output's headings ${JSON.stringify(headings)}`);
};

export const MARKUP_PART: FormatPart = {
  name: 'markup documents (pandoc)',
  samples: {
    md: written('md'),
    rst: written('rst'),
    org: written('org'),
    textile: written('textile'),
    mediawiki: written('mediawiki'),
    docbook: written('docbook'),
    tex: written('tex'),
    ipynb: notebook,
  },
  checks: {
    md: readBack('markdown'),
    rst: readBack('rst'),
    org: readBack('org'),
    textile: readBack('textile'),
    mediawiki: readBack('mediawiki'),
    docbook: readBack('docbook', (text) => assert.match(text, /<(article|book|section)\b/, 'a DocBook root element')),
    tex: readBack('latex', (text) => assert.match(text, /\\begin\{document\}/, 'a complete LaTeX document')),
    ipynb: readBack('ipynb', (text) => assert.equal(typeof (JSON.parse(text) as { nbformat?: unknown }).nbformat, 'number', 'a notebook (nbformat)')),
    asciidoc: asciidocCheck,
  },
  optionSamples: { pandoc: { input: 'md', output: 'html', options: { toc: true, number_sections: true, highlight_style: 'zenburn' } } },
  tools: ['pandoc', 'asciidoc'],
};
