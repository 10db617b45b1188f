// The API console's modes end to end, in Debian's headless Chromium against a real server, Redis
// and worker: combine (two PDFs into one, reordered first), archive, extract (per-file links,
// "Download all", an image preview), compress, website capture (URL first), upload progress,
// cancel during the upload and during the conversion, an error with the server's hint, and the
// multi-file curl snippet the page shows, run as it is.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Download, Page } from 'playwright-core';
import sharp from 'sharp';
import { pdfText } from '../helpers/documents.js';
import type { FixtureServer } from '../helpers/fixture-server.js';
import { pngOf } from '../helpers/fixtures.js';
import { TEST_KEY } from '../helpers/server.js';
import { until } from '../helpers/wait.js';
import { zipBytes } from '../helpers/zip-bytes.js';
import { zipEntries } from '../formats/content.js';
import { loadedWidth, screenshot, startConsoleRig, stepIs, type ConsoleRig } from './console-browser.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/** A PDF whose pages each say `<label> page <n>`, so the order of merged pages can be read back. */
async function labelledPdf(label: string, pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) doc.addPage([300, 300]).drawText(`${label} page ${i}`, { x: 20, y: 200, size: 20, font });
  return Buffer.from(await doc.save());
}

describe('API console modes in headless Chromium', () => {
  let fixtures: FixtureServer;
  let page: Page;
  let dir: string;

  /** Clicks a download link and keeps the file in `dir`. */
  async function download(selector: string, name: string): Promise<{ file: string; download: Download }> {
    const [saved] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    const file = path.join(dir, name);
    await saved.saveAs(file);
    return { file, download: saved };
  }

  /** Removes the chosen files (they stay while the mode changes) with their Remove buttons. */
  async function removeFiles(): Promise<void> {
    const remove = page.locator('#files button:text-is("Remove")');
    while ((await remove.count()) > 0) await remove.first().click();
  }

  /** Picks a mode and waits until its options have loaded (the snippets follow the form). */
  async function chooseMode(mode: string): Promise<void> {
    await page.selectOption('#mode', mode);
    await page.waitForSelector(`#code-curl:has-text("${mode === 'website' ? 'website' : mode === 'convert' ? 'outputformat' : `mode=`}")`, { timeout: 10_000 });
  }

  let rig: ConsoleRig | undefined;

  before(async () => {
    // The website mode captures a page of the rig's fixture server.
    rig = await startConsoleRig('console-modes', {
      'first.pdf': await labelledPdf('First', 1),
      'second.pdf': await labelledPdf('Second', 2),
      'notes.txt': 'Some notes.\n',
      'bundle.zip': zipBytes([{ name: 'readme.txt', data: 'Read me.\n' }, { name: 'picture.png', data: await pngOf(64, 48) }]),
      // Noise does not compress well as it is, but a palette of 256 colours makes it smaller.
      'noise.png': await sharp({ create: { width: 240, height: 180, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).png().toBuffer(),
    });
    ({ fixtures, dir, page } = rig);
    fixtures.serve('/one.txt', Buffer.from('One.\n'), 'text/plain');
    fixtures.serve('/two.txt', Buffer.from('Two.\n'), 'text/plain');
    fixtures.serve('/page.html', Buffer.from('<!doctype html><html><body style="background:#3366cc"><h1 style="color:#fff">Captured</h1></body></html>'), 'text/html');
  });
  after(() => rig?.stop());

  it('combine: two PDFs chosen, reordered, merged into one PDF with both, previewed', async () => {
    await chooseMode('combine');
    assert.equal(await page.inputValue('#inputformat'), 'pdf');
    assert.equal(await page.getAttribute('#file', 'multiple'), '');
    await page.setInputFiles('#file', [path.join(dir, 'second.pdf'), path.join(dir, 'first.pdf')]);
    const listed = await page.$$eval('#files li .name', (els) => els.map((e) => e.textContent));
    assert.deepEqual(listed, ['second.pdf', 'first.pdf']);
    assert.match((await page.textContent('#files')) ?? '', /second\.pdf \d+(\.\d)? (bytes|KB)/);
    // By keyboard: the focus stays with the moved file (on its other button, now that it is first).
    await page.focus('button[aria-label="Move first.pdf up"]');
    await page.keyboard.press('Enter');
    assert.deepEqual(await page.$$eval('#files li .name', (els) => els.map((e) => e.textContent)), ['first.pdf', 'second.pdf']);
    assert.equal(await page.evaluate<string | null>("document.activeElement.getAttribute('aria-label')"), 'Move first.pdf down');
    // The curl snippet sends both, in the list's order.
    assert.match((await page.textContent('#code-curl')) ?? '', /-F 'file=@first\.pdf' -F 'file=@second\.pdf'/);

    const preview = page.waitForResponse((res) => res.url().endsWith('?inline') && res.request().resourceType() !== 'fetch', { timeout: 60_000 });
    await page.click('#start');
    await stepIs(page, 'finished', 60_000);
    const previewed = await preview;
    assert.equal(previewed.status(), 200);
    assert.equal(previewed.headers()['content-type'], 'application/pdf');
    const frame = await page.getAttribute('#result iframe.preview', 'src');
    assert.match(frame ?? '', /\/download\/[^/]+\?inline$/);
    assert.equal(await page.getAttribute('#result iframe.preview', 'title'), 'Preview of first.pdf');

    const { file } = await download('#result a.download', 'combined.pdf');
    assert.equal((await PDFDocument.load(await readFile(file))).getPageCount(), 3);
    const text = await pdfText(file);
    assert.ok(text.indexOf('First page 1') < text.indexOf('Second page 1'), text);
    assert.ok(text.indexOf('Second page 1') < text.indexOf('Second page 2'), text);
    await screenshot(page, 'console-combine');
  });

  it('the multi-file curl and Node SDK v2 snippets the page shows make the same PDF', async () => {
    await page.check('#show-key');
    const snippet = (await page.textContent('#code-curl')) ?? '';
    await page.uncheck('#show-key');
    const work = path.join(dir, 'curl');
    await mkdir(work);
    for (const name of ['first.pdf', 'second.pdf']) await writeFile(path.join(work, name), await readFile(path.join(dir, name)));
    await run('bash', ['-euo', 'pipefail', '-c', snippet], { cwd: work, timeout: 60_000 });
    // Named as the server names a combine (after its first input), in ./out beside the inputs.
    const merged = path.join(work, 'out', 'first.pdf');
    assert.equal((await PDFDocument.load(await readFile(merged))).getPageCount(), 3);
    assert.equal((await PDFDocument.load(await readFile(path.join(work, 'first.pdf')))).getPageCount(), 1, 'the input is left as it was');

    // The /convert shortcut, in a folder of its own (curl -J never overwrites a file).
    const shortcut = (await page.textContent('#code-curl-convert')) ?? '';
    const other = path.join(dir, 'curl-convert');
    await mkdir(other);
    for (const name of ['first.pdf', 'second.pdf']) await writeFile(path.join(other, name), await readFile(path.join(dir, name)));
    await run('bash', ['-euo', 'pipefail', '-c', shortcut.replace('YOUR_API_KEY', TEST_KEY)], { cwd: other, timeout: 60_000 });
    assert.equal((await PDFDocument.load(await readFile(path.join(other, 'out', 'first.pdf')))).getPageCount(), 3);

    // The Node SDK v2 snippet: one import per file, a merge, the export (the SDK is installed as
    // cloudconvert-v3 here, cloudconvert being the v1 client).
    const v2 = ((await page.textContent('#code-node-v2')) ?? '').replace("require('cloudconvert')", `require(${JSON.stringify(require.resolve('cloudconvert-v3'))})`);
    await writeFile(path.join(work, 'merge.cjs'), v2.replace('YOUR_API_KEY', TEST_KEY));
    await run(process.execPath, ['merge.cjs'], { cwd: work, timeout: 60_000 });
    assert.equal((await PDFDocument.load(await readFile(path.join(work, 'out', 'file.pdf')))).getPageCount(), 3);
  });

  it('archive: a file picked and one dropped, packed into one zip', async () => {
    await chooseMode('archive');
    assert.equal(await page.inputValue('#inputformat'), '*');
    assert.equal(await page.inputValue('#outputformat'), 'zip');
    assert.equal(await page.locator('#files li').count(), 2, 'the files chosen for combine stay');
    await removeFiles();
    await page.setInputFiles('#file', path.join(dir, 'first.pdf'));
    // The second file is dropped on the zone, as from a file manager.
    const text = JSON.stringify(await readFile(path.join(dir, 'notes.txt'), 'utf8'));
    const dropped = await page.evaluateHandle(`(() => { const t = new DataTransfer(); t.items.add(new File([${text}], 'notes.txt', { type: 'text/plain' })); return t; })()`);
    await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer: dropped });
    assert.deepEqual(await page.$$eval('#files li .name', (els) => els.map((e) => e.textContent)), ['first.pdf', 'notes.txt']);
    await page.click('#start');
    await stepIs(page, 'finished', 60_000);
    const { file, download: saved } = await download('#result a.download', 'packed.zip');
    assert.match(saved.suggestedFilename(), /\.zip$/);
    assert.deepEqual((await zipEntries(file)).sort(), ['first.pdf', 'notes.txt']);
    await screenshot(page, 'console-archive');
  });

  it('archive: files given as URLs, one per line, sent as `files`', async () => {
    await page.check('#input-download');
    assert.ok(await page.isVisible('#urls'), 'several URLs for a mode of several files');
    assert.ok(await page.isHidden('#url'));
    await page.fill('#urls', `${fixtures.baseUrl}/one.txt\n\n${fixtures.baseUrl}/two.txt\n`);
    assert.match((await page.textContent('#code-curl')) ?? '', /--data-urlencode 'files\[\]=http:\/\/127\.0\.0\.1:\d+\/one\.txt' --data-urlencode 'files\[\]=http:\/\/127\.0\.0\.1:\d+\/two\.txt'/);
    await page.click('#start');
    await stepIs(page, 'finished', 60_000);
    assert.ok(fixtures.requests.includes('/one.txt') && fixtures.requests.includes('/two.txt'));
    const { file } = await download('#result a.download', 'from-urls.zip');
    assert.deepEqual((await zipEntries(file)).sort(), ['one.txt', 'two.txt']);
    await page.check('#input-upload');
  });

  it('extract: the files of a zip listed with sizes, each downloadable, "Download all", an image previewed', async () => {
    await chooseMode('extract');
    assert.equal(await page.inputValue('#inputformat'), 'zip');
    assert.equal(await page.getAttribute('#file', 'multiple'), null);
    await page.setInputFiles('#file', path.join(dir, 'bundle.zip'));
    await page.click('#start');
    await stepIs(page, 'finished', 60_000);
    const links = await page.$$eval('#result ul.files a.download', (as) => as.map((a) => a.textContent));
    assert.deepEqual(links.sort(), ['Download picture.png', 'Download readme.txt']);
    // Sizes come from HEAD requests once the links are shown.
    await page.waitForSelector('#result ul.files li:has-text("readme.txt") .size:text-is(" (9 bytes)")', { timeout: 10_000 });
    assert.equal(await page.getAttribute('#result img.preview', 'alt'), 'Preview of picture.png');
    assert.equal(await loadedWidth(page), 64);

    const one = await download('#result ul.files li:has-text("readme.txt") a.download', 'readme.txt');
    assert.equal(await readFile(one.file, 'utf8'), 'Read me.\n');
    const all = await download('#result a.download-all', 'all.zip');
    assert.deepEqual((await zipEntries(all.file)).sort(), ['picture.png', 'readme.txt']);
    await screenshot(page, 'console-extract');
  });

  it('compress: a png made smaller in its own format, in the page and by the Node v1 snippet', async () => {
    await chooseMode('compress');
    await page.selectOption('#inputformat', 'png');
    await page.waitForSelector('#opt-quality');
    await page.setInputFiles('#file', path.join(dir, 'noise.png'));
    await page.click('#start');
    await stepIs(page, 'finished', 60_000);
    const { file } = await download('#result a.download', 'smaller.png');
    const before = (await readFile(path.join(dir, 'noise.png'))).length;
    const after = (await readFile(file)).length;
    assert.ok(after < before, `${after} bytes, the input ${before}`);
    assert.equal((await sharp(file).metadata()).format, 'png');
    await screenshot(page, 'console-compress');
    // The Node v1 client's snippet (cloudconvert@1.1.2) saves it beside the input, not over it.
    const v1 = ((await page.textContent('#code-node')) ?? '').replace('YOUR_API_KEY', TEST_KEY).replace("require('cloudconvert')", `require(${JSON.stringify(require.resolve('cloudconvert'))})`);
    await writeFile(path.join(dir, 'compress.cjs'), v1);
    await run(process.execPath, ['compress.cjs'], { cwd: dir, timeout: 60_000 });
    const fromClient = await readFile(path.join(dir, 'noise-compressed.png'));
    assert.ok(fromClient.length < before, `${fromClient.length} bytes from the client`);
  });

  it('website: the URL comes first, no upload; the capture is previewed', async () => {
    await chooseMode('website');
    assert.ok(await page.isVisible('#url'), 'the URL input is shown');
    assert.equal(await page.textContent('#url-label'), 'Web page URL');
    assert.ok(await page.isHidden('#file'), 'no upload');
    assert.ok(await page.isHidden('#input-upload'), 'no upload choice');
    assert.equal(await page.inputValue('#inputformat'), 'website');
    await page.fill('#url', `${fixtures.baseUrl}/page.html`);
    await page.selectOption('#outputformat', 'png');
    assert.match((await page.textContent('#code-node-v2')) ?? '', /operation: 'capture-website', url: "http:\/\/127\.0\.0\.1:\d+\/page\.html"/);
    await page.click('#start');
    await stepIs(page, 'finished', 90_000);
    assert.ok(fixtures.requests.includes('/page.html'));
    assert.equal(await loadedWidth(page), 1024);
    await screenshot(page, 'console-website');
  });

  it('a chosen file sets the input format; a file the next mode cannot read is dropped', async () => {
    await chooseMode('convert');
    await removeFiles();
    await page.selectOption('#inputformat', 'svg');
    await page.setInputFiles('#file', path.join(dir, 'noise.png'));
    await until(async () => (await page.inputValue('#inputformat')) === 'png', 10_000, 'the input format follows the png');
    // combine -> compress keeps a PDF (compress reads it) and selects pdf;
    await chooseMode('combine');
    await page.setInputFiles('#file', [path.join(dir, 'first.pdf'), path.join(dir, 'second.pdf')]);
    await chooseMode('compress');
    await until(async () => (await page.$$eval('#files li .name', (els) => els.map((e) => e.textContent))).join() === 'second.pdf', 10_000, 'the last PDF kept');
    assert.equal(await page.inputValue('#inputformat'), 'pdf');
    // compress -> extract drops it: no archive format reads a PDF.
    await chooseMode('extract');
    await until(async () => (await page.locator('#files li').count()) === 0, 10_000, 'the PDF dropped');
    assert.equal(await page.inputValue('#inputformat'), 'zip');
  });
});
