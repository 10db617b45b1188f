// API v2's pdf/x through a real server and worker (own Redis, Ghostscript): the result is read
// back with qpdf and poppler to check what makes it PDF/X-3 (the Info keys, a GTS_PDFX
// OutputIntent with an embedded CMYK profile, CMYK colours) and that pages and text survive.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import { auth, json, postJson } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { requireTools } from '../helpers/tools.js';
import { base64Import, byName, exportedBytes, runJob, type Obj } from '../helpers/v2-jobs.js';

const exec = promisify(execFile);
const TIMEOUT = { timeout: 240_000 };

/** Two small pages of red Helvetica text (RGB colours, which PDF/X-3 must not keep), with a title. */
async function twoPages(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setTitle('Quarterly report');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of ['FIRST PAGE', 'SECOND PAGE']) doc.addPage([300, 200]).drawText(text, { x: 20, y: 100, size: 20, font, color: rgb(0.9, 0.1, 0.1) });
  return Buffer.from(await doc.save());
}

/** qpdf's JSON objects of a PDF, keyed `obj:N 0 R` and `trailer`. */
async function objectsOf(file: string): Promise<Record<string, Obj>> {
  const { stdout } = await exec('qpdf', ['--json=2', '--json-key=qpdf', file], { maxBuffer: 64 * 1024 * 1024 });
  return ((JSON.parse(stdout) as Obj)['qpdf'] as [Obj, Record<string, Obj>])[1];
}

describe('API v2 pdf/x', { timeout: 600_000 }, () => {
  let server: TestServer;
  let dir: string;
  let input: Buffer;

  before(async () => {
    await requireTools(['gs', 'qpdf', 'pdfinfo', 'pdftotext']);
    dir = await mkdtemp(path.join(tmpdir(), 'v2-pdf-x-'));
    input = await twoPages();
    server = await startTestServer();
  });
  after(async () => {
    await server?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  const convert = (bytes: Buffer, filename: string, task: Obj = {}): Promise<Obj> =>
    runJob(server, { in: base64Import(bytes, filename), work: { operation: 'pdf/x', input: 'in', ...task }, out: { operation: 'export/url', input: 'work' } });

  it('writes PDF/X-3:2002: Info keys, a GTS_PDFX OutputIntent with an embedded CMYK profile, CMYK colours, the same pages and text', TIMEOUT, async () => {
    const job = await convert(input, 'two.pdf', { conformance_level: '3' });
    assert.equal(job['status'], 'finished', JSON.stringify(job));
    const file = path.join(dir, 'two-x.pdf');
    const bytes = await exportedBytes(job, 'out');
    await writeFile(file, bytes);
    assert.equal(bytes.subarray(0, 8).toString('latin1'), '%PDF-1.3', 'PDF/X-3:2002 is PDF 1.3');

    const objects = await objectsOf(file);
    const value = (ref: unknown): Obj => (objects[`obj:${String(ref)}`]?.['value'] ?? {}) as Obj;
    const trailer = objects['trailer']?.['value'] as Obj;
    const info = value(trailer['/Info']);
    assert.equal(info['/GTS_PDFXVersion'], 'u:PDF/X-3:2002', JSON.stringify(info));
    assert.equal(info['/Trapped'], '/False');
    assert.equal(info['/Title'], 'u:Quarterly report', 'the input\'s title stays (PDF/X needs one)');
    const [intent, more] = (value(trailer['/Root'])['/OutputIntents'] ?? []) as unknown[];
    assert.equal(more, undefined, 'one OutputIntent');
    const outputIntent = value(intent);
    assert.equal(outputIntent['/S'], '/GTS_PDFX', JSON.stringify(outputIntent));
    assert.equal(typeof outputIntent['/OutputConditionIdentifier'], 'string');
    const profileRef = String(outputIntent['/DestOutputProfile']);
    const profile = objects[`obj:${profileRef}`]?.['stream'] as Obj;
    assert.equal((profile['dict'] as Obj)['/N'], 4);
    // The embedded stream is an ICC profile of CMYK data: its header says so.
    const icc = (await exec('qpdf', [`--show-object=${profileRef}`, '--filtered-stream-data', file], { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 })).stdout;
    assert.equal(icc.subarray(36, 40).toString('latin1'), 'acsp');
    assert.equal(icc.subarray(16, 20).toString('latin1'), 'CMYK');

    assert.match((await exec('pdfinfo', [file])).stdout, /Pages:\s+2\n/);
    assert.match((await exec('pdftotext', [file, '-'])).stdout, /FIRST PAGE[\s\S]*SECOND PAGE/);
    // The red text is now CMYK (`k`), no RGB (`rg`) is left in the page contents.
    const pages = (JSON.parse((await exec('qpdf', ['--json=2', '--json-key=pages', file])).stdout) as { pages: Array<{ contents: string[] }> }).pages;
    const streams = await Promise.all(pages.flatMap((p) => p.contents).map(async (ref) => (await exec('qpdf', [`--show-object=${ref}`, '--filtered-stream-data', file], { encoding: 'latin1' })).stdout));
    assert.equal(streams.length, 2);
    for (const stream of streams) {
      assert.match(stream, /\bk\b/, stream);
      assert.doesNotMatch(stream, /\brg\b/, stream);
    }
  });

  it('fails the task for a file that is no PDF, saying so', TIMEOUT, async () => {
    const job = await convert(Buffer.from('just some text, not a PDF\n'), 'fake.pdf');
    assert.equal(byName(job, 'work')['status'], 'error', JSON.stringify(job));
    assert.match(String(byName(job, 'work')['message']), /is not a PDF/i);
  });

  it('fails the task for a password-protected PDF, saying to decrypt it first', TIMEOUT, async () => {
    const plain = path.join(dir, 'plain.pdf');
    const locked = path.join(dir, 'locked.pdf');
    await writeFile(plain, input);
    await exec('qpdf', ['--encrypt', 'user-pw', 'owner-pw', '256', '--', plain, locked]);
    const job = await convert(await readFile(locked), 'locked.pdf');
    assert.equal(byName(job, 'work')['status'], 'error', JSON.stringify(job));
    assert.match(String(byName(job, 'work')['message']), /decrypted first with a pdf\/decrypt task/);
  });

  it('answers 422 naming the field for a PDF/X part it does not write and an input it does not read', async () => {
    const cases: Array<[Obj, string]> = [
      [{ conformance_level: '4' }, 'conformance_level'],
      [{ conformance_level: '1a' }, 'conformance_level'],
      [{ input_format: 'png' }, 'input_format'],
    ];
    for (const [task, field] of cases) {
      const response = await postJson(`${server.baseUrl}/v2/jobs`, { tasks: { in: { operation: 'import/upload' }, work: { operation: 'pdf/x', input: 'in', ...task } } }, auth());
      assert.equal(response.status, 422, `${JSON.stringify(task)}: ${JSON.stringify(response.body)}`);
      assert.deepEqual(Object.keys(response.body['errors'] as Obj), [`tasks.work.${field}`], JSON.stringify(response.body));
    }
  });

  it('GET /v2/operations lists pdf/x for PDF input with its one field', async () => {
    const reply = await json(`${server.baseUrl}/v2/operations?filter[operation]=pdf/x&include=options`);
    assert.equal(reply.status, 200);
    const items = reply.body['data'] as Obj[];
    assert.deepEqual(items.map((i) => [i['input_format'], i['output_format'], i['engine']]), [['pdf', 'pdf', 'pdftools']]);
    assert.deepEqual(((items[0]?.['options'] ?? []) as Obj[]).map((o) => o['name']), ['conformance_level']);
  });
});
