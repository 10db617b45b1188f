// mode=combine through the API, in every shape real clients send it: `files` as URLs (JSON and
// `files[]=` form fields), as {file, filename} objects with base64 content, the object array under
// `file` (pdf → pdf without a mode), and several file parts of one multipart start. Pages are
// counted and their order checked by the text on them.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { pdfPages, pdfText, requireOfficeTools } from '../helpers/documents.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { auth, json, postJson, type JsonResponse } from '../helpers/http.js';
import { startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';
import { multipart } from '../helpers/wire.js';

/** A PDF whose pages say "<label> page <n>". */
async function labelledPdf(label: string, pages: number): Promise<Buffer> {
  const { PDFDocument, StandardFonts } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) doc.addPage([400, 300]).drawText(`${label} page ${i}`, { x: 30, y: 200, size: 20, font });
  return Buffer.from(await doc.save());
}

/** The labels of a PDF's pages in order, read back with mutool. */
async function pageLabels(file: string): Promise<string[]> {
  return [...(await pdfText(file)).matchAll(/(\w+) page (\d+)/g)].map((m) => `${m[1]}-${m[2]}`);
}

describe('mode=combine', () => {
  let server: TestServer;
  let fixtures: FixtureServer;
  let dir: string;
  let alpha: Buffer;
  let beta: Buffer;

  const createProcess = async (params: Record<string, unknown>): Promise<string> => {
    const created = await postJson(`${server.baseUrl}/process`, params, auth());
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return server.abs(String(created.body['url']));
  };

  /** Downloads output.url of a finished status into the test folder. */
  const download = async (status: JsonResponse): Promise<string> => {
    assert.equal(status.body['step'], 'finished', JSON.stringify(status.body));
    const output = status.body['output'] as { url: string; filename: string };
    const response = await fetch(server.abs(output.url));
    assert.equal(response.status, 200);
    const file = path.join(dir, `${Math.random().toString(16).slice(2)}-${output.filename}`);
    await writeFile(file, Buffer.from(await response.arrayBuffer()));
    return file;
  };

  before(async () => {
    await requireOfficeTools();
    server = await startTestServer({ env: { ALLOW_PRIVATE_URLS: 'true' } });
    fixtures = await startFixtureServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-combine-'));
    alpha = await labelledPdf('alpha', 3);
    beta = await labelledPdf('beta', 2);
    fixtures.serve('/alpha.pdf', alpha, 'application/pdf');
    fixtures.serve('/beta.pdf', beta, 'application/pdf');
    fixtures.serve('/no-extension', beta, 'application/pdf');
  });
  after(async () => {
    await server.stop();
    await fixtures.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('combines two pictures of the same type (each staged in a folder of its own) into one page each', async () => {
    const picture = sharp({ create: { width: 40, height: 30, channels: 3, background: '#336699' } });
    for (const [format, data] of [['png', await picture.clone().png().toBuffer()], ['jpg', await picture.clone().jpeg().toBuffer()], ['gif', await picture.clone().gif().toBuffer()], ['tiff', await picture.clone().tiff().toBuffer()]] as const) {
      const url = await createProcess({ inputformat: format, outputformat: 'pdf', mode: 'combine' });
      const files = [1, 2].map((n) => ({ file: data.toString('base64'), filename: `picture-${n}.${format}` }));
      const merged = await download(await postJson(url, { mode: 'combine', input: 'base64', files, wait: true }));
      assert.equal(await pdfPages(merged), 2, `${format} + ${format}`);
    }
  });

  it('merges two PDFs given as URLs, in order, and names the result after filename', async () => {
    const url = await createProcess({ mode: 'combine', inputformat: 'pdf', outputformat: 'pdf' });
    const status = await postJson(url, { mode: 'combine', input: 'download', files: [`${fixtures.baseUrl}/beta.pdf`, `${fixtures.baseUrl}/alpha.pdf`], filename: 'merged.pdf', wait: true });
    const file = await download(status);
    assert.equal((status.body['output'] as { filename: string }).filename, 'merged.pdf');
    assert.equal(await pdfPages(file), 5);
    assert.deepEqual(await pageLabels(file), ['beta-1', 'beta-2', 'alpha-1', 'alpha-2', 'alpha-3']);
  });

  it('takes files[]= form fields with no input method (a Ruby client sends that), via /convert', async () => {
    const form = new URLSearchParams([
      ['mode', 'combine'],
      ['inputformat', 'pdf'],
      ['outputformat', 'pdf'],
      ['files[]', `${fixtures.baseUrl}/alpha.pdf`],
      ['files[]', `${fixtures.baseUrl}/no-extension`],
      ['wait', 'true'],
    ]);
    const status = await json(`${server.baseUrl}/convert`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth() }, body: form.toString() });
    const file = await download(status);
    assert.deepEqual(await pageLabels(file), ['alpha-1', 'alpha-2', 'alpha-3', 'beta-1', 'beta-2']);
    assert.equal((status.body['output'] as { filename: string }).filename, 'alpha.pdf', 'named after the first input without filename');
  });

  it('takes {file, filename} objects with base64 content, and the object array under file (pdf → pdf, no mode)', async () => {
    const objects = [
      { file: beta.toString('base64'), filename: 'b.pdf' },
      { file: alpha.toString('base64'), filename: 'a.pdf' },
    ];
    const url = await createProcess({ inputformat: 'pdf', outputformat: 'pdf', mode: 'combine' });
    const first = await download(await postJson(url, { mode: 'combine', input: 'base64', files: objects, wait: true }));
    assert.deepEqual(await pageLabels(first), ['beta-1', 'beta-2', 'alpha-1', 'alpha-2', 'alpha-3']);
    const plain = await createProcess({ inputformat: 'pdf', outputformat: 'pdf' });
    const second = await download(await postJson(plain, { input: 'base64', file: objects.slice().reverse(), outputformat: 'pdf', wait: true }));
    assert.deepEqual(await pageLabels(second), ['alpha-1', 'alpha-2', 'alpha-3', 'beta-1', 'beta-2']);
  });

  it('combines a PDF, an image and an office document sent as file parts of one multipart start', async () => {
    const png = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#3366cc' } }).png().toBuffer();
    const url = await createProcess({ mode: 'combine', outputformat: 'pdf' });
    const { body, contentType } = multipart([
      { name: 'mode', value: 'combine' },
      { name: 'outputformat', value: 'pdf' },
      { name: 'wait', value: 'true' },
      { name: 'file', filename: 'alpha.pdf', data: alpha },
      { name: 'file', filename: 'picture.png', data: png },
      { name: 'file', filename: 'notes.txt', data: Buffer.from('gamma page 1\n') },
    ]);
    const status = await json(url, { method: 'POST', headers: { 'content-type': contentType }, body });
    const file = await download(status);
    assert.equal(await pdfPages(file), 5);
    assert.deepEqual(await pageLabels(file), ['alpha-1', 'alpha-2', 'alpha-3', 'gamma-1']);
  });

  it('takes several file parts with the key in the query of /convert as one process', async () => {
    const { body, contentType } = multipart([
      { name: 'mode', value: 'combine' },
      { name: 'outputformat', value: 'pdf' },
      { name: 'wait', value: 'true' },
      { name: 'file', filename: 'beta.pdf', data: beta },
      { name: 'file', filename: 'alpha.pdf', data: alpha },
    ]);
    const before = await json<unknown[]>(`${server.baseUrl}/processes`, { headers: auth() });
    const status = await json(`${server.baseUrl}/convert?apikey=${encodeURIComponent(TEST_KEY)}`, { method: 'POST', headers: { 'content-type': contentType }, body });
    const file = await download(status);
    assert.deepEqual(await pageLabels(file), ['beta-1', 'beta-2', 'alpha-1', 'alpha-2', 'alpha-3']);
    const after = await json<unknown[]>(`${server.baseUrl}/processes`, { headers: auth() });
    assert.equal(after.body.length, before.body.length + 1, 'one process for both parts');
  });

  it('gives names without an extension inputformat\'s: LARA\'s default filenames and a single URL', async () => {
    const lara = await createProcess({ mode: 'combine', inputformat: 'pdf', outputformat: 'pdf' });
    const files = [{ file: `${fixtures.baseUrl}/alpha.pdf`, filename: '1' }, { file: `${fixtures.baseUrl}/beta.pdf`, filename: '2' }];
    const merged = await download(await postJson(lara, { mode: 'combine', input: 'url', files, wait: true }));
    assert.deepEqual(await pageLabels(merged), ['alpha-1', 'alpha-2', 'alpha-3', 'beta-1', 'beta-2']);
    const single = await createProcess({ mode: 'combine', inputformat: 'pdf', outputformat: 'pdf' });
    const one = await download(await postJson(single, { mode: 'combine', input: 'download', file: `${fixtures.baseUrl}/no-extension`, wait: true }));
    assert.deepEqual(await pageLabels(one), ['beta-1', 'beta-2']);
  });

  it('refuses what cannot be combined with a clear 400', async () => {
    const toPng = await createProcess({ inputformat: 'pdf', outputformat: 'png' });
    const several = await postJson(toPng, { input: 'download', files: [`${fixtures.baseUrl}/alpha.pdf`, `${fixtures.baseUrl}/beta.pdf`] });
    assert.equal(several.status, 400);
    assert.match(String(several.body['error']), /Several input files need mode=combine/);

    const video = await createProcess({ mode: 'combine', outputformat: 'pdf' });
    const mp4 = await postJson(video, { mode: 'combine', input: 'download', files: [`${fixtures.baseUrl}/alpha.pdf`, { file: `${fixtures.baseUrl}/beta.pdf`, filename: 'clip.mp4' }] });
    assert.equal(mp4.status, 400);
    assert.match(String(mp4.body['hint']), /cannot add mp4 files/);

    const upload = await createProcess({ mode: 'combine', outputformat: 'pdf' });
    const noFiles = await postJson(upload, { mode: 'combine', input: 'upload' });
    assert.equal(noFiles.status, 400);
    assert.match(String(noFiles.body['error']), /file parts of one multipart POST/);
    const retry = await postJson(upload, { mode: 'combine', input: 'download', files: [`${fixtures.baseUrl}/alpha.pdf`], wait: true });
    assert.equal(retry.body['step'], 'finished', 'a refused start leaves the process startable');
  });

  it('ends in 422 when one of the inputs is not a readable PDF', async () => {
    fixtures.serve('/broken.pdf', Buffer.from('%PDF-1.4 this is not really a pdf'), 'application/pdf');
    const url = await createProcess({ mode: 'combine', outputformat: 'pdf' });
    const status = await postJson(url, { mode: 'combine', input: 'download', files: [`${fixtures.baseUrl}/alpha.pdf`, `${fixtures.baseUrl}/broken.pdf`], wait: true });
    assert.equal(status.status, 422, JSON.stringify(status.body));
    assert.equal(status.body['step'], 'error');
    assert.match(String(status.body['message']), /mutool could not read/);
  });
});
