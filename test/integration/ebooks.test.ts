// The ebook engine (calibre) through the API: each main pair checked with calibre's own readers
// (ebook-meta), epub structure, pdf pages, title/authors and page options, a corrupt epub, a bad
// option, and that a book's remote and local references are never fetched.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import yazl from 'yazl';
import { convertFile } from '../helpers/convert.js';
import { makePdf, pdfPages, pdfText } from '../helpers/documents.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { auth, postJson } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { docxParts, zipBytes } from '../helpers/zip-bytes.js';

const run = promisify(execFile);

const TITLE = 'The Test Book';
const AUTHORS = 'Ann Author & Bob Writer';
const CHAPTER = 'The quick brown fox jumps over the lazy dog near the riverbank.';

describe('ebook engine through the API', () => {
  let server: TestServer;
  let fixtures: FixtureServer;
  let dir: string;
  let epub: string;
  /** Outputs made from `epub`, reused as inputs by later tests. */
  const made = new Map<string, string>();
  const out = async (): Promise<string> => mkdtemp(path.join(dir, 'out-'));

  /** calibre's tools run by the test itself, with their config in the test folder, not in ~. */
  const calibreEnv = (): NodeJS.ProcessEnv => ({ ...process.env, HOME: path.join(dir, 'home'), CALIBRE_CONFIG_DIRECTORY: path.join(dir, 'home', 'config'), XDG_CACHE_HOME: path.join(dir, 'home', 'cache') });

  /** Title and authors as calibre's ebook-meta reads them. */
  async function meta(file: string): Promise<{ title: string; authors: string }> {
    const { stdout } = await run('ebook-meta', [file], { env: calibreEnv() });
    const field = (name: string): string => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(stdout)?.[1]?.trim() ?? '';
    // Some readers add the author sort in brackets: "Ann Author [Author, Ann]".
    return { title: field('Title'), authors: field('Author\\(s\\)').replace(/\s*\[[^\]]*\]$/, '') };
  }

  /** Converts and asserts success; returns the one output file. */
  async function convert(file: string, inputformat: string, outputformat: string, converteroptions: Record<string, unknown> = {}): Promise<string> {
    const result = await convertFile(server, file, { inputformat, outputformat, converteroptions }, await out());
    assert.equal(result.status.body['step'], 'finished', `${inputformat} → ${outputformat}: ${String(result.status.body['message'])}`);
    assert.equal(result.files.length, 1);
    return result.files[0] ?? '';
  }

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-ebook-'));
    await run('ebook-convert', ['--version'], { env: calibreEnv() }).catch(() => {
      throw new Error('calibre is missing: run `bash scripts/setup.sh` (apt-get install calibre).');
    });
    server = await startTestServer();
    fixtures = await startFixtureServer();
    const text = path.join(dir, 'novel.txt');
    await writeFile(text, ['Chapter One', '', CHAPTER, '', 'Chapter Two', '', 'More text in the second chapter.', ''].join('\n'));
    epub = await convert(text, 'txt', 'epub', { title: TITLE, authors: AUTHORS });
  });
  after(async () => {
    await server?.stop();
    await fixtures?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('makes a valid epub from txt, with the title and authors given', async () => {
    const bytes = await readFile(epub);
    // OCF: the first entry is an uncompressed "mimetype" holding application/epub+zip.
    assert.equal(bytes.toString('latin1', 30, 38), 'mimetype');
    assert.equal(bytes.toString('latin1', 38, 58), 'application/epub+zip');
    const { stdout: listing } = await run('unzip', ['-l', epub]);
    assert.match(listing, /META-INF\/container\.xml/);
    const { stdout: container } = await run('unzip', ['-p', epub, 'META-INF/container.xml']);
    assert.match(container, /rootfile full-path="[^"]+\.opf"/);
    assert.deepEqual(await meta(epub), { title: TITLE, authors: AUTHORS });
    assert.equal(path.basename(epub), 'novel.epub');
  });

  it('converts the epub to mobi, azw3, fb2 and docx, keeping the metadata', async () => {
    for (const format of ['mobi', 'azw3', 'fb2', 'docx']) {
      const file = await convert(epub, 'epub', format);
      made.set(format, file);
      assert.equal(path.extname(file), `.${format}`);
      assert.deepEqual(await meta(file), { title: TITLE, authors: AUTHORS }, format);
    }
  });

  it('converts the epub to pdf and txt', async () => {
    const pdf = await convert(epub, 'epub', 'pdf');
    assert.ok((await pdfPages(pdf)) >= 1);
    assert.match((await pdfText(pdf)).replace(/\s+/g, ' '), /quick brown fox/);
    const txt = await readFile(await convert(epub, 'epub', 'txt'), 'utf8');
    assert.match(txt, /quick brown fox/);
    assert.match(txt, /second chapter/);
  });

  it('reads mobi, azw3, fb2, docx and pdf into epub', async () => {
    const from = async (format: string): Promise<string> => made.get(format) ?? convert(epub, 'epub', format);
    const mobi = await from('mobi');
    assert.deepEqual(await meta(await convert(mobi, 'mobi', 'epub')), { title: TITLE, authors: AUTHORS });
    const azw3 = await from('azw3');
    assert.equal((await meta(await convert(azw3, 'azw3', 'fb2'))).title, TITLE);
    const docx = await from('docx');
    const fromDocx = await convert(docx, 'docx', 'epub', { title: 'From Word' });
    assert.equal((await meta(fromDocx)).title, 'From Word');
    const pdf = path.join(dir, 'pages.pdf');
    await makePdf(pdf, 2);
    const fromPdf = await convert(pdf, 'pdf', 'epub');
    const { stdout } = await run('unzip', ['-p', fromPdf, '*.html', '*.xhtml']).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
    assert.match(stdout, /Page 2 text/);
  });

  it('keeps a title that looks like an option as the title', async () => {
    const file = await convert(epub, 'epub', 'azw3', { title: '--authors=Mallory', authors: '-x' });
    assert.deepEqual(await meta(file), { title: '--authors=Mallory', authors: '-x' });
  });

  it('applies base_font_size and margins to pdf pages', async () => {
    const long = path.join(dir, 'long.txt');
    await writeFile(long, Array.from({ length: 60 }, (_, i) => `Paragraph ${i}. ${CHAPTER} ${CHAPTER}`).join('\n\n'));
    const book = await convert(long, 'txt', 'epub');
    const plain = await pdfPages(await convert(book, 'epub', 'pdf', { margin_top: 10, margin_bottom: 10, margin_left: 10, margin_right: 10 }));
    const roomy = await pdfPages(await convert(book, 'epub', 'pdf', { base_font_size: 24, margin_top: 150, margin_bottom: 150, margin_left: 120, margin_right: 120 }));
    assert.ok(roomy > plain * 2, `pages: ${plain} with small margins, ${roomy} with large ones and a large font`);
  });

  it('reads an html file alone: no remote request, no local file beside or outside it', async () => {
    const secret = path.join(dir, 'secret.html');
    await writeFile(secret, '<html><body><p>TOPSECRET-LOCAL</p></body></html>');
    const html = path.join(dir, 'page.html');
    await writeFile(html, `<html><head><title>Web Page</title><link rel="stylesheet" href="${fixtures.baseUrl}/style.css"></head><body>
      <h1>Heading</h1><p>Body text <img src="${fixtures.baseUrl}/x.png"> <img src="file://${dir}/x.png"></p>
      <a href="${secret}">local</a> <a href="file://${secret}">local url</a> <a href="secret.html">relative</a>
      <iframe src="${fixtures.baseUrl}/frame.html"></iframe></body></html>`);
    const file = await convert(html, 'html', 'epub');
    assert.equal((await meta(file)).title, 'Web Page');
    const { stdout } = await run('unzip', ['-p', file]);
    assert.match(stdout, /Heading/);
    assert.doesNotMatch(stdout, /TOPSECRET-LOCAL/);
    const pdf = await convert(file, 'epub', 'pdf');
    assert.ok((await pdfPages(pdf)) >= 1);
    assert.deepEqual(fixtures.requests, []);
  });

  it('reads a txt as plain text: a Markdown image path is not loaded from disk', async () => {
    const png = path.join(dir, 'private.png');
    await writeFile(png, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64'));
    const text = path.join(dir, 'notes.txt');
    // Enough Markdown for calibre's auto-detection to pick its Markdown reader (more than 5 marks).
    const headings = Array.from({ length: 6 }, (_, i) => `# Part ${i + 1}\n\nText.\n`).join('\n');
    await writeFile(text, `${headings}\nSee ![private](${'../'.repeat(20)}${png.slice(1)}) here.\n`);
    const book = await convert(text, 'txt', 'epub');
    const { stdout } = await run('unzip', ['-l', book]);
    assert.doesNotMatch(stdout, /private\.png/);
    // Without a title option or one of its own, the book is titled after the file.
    assert.equal((await meta(book)).title, 'notes');
  });

  it('refuses a docx that links images from the local disk', async () => {
    const zip = new yazl.ZipFile();
    const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
    zip.addBuffer(Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'), '[Content_Types].xml');
    zip.addBuffer(Buffer.from(`<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="word/document.xml"/></Relationships>`), '_rels/.rels');
    zip.addBuffer(Buffer.from(`<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId5" Type="${rel}/image" Target="file:///proc/self/environ" TargetMode="External"/></Relationships>`), 'word/_rels/document.xml.rels');
    zip.addBuffer(Buffer.from('<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Hello</w:t></w:r></w:p></w:body></w:document>'), 'word/document.xml');
    zip.end();
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
    const docx = path.join(dir, 'linked.docx');
    await writeFile(docx, Buffer.concat(chunks));
    const result = await convertFile(server, docx, { inputformat: 'docx', outputformat: 'epub' }, await out());
    assert.equal(result.status.status, 422);
    assert.match(String(result.status.body['message']), /links to local files \(file:\/\/ images\).*Embed the images/);
  });

  it('refuses a docx whose local header says stored where the central directory says deflate', async () => {
    // calibre inflates the links part (its zipfile reads the central directory); a check that
    // trusted the local header saw stored bytes without a link, and /etc/passwd became an image.
    const parts = Object.entries(docxParts('file:///etc/passwd')).map(([name, data]) => ({ name, data, ...(name.endsWith('.xml.rels') ? { local: { method: 0 } } : {}) }));
    const docx = path.join(dir, 'mismatched.docx');
    await writeFile(docx, zipBytes(parts));
    const result = await convertFile(server, docx, { inputformat: 'docx', outputformat: 'epub' }, await out());
    assert.equal(result.status.status, 422, JSON.stringify(result.status.body));
    assert.equal(result.status.body['step'], 'error');
    assert.match(String(result.status.body['message']), /not a ZIP archive this server can check: entry "word\/_rels\/document\.xml\.rels" has compression method 0 in its local header but 8 in the central directory/);
    assert.deepEqual(result.files, []);
    assert.doesNotMatch(JSON.stringify(result.status.body), /root:x:0:0/);
    // lxml also reads UTF-7, in which file: need not be the bytes "file:".
    const utf7 = Object.entries(docxParts('+AGY-ile:///etc/passwd')).map(([name, data]) => ({ name, data: name.endsWith('.xml.rels') ? data.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-7"?>') : data }));
    await writeFile(docx, zipBytes(utf7));
    const encoded = await convertFile(server, docx, { inputformat: 'docx', outputformat: 'epub' }, await out());
    assert.equal(encoded.status.status, 422, JSON.stringify(encoded.status.body));
    assert.match(String(encoded.status.body['message']), /relationship part "word\/_rels\/document\.xml\.rels" is not XML in UTF-8 or UTF-16/);
  });

  it('answers 422 for a corrupt epub and 400 for a bad option', async () => {
    const corrupt = path.join(dir, 'broken.epub');
    await writeFile(corrupt, 'PK\u0003\u0004 this is not really an epub');
    const bad = await convertFile(server, corrupt, { inputformat: 'epub', outputformat: 'mobi' }, await out());
    assert.equal(bad.status.status, 422);
    assert.match(String(bad.status.body['message']), /^calibre could not convert the epub file to mobi: .+\. Check that the file is a valid, DRM-free epub file\.$/);
    const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'epub', outputformat: 'pdf' }, auth());
    const started = await postJson(server.abs(String(created.body['url'])), { input: 'upload', outputformat: 'pdf', converteroptions: { margin_left: -3 } });
    assert.equal(started.status, 400);
    assert.match(String(started.body['error']), /converter option margin_left = "-3".*a number from 0 to 500/);
    const titled = await postJson(server.abs(String(created.body['url'])), { input: 'upload', outputformat: 'pdf', converteroptions: { title: 'two\nlines' } });
    assert.equal(titled.status, 400);
    assert.match(String(titled.body['error']), /converter option title = [\s\S]*1-300 printable characters/);
  });
});
