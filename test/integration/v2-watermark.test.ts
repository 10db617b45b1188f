// API v2 watermark through the real API and worker: text and image watermarks on raster images
// (checked by pixels), a text watermark on chosen pages of a PDF (checked with pdftotext), and
// the errors: a watermark image that is not an image, and bad fields (422 naming the field).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { makePdf } from '../helpers/documents.js';
import { auth, json, postJson } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { requireTools } from '../helpers/tools.js';
import { base64Import, byName, data, exportedBytes, filesOf, type Obj, runJob as runV2Job } from '../helpers/v2-jobs.js';

const exec = promisify(execFile);

/** Pixels of an image as RGB rows. */
async function pixels(image: Buffer): Promise<{ at: (x: number, y: number) => [number, number, number]; width: number; height: number }> {
  const { data: raw, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number): [number, number, number] => {
    const i = (y * info.width + x) * 3;
    return [raw[i] ?? 0, raw[i + 1] ?? 0, raw[i + 2] ?? 0];
  };
  return { at, width: info.width, height: info.height };
}

/** How many pixels of the rectangle are clearly red. */
function redCount(img: Awaited<ReturnType<typeof pixels>>, x0: number, y0: number, x1: number, y1: number): number {
  let count = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
    const [r, g, b] = img.at(x, y);
    if (r > 180 && g < 90 && b < 90) count++;
  }
  return count;
}

