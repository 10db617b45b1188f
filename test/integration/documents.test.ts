// The office engine (LibreOffice pool) through the API: each group to pdf with page count and
// text checked, the pdf options, cross-office conversions, corrupt input, several at once.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { convertFile } from '../helpers/convert.js';
import { makeOdp, pdfPages, pdfText, requireOfficeTools } from '../helpers/documents.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);
const PAGES_HTML = (n: number): string =>
  `<html><body>${Array.from({ length: n }, (_, i) => `<p${i === 0 ? '' : ' style="page-break-before: always"'}>Page marker ${i + 1}</p>`).join('')}</body></html>`;

describe('LibreOffice engine through the API', () => {
  let server: TestServer;
  let dir: string;
  const out = async (): Promise<string> => mkdtemp(path.join(dir, 'out-'));
  const fixture = async (name: string, content: string): Promise<string> => {
    const file = path.join(dir, name);
    await writeFile(file, content);
    return file;
  };
  const finished = (result: { status: { body: Record<string, unknown> } }, what: string): void =>
    assert.equal(result.status.body['step'], 'finished', `${what}: ${String(result.status.body['message'])}`);

  before(async () => {
    await requireOfficeTools();
    server = await startTestServer({ env: { WORKER_CONCURRENCY: '2' } });
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-docs-'));
  });
  after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('converts html to pdf with one page per page break, and txt to pdf', async () => {
    const html = await fixture('three.html', PAGES_HTML(3));
    const result = await convertFile(server, html, { inputformat: 'html', outputformat: 'pdf' }, await out());
    finished(result, 'html');
    const pdf = result.files[0] ?? '';
    assert.equal(path.basename(pdf), 'three.pdf');
    assert.equal(await pdfPages(pdf), 3);
    const text = await pdfText(pdf);
    for (const n of [1, 2, 3]) assert.match(text, new RegExp(`Page marker ${n}`));
    const txt = await fixture('note.txt', 'Hello from a text file\nsecond line äöü\n');
    const fromTxt = await convertFile(server, txt, { inputformat: 'txt', outputformat: 'pdf' }, await out());
    finished(fromTxt, 'txt');
    assert.match(await pdfText(fromTxt.files[0] ?? ''), /second line äöü/);
  });

  it('applies page_range and pdf_a', async () => {
    const html = await fixture('five.html', PAGES_HTML(5));
    const result = await convertFile(server, html, { inputformat: 'html', outputformat: 'pdf', converteroptions: { page_range: '2-3,5', pdf_a: true } }, await out());
    finished(result, 'page_range');
    const pdf = result.files[0] ?? '';
    assert.equal(await pdfPages(pdf), 3);
    const text = await pdfText(pdf);
    assert.doesNotMatch(text, /Page marker 1\b/);
    assert.match(text, /Page marker 5/);
    assert.match((await readFile(pdf)).toString('latin1'), /<pdfaid:part>2<\/pdfaid:part>/);
    const plain = await convertFile(server, html, { inputformat: 'html', outputformat: 'pdf' }, await out());
    assert.doesNotMatch((await readFile(plain.files[0] ?? '')).toString('latin1'), /pdfaid:part/);
  });

  it('converts between text formats and keeps the text: txt → docx → odt → rtf → doc → pdf, txt → html', async () => {
    let file = await fixture('chain.txt', 'A chain of conversions\n');
    let format = 'txt';
    for (const next of ['docx', 'odt', 'rtf', 'doc', 'pdf']) {
      const result = await convertFile(server, file, { inputformat: format, outputformat: next }, await out());
      finished(result, `${format} → ${next}`);
      file = result.files[0] ?? '';
      assert.ok(file.endsWith(`.${next}`), file);
      format = next;
    }
    assert.match(await pdfText(file), /A chain of conversions/);
    const html = await convertFile(server, await fixture('to-html.txt', 'Now as a web page\n'), { inputformat: 'txt', outputformat: 'html' }, await out());
    finished(html, 'txt → html');
    assert.match(await readFile(html.files[0] ?? '', 'utf8'), /<html[\s\S]*Now as a web page/);
  });

  it('converts spreadsheets: csv → xlsx → ods → csv keeps the cells, xlsx → pdf shows them', async () => {
    const csv = await fixture('table.csv', 'name,count\nalpha,12\nbeta,34\n');
    const xlsx = await convertFile(server, csv, { inputformat: 'csv', outputformat: 'xlsx' }, await out());
    finished(xlsx, 'csv → xlsx');
    const ods = await convertFile(server, xlsx.files[0] ?? '', { inputformat: 'xlsx', outputformat: 'ods' }, await out());
    finished(ods, 'xlsx → ods');
    const back = await convertFile(server, ods.files[0] ?? '', { inputformat: 'ods', outputformat: 'csv' }, await out());
    finished(back, 'ods → csv');
    assert.equal((await readFile(back.files[0] ?? '', 'utf8')).trim().replaceAll('"', ''), 'name,count\nalpha,12\nbeta,34');
    const pdf = await convertFile(server, xlsx.files[0] ?? '', { inputformat: 'xlsx', outputformat: 'pdf' }, await out());
    finished(pdf, 'xlsx → pdf');
    assert.match(await pdfText(pdf.files[0] ?? ''), /beta/);
  });

  it('converts presentations: odp → pptx → pdf with one page per slide', async () => {
    const odp = path.join(dir, 'slides.odp');
    await makeOdp(odp, ['First slide title', 'Second slide title']);
    const pptx = await convertFile(server, odp, { inputformat: 'odp', outputformat: 'pptx' }, await out());
    finished(pptx, 'odp → pptx');
    const pdf = await convertFile(server, pptx.files[0] ?? '', { inputformat: 'pptx', outputformat: 'pdf' }, await out());
    finished(pdf, 'pptx → pdf');
    assert.equal(await pdfPages(pdf.files[0] ?? ''), 2);
    assert.match(await pdfText(pdf.files[0] ?? ''), /Second slide title/);
  });

  it('does not embed local files an HTML document links to', async () => {
    const secret = path.join(dir, 'secret.png');
    await sharp({ create: { width: 64, height: 64, channels: 3, background: 'blue' } }).png().toFile(secret);
    const page = await fixture('linker.html', `<html><body><p>Linked image below</p><img src="file://${secret}"><img src="${secret}"></body></html>`);
    const result = await convertFile(server, page, { inputformat: 'html', outputformat: 'pdf' }, await out());
    finished(result, 'html with local links');
    const { stdout } = await run('mutool', ['info', result.files[0] ?? '']);
    assert.match(await pdfText(result.files[0] ?? ''), /Linked image below/);
    assert.doesNotMatch(stdout, /Images \(/);
  });

  it('converts pdf to docx (LibreOffice\'s PDF import) and keeps the text', async () => {
    const html = await fixture('for-pdf.html', PAGES_HTML(2));
    const pdf = await convertFile(server, html, { inputformat: 'html', outputformat: 'pdf' }, await out());
    const docx = await convertFile(server, pdf.files[0] ?? '', { inputformat: 'pdf', outputformat: 'docx' }, await out());
    finished(docx, 'pdf → docx');
    assert.equal((docx.status.body['converter'] as { type: string }).type, 'libreoffice');
    const back = await convertFile(server, docx.files[0] ?? '', { inputformat: 'docx', outputformat: 'pdf' }, await out());
    assert.match(await pdfText(back.files[0] ?? ''), /Page marker 2/);
  });

  it('answers 422 with a clear message for a corrupt document', async () => {
    const corrupt = await fixture('broken.docx', 'PK\u0003\u0004 this is not really a zip file');
    const result = await convertFile(server, corrupt, { inputformat: 'docx', outputformat: 'pdf' }, await out());
    assert.equal(result.status.status, 422);
    assert.equal(result.status.body['step'], 'error');
    assert.match(String(result.status.body['message']), /LibreOffice could not convert the docx file/);
    // The pool is still usable afterwards.
    const ok = await convertFile(server, await fixture('after.txt', 'still working\n'), { inputformat: 'txt', outputformat: 'pdf' }, await out());
    finished(ok, 'after a corrupt document');
  });

  it('runs several conversions at once and all succeed', async () => {
    const files = await Promise.all([1, 2, 3, 4, 5].map((n) => fixture(`many-${n}.txt`, `Document number ${n}\n`)));
    const results = await Promise.all(files.map(async (file) => convertFile(server, file, { inputformat: 'txt', outputformat: 'pdf' }, await out())));
    for (const [i, result] of results.entries()) {
      finished(result, `document ${i + 1}`);
      assert.match(await pdfText(result.files[0] ?? ''), new RegExp(`Document number ${i + 1}`));
    }
  });

  it('rejects page_range on a pair without pdf output and a bad page_range with 400', async () => {
    const response = await fetch(`${server.baseUrl}/conversiontypes?inputformat=docx&outputformat=pdf`);
    const types = (await response.json()) as Array<{ converter: string; converteroptions: Record<string, unknown> }>;
    assert.equal(types[0]?.converter, 'libreoffice');
    assert.ok(types[0] !== undefined && 'page_range' in types[0].converteroptions && 'pdf_a' in types[0].converteroptions);
    const bad = await convertFile(server, await fixture('x.txt', 'x'), { inputformat: 'txt', outputformat: 'pdf', converteroptions: { page_range: 'first' } }, await out()).catch((error: Error) => error);
    assert.ok(bad instanceof Error && /page_range/.test(bad.message), String(bad));
  });
});
