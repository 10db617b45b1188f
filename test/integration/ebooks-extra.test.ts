// calibre's further formats and comic archives through the API, for what the format matrix does
// not cover: files that are not the declared format, comic archives with unsafe entries (path
// traversal, links, an extraction bomb), pages over MAX_IMAGE_PIXELS, too many pages, an htmlz
// with a traversal entry, and a bad option value.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { python, rar4 } from '../helpers/archives.js';
import { convertFile, startUpload } from '../helpers/convert.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const exec = promisify(execFile);

/** Pages of 100x100 pass; MAX_IMAGE_PIXELS is set just above. */
const MAX_PIXELS = 20_000;
const MAX_PAGES = 5;

const page = (size = 100): Promise<Buffer> => sharp({ create: { width: size, height: size, channels: 3, background: '#c0e0ff' } }).png().toBuffer();

describe('calibre formats and comic archives: bad input and limits', () => {
  let server: TestServer;
  let dir: string;
  const out = (): Promise<string> => mkdtemp(path.join(dir, 'out-'));

  /** Writes `data` as `name` and converts it; returns the final status body and outputs. */
  async function convert(name: string, data: Buffer | string, inputformat: string, outputformat: string, converteroptions: Record<string, unknown> = {}) {
    const file = path.join(dir, name);
    await writeFile(file, data);
    const result = await convertFile(server, file, { inputformat, outputformat, converteroptions }, await out());
    return { body: result.status.body, files: result.files };
  }

  /** A zip written by Python's zipfile, which writes any entry name (also "../x"). */
  async function zipWith(name: string, entries: Array<[string, string]>): Promise<Buffer> {
    const file = path.join(dir, name);
    const pages = await Promise.all(entries.map(async ([entry, kind]) => [entry, kind === 'page' ? (await page()).toString('base64') : Buffer.from(kind).toString('base64')]));
    await python(dir, `import zipfile, base64\nwith zipfile.ZipFile(${JSON.stringify(file)}, 'w') as z:\n${pages.map(([e, d]) => `    z.writestr(${JSON.stringify(e)}, base64.b64decode(${JSON.stringify(d)}))`).join('\n')}\n`);
    return readFile(file);
  }

  function assertRefused(body: Record<string, unknown>, pattern: RegExp): void {
    assert.equal(body['step'], 'error', JSON.stringify(body));
    assert.equal(body['code'], 422, JSON.stringify(body));
    assert.match(String(body['message']), pattern);
  }

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-ebooks-extra-'));
    for (const tool of ['ebook-convert', 'bsdtar']) {
      await exec('sh', ['-c', 'command -v "$1"', 'sh', tool]).catch(() => {
        throw new Error(`${tool} is missing: run \`bash scripts/setup.sh\` (apt-get install calibre libarchive-tools).`);
      });
    }
    server = await startTestServer({ env: { MAX_IMAGE_PIXELS: String(MAX_PIXELS), PDF_MAX_PAGES: String(MAX_PAGES) } });
  });
  after(async () => {
    await server?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('converts a comic with pages in name order, and repacks it as cbz', async () => {
    const cbr = rar4([{ name: 'b/page10.png', data: await page() }, { name: 'b/page2.png', data: await page() }, { name: 'b/ComicInfo.xml', data: Buffer.from('<ComicInfo/>') }]);
    const { body, files } = await convert('ok.cbr', cbr, 'cbr', 'cbz');
    assert.equal(body['step'], 'finished', JSON.stringify(body));
    const { stdout } = await exec('bsdtar', ['-t', '-f', files[0] ?? '']);
    assert.deepEqual(stdout.trim().split('\n'), ['0001.png', '0002.png']);
  });

  it('refuses files that are not the declared format, with a 422 naming it', async () => {
    const text = 'This is plain text, not an ebook.\n'.repeat(20);
    for (const format of ['lit', 'lrf', 'cbz', 'cbr', 'cb7']) {
      const { body } = await convert(`fake.${format}`, text, format, 'epub');
      assertRefused(body, new RegExp(`${format}`));
    }
  });

  it('refuses a comic archive with a path traversal entry, before calibre reads it', async () => {
    const zip = await zipWith('slip.cbz', [['page1.png', 'page'], ['../../evil.png', 'page']]);
    assertRefused((await convert('slip.cbz', zip, 'cbz', 'epub')).body, /"\.\."|zip slip/);
    const rar = rar4([{ name: 'page1.png', data: await page() }, { name: '../evil.png', data: await page() }]);
    assertRefused((await convert('slip.cbr', rar, 'cbr', 'cbz')).body, /zip slip/);
  });

  it('refuses a comic archive with a link entry', async () => {
    const folder = await mkdtemp(path.join(dir, 'link-'));
    await writeFile(path.join(folder, 'page1.png'), await page());
    await exec('ln', ['-s', '/etc/passwd', path.join(folder, 'page2.png')]);
    await exec('bsdtar', ['-c', '-f', path.join(dir, 'link.cb7'), '--format', '7zip', '-C', folder, 'page1.png', 'page2.png']);
    assertRefused((await convert('link.cb7', await readFile(path.join(dir, 'link.cb7')), 'cb7', 'epub')).body, /symbolic link/);
  });

  it('refuses a comic archive that expands like a bomb', async () => {
    const file = path.join(dir, 'bomb.cbz');
    await python(dir, `import zipfile\nwith zipfile.ZipFile(${JSON.stringify(file)}, 'w', zipfile.ZIP_DEFLATED) as z:\n    z.writestr('page1.png', bytes(64 * 1024 * 1024))\n`);
    assertRefused((await convert('bomb.cbz', await readFile(file), 'cbz', 'epub')).body, /ARCHIVE_MAX_RATIO/);
  });

  it('refuses a page over MAX_IMAGE_PIXELS and a comic over PDF_MAX_PAGES', async () => {
    const big = rar4([{ name: 'page1.png', data: await page() }, { name: 'page2.png', data: await page(400) }]);
    assertRefused((await convert('big.cbr', big, 'cbr', 'epub')).body, /MAX_IMAGE_PIXELS/);
    const pages = await Promise.all(Array.from({ length: MAX_PAGES + 1 }, async (_, i) => ({ name: `p${i}.png`, data: await page() })));
    assertRefused((await convert('long.cbr', rar4(pages), 'cbr', 'epub')).body, /PDF_MAX_PAGES/);
  });

  it('refuses a comic without page images, and a page that is not an image', async () => {
    assertRefused((await convert('empty.cbr', rar4([{ name: 'notes.txt', data: Buffer.from('no pages') }]), 'cbr', 'epub')).body, /no page images/);
    assertRefused((await convert('fakepage.cbr', rar4([{ name: 'page1.png', data: Buffer.from('not a png') }]), 'cbr', 'epub')).body, /not a readable png image/);
  });

  it('refuses an htmlz with a traversal entry', async () => {
    const zip = await zipWith('slip.htmlz', [['index.html', '<html><body><p>Hello there reader.</p></body></html>'], ['../outside.html', '<p>x</p>']]);
    assertRefused((await convert('slip.htmlz', zip, 'htmlz', 'epub')).body, /zip slip/);
  });

  it('validates options: a comic pair refuses a title with control characters, naming the option', async () => {
    const file = path.join(dir, 'opts.cbr');
    await writeFile(file, rar4([{ name: 'p1.png', data: await page() }]));
    const refused = await startUpload(server, file, { inputformat: 'cbr', outputformat: 'epub', converteroptions: { title: 'line\nbreak' } }).then(
      () => 'accepted',
      (error: unknown) => String(error),
    );
    assert.match(refused, /title/);
  });
});