describe('API v2 watermark', () => {
  let server: TestServer;
  let dir: string;
  before(async () => {
    await requireTools(['pdftotext']);
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-watermark-'));
    server = await startTestServer();
  });
  after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const create = (tasks: Obj) => postJson(`${server.baseUrl}/v2/jobs`, { tasks }, auth());
  const runJob = (tasks: Obj): Promise<Obj> => runV2Job(server, tasks);
  const exported = exportedBytes;
  const base64 = base64Import;

  it('draws a red text at the top left of a PNG, nowhere else', async () => {
    const white = await sharp({ create: { width: 400, height: 200, channels: 3, background: '#ffffff' } }).png().toBuffer();
    const job = await runJob({
      in: base64(white, 'photo.png'),
      mark: { operation: 'watermark', input: 'in', text: 'MARK', font_size: 60, font_color: '#ff0000', position_vertical: 'top', position_horizontal: 'left', margin_vertical: 10, margin_horizontal: 10 },
      out: { operation: 'export/url', input: 'mark' },
    });
    assert.equal(job['status'], 'finished', JSON.stringify(job));
    assert.equal(filesOf(byName(job, 'mark'))[0]?.['filename'], 'photo.png');
    const img = await pixels(await exported(job, 'out'));
    assert.equal(img.width, 400);
    assert.ok(redCount(img, 0, 0, 200, 100) > 200, 'red text in the top-left quarter');
    assert.equal(redCount(img, 200, 100, 400, 200), 0, 'nothing in the bottom-right quarter');
  });

  it('draws a half-transparent image watermark at the bottom right of a JPG', async () => {
    const white = await sharp({ create: { width: 200, height: 200, channels: 3, background: '#ffffff' } }).jpeg().toBuffer();
    const blue = await sharp({ create: { width: 50, height: 50, channels: 3, background: '#0000ff' } }).png().toBuffer();
    const job = await runJob({
      in: base64(white, 'page.jpg'),
      logo: base64(blue, 'logo.png'),
      mark: { operation: 'watermark', input: 'in', image: 'logo', opacity: 50, position_vertical: 'bottom', position_horizontal: 'right', margin_vertical: 0, margin_horizontal: 0 },
      out: { operation: 'export/url', input: 'mark' },
    });
    assert.equal(job['status'], 'finished', JSON.stringify(job));
    assert.deepEqual(byName(job, 'mark')['depends_on_task_ids'], [byName(job, 'in')['id'], byName(job, 'logo')['id']]);
    const out = await exported(job, 'out');
    assert.equal((await sharp(out).metadata()).format, 'jpeg');
    const img = await pixels(out);
    const [r, g, b] = img.at(175, 175);
    assert.ok(Math.abs(r - 128) < 25 && Math.abs(g - 128) < 25 && b > 230, `half blue at the watermark: ${r},${g},${b}`);
    const [r2, g2, b2] = img.at(25, 25);
    assert.ok(r2 > 240 && g2 > 240 && b2 > 240, `white elsewhere: ${r2},${g2},${b2}`);
  });

  it('marks pages 1 and 3 of a 3-page PDF and leaves page 2 alone', async () => {
    const file = path.join(dir, 'three.pdf');
    await makePdf(file, 3);
    const job = await runJob({
      in: base64(await readFile(file), 'three.pdf'),
      mark: { operation: 'watermark', input: 'in', pages: '1,3', text: 'CONFIDENTIAL', font_size: 30, opacity: 40 },
      out: { operation: 'export/url', input: 'mark' },
    });
    assert.equal(job['status'], 'finished', JSON.stringify(job));
    const marked = path.join(dir, 'marked.pdf');
    await writeFile(marked, await exported(job, 'out'));
    const pageText = async (page: number): Promise<string> => (await exec('pdftotext', ['-f', String(page), '-l', String(page), marked, '-'])).stdout;
    assert.match(await pageText(1), /CONFIDENTIAL/);
    assert.doesNotMatch(await pageText(2), /CONFIDENTIAL/);
    assert.match(await pageText(2), /Page 2 text/);
    assert.match(await pageText(3), /CONFIDENTIAL/);
  });

  it('draws a PDF watermark below the page content when layer is below', async () => {
    const file = path.join(dir, 'one.pdf');
    await makePdf(file, 1);
    const job = await runJob({
      in: base64(await readFile(file), 'one.pdf'),
      mark: { operation: 'watermark', input: 'in', text: 'UNDERNEATH', layer: 'below' },
      out: { operation: 'export/url', input: 'mark' },
    });
    assert.equal(job['status'], 'finished', JSON.stringify(job));
    const marked = path.join(dir, 'below.pdf');
    await writeFile(marked, await exported(job, 'out'));
    // pdftotext reads text in content order: the watermark's stream now comes before the page's.
    const text = (await exec('pdftotext', ['-raw', marked, '-'])).stdout;
    assert.ok(text.indexOf('UNDERNEATH') >= 0 && text.indexOf('UNDERNEATH') < text.indexOf('Page 1 text'), text);
  });

  it('runs as a stand-alone task whose image names a task id', async () => {
    const post = async (operation: string, body: Obj): Promise<Obj> => {
      const res = await postJson(`${server.baseUrl}/v2/${operation}`, body, auth());
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return data(res.body);
    };
    const page = await post('import/base64', base64(await sharp({ create: { width: 100, height: 100, channels: 3, background: '#ffffff' } }).webp().toBuffer(), 'p.webp'));
    const logo = await post('import/base64', base64(await sharp({ create: { width: 20, height: 20, channels: 3, background: '#ff0000' } }).png().toBuffer(), 'l.png'));
    const mark = await post('watermark', { input: page['id'], image: logo['id'], position_vertical: 'top', position_horizontal: 'left', margin_vertical: 0, margin_horizontal: 0 });
    assert.deepEqual(mark['depends_on_task_ids'], [page['id'], logo['id']]);
    const done = data((await json(`${server.baseUrl}/v2/tasks/${String(mark['id'])}/wait`, { headers: auth() })).body);
    assert.equal(done['status'], 'finished', JSON.stringify(done));
    const exportTask = await post('export/url', { input: mark['id'] });
    const exportedTask = data((await json(`${server.baseUrl}/v2/tasks/${String(exportTask['id'])}/wait`, { headers: auth() })).body);
    const url = String(filesOf(exportedTask)[0]?.['url']);
    const img = await pixels(Buffer.from(await (await fetch(url)).arrayBuffer()));
    assert.ok(redCount(img, 0, 0, 20, 20) > 300, 'the red logo at the top left');
    assert.equal(redCount(img, 30, 30, 100, 100), 0, 'white elsewhere');
  });

  it('fails the task when the watermark image is not an image', async () => {
    const white = await sharp({ create: { width: 50, height: 50, channels: 3, background: '#ffffff' } }).png().toBuffer();
    const job = await runJob({
      in: base64(white, 'photo.png'),
      logo: { operation: 'import/raw', file: 'just some words', filename: 'notes.txt' },
      mark: { operation: 'watermark', input: 'in', image: 'logo' },
    });
    const mark = byName(job, 'mark');
    assert.equal(mark['status'], 'error', JSON.stringify(mark));
    assert.match(String(mark['message']), /notes\.txt.*not an image/);
  });

  it('refuses an SVG watermark image (sharp would read it in the worker, outside the tool sandbox)', async () => {
    const white = await sharp({ create: { width: 50, height: 50, channels: 3, background: '#ffffff' } }).png().toBuffer();
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="20" height="20"><image xlink:href="/etc/hostname" width="20" height="20"/><rect width="20" height="20" fill="red"/></svg>';
    const job = await runJob({
      in: base64(white, 'photo.png'),
      logo: { operation: 'import/raw', file: svg, filename: 'logo.png' },
      mark: { operation: 'watermark', input: 'in', image: 'logo' },
    });
    const mark = byName(job, 'mark');
    assert.equal(mark['status'], 'error', JSON.stringify(mark));
    assert.match(String(mark['message']), /not an image this server takes as a watermark.*SVG is not taken/);
  });

  it('answers 422 naming each bad field, and an image that names no task', async () => {
    const created = await create({
      in: { operation: 'import/raw', file: 'x', filename: 'a.png' },
      mark: { operation: 'watermark', input: 'in', text: 'x', position_vertical: 'middle', font_name: 'Comic Sans MS', opacity: 150 },
      mark2: { operation: 'watermark', input: 'in', image: 'nope' },
    });
    assert.equal(created.status, 422, JSON.stringify(created.body));
    const errors = created.body['errors'] as Record<string, string[]>;
    assert.match(String(errors['tasks.mark.position_vertical']), /middle.*top, center, bottom/);
    assert.match(String(errors['tasks.mark.font_name']), /Comic Sans MS.*Liberation Sans/);
    assert.match(String(errors['tasks.mark.opacity']), /1 to 100/);
    assert.match(String(errors['tasks.mark2.image']), /"nope" is not a task of this job/);
  });
});
