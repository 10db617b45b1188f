// The markup engine (pandoc, WeasyPrint) through the API, for what the format matrix does not
// cover: no file of the worker reaches an output (LaTeX \input and friends, image paths, raw HTML,
// metadata, WeasyPrint's attachments), the page limit, bad input and option validation.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { convertFile } from '../helpers/convert.js';
import { auth, json, postJson } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);
/** The start of /etc/passwd on every Linux: must never appear in an output. */
const SECRET = 'root:x:0:0';

/** Every entry of a ZIP package (docx, epub) as one string. */
async function zipText(file: string): Promise<string> {
  const { stdout } = await run('unzip', ['-p', file], { encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

describe('markup engine (pandoc) through the API', () => {
  let server: TestServer;
  let dir: string;
  const write = async (name: string, text: string): Promise<string> => {
    const file = path.join(dir, name);
    await writeFile(file, text);
    return file;
  };

  before(async () => {
    await run('pandoc', ['--version']).catch(() => {
      throw new Error('pandoc is not installed: run bash scripts/setup.sh (apt-get install pandoc)');
    });
    await run('/usr/bin/python3', ['-c', 'import weasyprint']).catch(() => {
      throw new Error('WeasyPrint is not installed: run bash scripts/setup.sh (apt-get install weasyprint)');
    });
    server = await startTestServer({ env: { PDF_MAX_PAGES: '2' } });
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-pandoc-'));
  });
  after(async () => {
    await server?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('reads no file named by a LaTeX document (\\input, \\verbatiminput, \\lstinputlisting, \\include)', async () => {
    const tex = await write('leak.tex', '\\documentclass{article}\\begin{document}\\section{Leak}\n\\verbatiminput{/etc/passwd}\n\\lstinputlisting{/etc/passwd}\n\\input{/etc/passwd}\n\\include{/etc/passwd}\n\\end{document}\n');
    // The test has teeth: pandoc without its sandbox does copy the file.
    const unsandboxed = await run('pandoc', ['--from', 'latex', '--to', 'plain', tex]);
    assert.ok(unsandboxed.stdout.includes(SECRET), 'pandoc alone reads \\verbatiminput files');
    for (const outputformat of ['txt', 'md', 'html']) {
      const { status, files } = await convertFile(server, tex, { inputformat: 'tex', outputformat }, dir);
      assert.equal(status.body['step'], 'finished', JSON.stringify(status.body));
      const text = await readFile(files[0] ?? '', 'utf8');
      assert.match(text, /Leak/);
      assert.ok(!text.includes(SECRET), `${outputformat} output holds no /etc/passwd`);
    }
  });

  it('reads no file named by include directives of reStructuredText and Org', async () => {
    const rst = await write('leak.rst', 'Title\n=====\n\n.. include:: /etc/passwd\n\n.. raw:: html\n   :file: /etc/passwd\n');
    const org = await write('leak.org', '* Title\n#+INCLUDE: "/etc/passwd"\n');
    for (const [file, inputformat] of [[rst, 'rst'], [org, 'org']] as const) {
      const { status, files } = await convertFile(server, file, { inputformat, outputformat: 'html' }, dir);
      assert.equal(status.body['step'], 'finished', JSON.stringify(status.body));
      assert.ok(!(await readFile(files[0] ?? '', 'utf8')).includes(SECRET), `${inputformat} include`);
    }
  });

  it('embeds no worker file named by an image, raw HTML or metadata in docx, odt and epub', async () => {
    const md = await write('leak.md', '---\ntitle: Leak\ncover-image: /etc/passwd\ncss: /etc/passwd\n---\n\n# Leak\n\n![passwd](/etc/passwd)\n\n![up](../../../../etc/passwd)\n\n<img src="/etc/passwd">\n\n<video src="file:///etc/passwd" poster="/etc/passwd"></video>\n');
    // The test has teeth: pandoc's writers alone do embed the file.
    const unchecked = path.join(dir, 'unchecked.epub');
    await run('pandoc', ['--from', 'markdown', '--to', 'epub', '--output', unchecked, md]);
    assert.ok((await zipText(unchecked)).includes(SECRET), 'pandoc alone embeds /etc/passwd');
    for (const outputformat of ['docx', 'odt', 'epub']) {
      const { status, files } = await convertFile(server, md, { inputformat: 'md', outputformat }, dir);
      assert.equal(status.body['step'], 'finished', JSON.stringify(status.body));
      const text = await zipText(files[0] ?? '');
      assert.ok(text.length > 1000, `${outputformat} has its parts`);
      assert.ok(!text.includes(SECRET), `${outputformat} output holds no /etc/passwd`);
    }
  });

  it('keeps the images of an odt input in the epub it writes', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC', 'base64');
    await writeFile(path.join(dir, 'dot.png'), png);
    const md = await write('image.md', '# Picture\n\n![a dot](dot.png)\n');
    const odt = path.join(dir, 'image.odt');
    await run('pandoc', ['--from', 'markdown', '--to', 'odt', '--resource-path', dir, '--output', odt, md]);
    const { status, files } = await convertFile(server, odt, { inputformat: 'odt', outputformat: 'epub' }, dir);
    assert.equal(status.body['step'], 'finished', JSON.stringify(status.body));
    const { stdout } = await run('unzip', ['-l', files[0] ?? '']);
    assert.match(stdout, /media\/.*\.png/, 'the extracted image is in the epub');
  });

  it('serves epub → html, odt and rtf (pairs LibreOffice and calibre do not), keeping the text and, in odt and rtf, the images', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC', 'base64');
    await writeFile(path.join(dir, 'dot.png'), png);
    const md = await write('book.md', '---\ntitle: A Book\nlang: en\n---\n\n# Chapter One\n\n![a dot](dot.png)\n\nOnce upon a time.\n');
    const epub = path.join(dir, 'book.epub');
    await run('pandoc', ['--from', 'markdown', '--to', 'epub3', '--resource-path', dir, '--output', epub, md]);
    const types = await json<Array<{ inputformat: string; outputformat: string; converter: string }>>(`${server.baseUrl}/conversiontypes?inputformat=epub`);
    for (const outputformat of ['html', 'odt', 'rtf']) {
      assert.equal(types.body.find((t) => t.outputformat === outputformat)?.converter, 'pandoc', `epub → ${outputformat} is pandoc's`);
      const { status, files } = await convertFile(server, epub, { inputformat: 'epub', outputformat }, dir);
      assert.equal(status.body['step'], 'finished', JSON.stringify(status.body));
      const text = outputformat === 'odt' ? await zipText(files[0] ?? '') : await readFile(files[0] ?? '', 'latin1');
      assert.match(text, /Once upon a time/);
      if (outputformat === 'odt') assert.match((await run('unzip', ['-l', files[0] ?? ''])).stdout, /\.png/, 'the image is in the odt');
      if (outputformat === 'rtf') assert.match(text, /\\pngblip/, 'the image is in the rtf');
    }
  });

  it('lays out a PDF without loading any file or URL (WeasyPrint attachments, images, style sheets)', async () => {
    const md = await write('leak-pdf.md', '# Leak\n\n<a rel="attachment" href="file:///etc/passwd">passwd</a>\n\n<img src="/etc/passwd">\n\n<link rel="stylesheet" href="file:///etc/passwd">\n\n<object data="file:///etc/passwd"></object>\n');
    const { status, files } = await convertFile(server, md, { inputformat: 'md', outputformat: 'pdf', converteroptions: { page_size: 'Letter' } }, dir);
    assert.equal(status.body['step'], 'finished', JSON.stringify(status.body));
    const pdf = await readFile(files[0] ?? '');
    assert.equal(pdf.toString('latin1', 0, 5), '%PDF-');
    assert.ok(!pdf.toString('latin1').includes('/EmbeddedFile'), 'no attachment');
    const { stdout } = await run('mutool', ['draw', '-F', 'txt', '-o', '-', files[0] ?? '']);
    assert.match(stdout, /Leak/);
    assert.ok(!stdout.includes(SECRET));
    const info = await run('mutool', ['info', files[0] ?? '']);
    assert.match(info.stdout, /\[ 0 0 612 792 \]/, 'Letter pages (612 x 792 pt)');
  });

  it('refuses a PDF longer than PDF_MAX_PAGES with a 422 that names the limit', async () => {
    const md = await write('long.md', `# Long\n\n${Array.from({ length: 300 }, (_, i) => `Paragraph ${i} of a long document.`).join('\n\n')}\n`);
    const { status } = await convertFile(server, md, { inputformat: 'md', outputformat: 'pdf' }, dir);
    assert.equal(status.body['step'], 'error', JSON.stringify(status.body));
    assert.equal(status.body['code'], 422);
    assert.match(String(status.body['message']), /PDF_MAX_PAGES/);
  });

  it('fails a notebook that is not JSON with a 422 naming pandoc\'s reason, not a crash', async () => {
    const bad = await write('bad.ipynb', 'this is not a notebook\n');
    const { status } = await convertFile(server, bad, { inputformat: 'ipynb', outputformat: 'md' }, dir);
    assert.equal(status.body['step'], 'error', JSON.stringify(status.body));
    assert.equal(status.body['code'], 422);
    assert.match(String(status.body['message']), /pandoc could not read the ipynb document/);
  });

  it('refuses an option value outside its list with a 400 that names it', async () => {
    const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'md', outputformat: 'html' }, auth());
    const started = await postJson(server.abs(String(created.body['url'])), { input: 'download', file: 'https://example.com/a.md', outputformat: 'html', converteroptions: { highlight_style: '--lua-filter=/x.lua' } });
    assert.equal(started.status, 400);
    assert.match(String(started.body['error']), /highlight_style/);
  });
});
