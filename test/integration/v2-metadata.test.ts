// API v2 metadata/write and the metadata read through the real API and worker with exiftool:
// tags written into a JPG and a PDF and read back with exiftool, refused tags and injection
// attempts (422 naming the field), and exiftool's tags in result.metadata beside the old fields.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { auth, postJson } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { requireTools } from '../helpers/tools.js';
import { base64Import, byName, exportedBytes, filesOf, type Obj, runJob as runV2Job } from '../helpers/v2-jobs.js';

const exec = promisify(execFile);

async function twoPagePdf(author: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage([300, 300]);
  doc.addPage([300, 300]);
  doc.setAuthor(author);
  doc.setTitle('Quarterly');
  return Buffer.from(await doc.save());
}

describe('API v2 metadata and metadata/write (exiftool)', () => {
  let server: TestServer;
  let dir: string;
  before(async () => {
    await requireTools(['exiftool']);
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-metadata-'));
    server = await startTestServer();
  });
  after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const create = (tasks: Obj) => postJson(`${server.baseUrl}/v2/jobs`, { tasks }, auth());
  const runJob = (tasks: Obj): Promise<Obj> => runV2Job(server, tasks);
  const base64 = base64Import;
  /** exiftool's reading of an exported file. */
  const readBack = async (job: Obj, name: string, ext: string): Promise<Obj> => {
    const local = path.join(dir, `${name}-${Date.now()}.${ext}`);
    await writeFile(local, await exportedBytes(job, name));
    return (JSON.parse((await exec('exiftool', ['-j', local])).stdout) as Obj[])[0] ?? {};
  };

  it('writes Author and Title into a JPG and a PDF', async () => {
    const jpg = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#808080' } }).jpeg().toBuffer();
    const job = await runJob({
      jpg: base64(jpg, 'photo.jpg'),
      pdf: base64(await twoPagePdf('Nobody'), 'report.pdf'),
      'tag-jpg': { operation: 'metadata/write', input: 'jpg', metadata: { Author: 'Ann Example', Title: 'Harbour at dusk', 'XMP-dc:Rights': 'CC-BY' } },
      'tag-pdf': { operation: 'metadata/write', input: 'pdf', metadata: { Author: 'Bob Example', Title: 'Q3 report' } },
      'out-jpg': { operation: 'export/url', input: 'tag-jpg' },
      'out-pdf': { operation: 'export/url', input: 'tag-pdf' },
    });
    assert.equal(job['status'], 'finished', JSON.stringify(job));
    const jpgTags = await readBack(job, 'out-jpg', 'jpg');
    assert.equal(jpgTags['Author'], 'Ann Example');
    assert.equal(jpgTags['Title'], 'Harbour at dusk');
    assert.equal(jpgTags['Rights'], 'CC-BY');
    const pdfTags = await readBack(job, 'out-pdf', 'pdf');
    assert.equal(pdfTags['Author'], 'Bob Example');
    assert.equal(pdfTags['Title'], 'Q3 report');
    assert.equal(filesOf(byName(job, 'tag-pdf'))[0]?.['filename'], 'report.pdf');
  });

  it('refuses file-system tags, unsafe tags and injection attempts with a 422 naming the field', async () => {
    const attempts: Obj[] = [
      { FileName: 'moved.jpg' },
      { Directory: '/tmp' },
      { 'System:FileModifyDate': '2020:01:01 00:00:00' },
      { Compression: 1 },
      { 'IFD0:ThumbnailOffset': 1 },
      { Geotag: '/etc/passwd' },
      { 'Title<=/etc/passwd': 'x' },
      { '-o': '/tmp/out' },
      { 'Title+': 'x' },
      { Title: 'x\n-Directory=/tmp' },
      { Title: { nested: true } },
      { all: '' },
    ];
    for (const metadata of attempts) {
      const created = await create({ in: { operation: 'import/raw', file: 'x', filename: 'a.jpg' }, tag: { operation: 'metadata/write', input: 'in', metadata } });
      assert.equal(created.status, 422, `${JSON.stringify(metadata)}: ${JSON.stringify(created.body)}`);
      const errors = created.body['errors'] as Record<string, string[]>;
      assert.ok(errors['tasks.tag.metadata'] !== undefined, JSON.stringify(errors));
    }
    const missing = await create({ in: { operation: 'import/raw', file: 'x', filename: 'a.jpg' }, tag: { operation: 'metadata/write', input: 'in' } });
    assert.equal(missing.status, 422);
  });

  it('fails the task with the tag named when exiftool cannot write it to this format', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000000' } }).png().toBuffer();
    const job = await runJob({ in: base64(png, 'dot.png'), tag: { operation: 'metadata/write', input: 'in', metadata: { NoSuchTagAnywhere: 'x' } } });
    const tag = byName(job, 'tag');
    assert.equal(tag['status'], 'error', JSON.stringify(tag));
    assert.match(String(tag['message']), /NoSuchTagAnywhere/);
  });

  it('reads exiftool tags into result.metadata: a JPG with EXIF keeps the old fields too, a PDF has PageCount and Author', async () => {
    const jpg = await sharp({ create: { width: 64, height: 32, channels: 3, background: '#336699' } })
      .jpeg()
      .withExif({ IFD0: { Artist: 'Carol Example', ImageDescription: 'A blue field', Make: 'TestCam' } })
      .toBuffer();
    const job = await runJob({
      jpg: base64(jpg, 'exif.jpg'),
      pdf: base64(await twoPagePdf('Dana Example'), 'two.pdf'),
      'meta-jpg': { operation: 'metadata', input: 'jpg' },
      'meta-pdf': { operation: 'metadata', input: 'pdf' },
    });
    assert.equal(job['status'], 'finished', JSON.stringify(job));
    const jpgMeta = (byName(job, 'meta-jpg')['result'] as Obj)['metadata'] as Obj;
    assert.equal(jpgMeta['Artist'], 'Carol Example');
    assert.equal(jpgMeta['Make'], 'TestCam');
    assert.equal(jpgMeta['ImageWidth'], 64);
    assert.equal(jpgMeta['ImageHeight'], 32);
    assert.equal(jpgMeta['Directory'], undefined, 'no server path');
    assert.equal(JSON.stringify(jpgMeta).includes(server.dataDir), false, 'no server path anywhere');
    const pdfMeta = (byName(job, 'meta-pdf')['result'] as Obj)['metadata'] as Obj;
    assert.equal(pdfMeta['PageCount'], 2);
    assert.equal(pdfMeta['Author'], 'Dana Example');
    assert.equal(byName(job, 'meta-pdf')['engine'], 'exiftool');
  });
});
