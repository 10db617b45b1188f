// WARM_POOLS with the real LibreOffice and Chromium: the worker starts every instance of both
// pools as it starts, before any job, and the first docx → pdf and html → pdf run on them (no new
// process); stopping the worker while they start leaves no process and no profile folder; a tool
// that is not installed is skipped and one that fails to start is logged, the worker running on;
// with the setting off nothing starts before the first job.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { convertFile } from '../helpers/convert.js';
import { pdfText, requireOfficeTools } from '../helpers/documents.js';
import { pngOf } from '../helpers/fixtures.js';
import { toolProcesses } from '../helpers/processes.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { until } from '../helpers/wait.js';
import { requireChromium } from '../helpers/web-pages.js';
import { zipBytes } from '../helpers/zip-bytes.js';

/** A LibreOffice start takes seconds, several at once on 2 busy cores far more. */
const WARM_MS = 120_000;

/** soffice processes whose instance folder lies in `tempDir`, as "pid args". */
async function officeProcesses(tempDir: string): Promise<string[]> {
  const office = await toolProcesses((args) => /soffice\.bin/.test(args) && args.includes(tempDir), (args) => /soffice\.bin/.test(args));
  return office.map((p) => `${p.pid} ${p.args}`).sort();
}

/** Chromium browser processes (not their renderers and helpers) whose profile lies in `tempDir`. */
async function browserProcesses(tempDir: string): Promise<string[]> {
  const browsers = await toolProcesses((args) => args.includes('--user-data-dir=') && args.includes(tempDir), (args) => args.includes('--user-data-dir=') && !args.includes('--type='));
  return browsers.map((p) => `${p.pid} ${p.args}`).sort();
}

/** The pools' profile folders in `tempDir`. */
async function poolFolders(tempDir: string): Promise<string[]> {
  const names = await readdir(tempDir).catch(() => []);
  return names.filter((name) => name.startsWith('libreoffice-') || name.startsWith('chromium-'));
}

/** A log destination whose JSON lines a test can read. */
function logSink(): { stream: Writable; lines: () => Array<Record<string, unknown>> } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  const lines = (): Array<Record<string, unknown>> => text.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stream, lines };
}

/** A one-paragraph Word document. */
function docx(text: string): Buffer {
  const main = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument';
  return zipBytes([
    { name: '[Content_Types].xml', data: `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="${main}"/></Types>` },
    { name: '_rels/.rels', data: `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}" Target="word/document.xml"/></Relationships>` },
    { name: 'word/document.xml', data: `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>` },
  ]);
}

const finished = (result: { status: { body: Record<string, unknown> } }, what: string): void =>
  assert.equal(result.status.body['step'], 'finished', `${what}: ${String(result.status.body['message'])}`);

describe('WARM_POOLS', () => {
  let dir: string;
  before(async () => {
    await requireOfficeTools();
    await requireChromium();
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-warm-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('on', () => {
    let server: TestServer;
    let tmp: string;
    const log = logSink();
    before(async () => {
      tmp = path.join(dir, 'warm');
      server = await startTestServer({ env: { WARM_POOLS: 'true', WORKER_CONCURRENCY: '2', TEMP_DIR: tmp }, logTo: log.stream });
    });
    after(async () => {
      await server.stop();
    });

    it('starts every instance of both pools before any job, and logs each pool once warm', async (t) => {
      const warmLine = (engine: string) => log.lines().find((line) => line['engine'] === engine && line['msg'] === `${engine} pool warm`);
      await until(async () => warmLine('libreoffice') !== undefined && warmLine('chromium') !== undefined, WARM_MS, 'both pools to be warm');
      for (const engine of ['libreoffice', 'chromium']) {
        const line = warmLine(engine);
        assert.equal(line?.['started'], 2, `${engine}: both slots started`);
        t.diagnostic(`${engine} pool warm after ${String(line?.['ms'])} ms`);
      }
      assert.equal((await officeProcesses(tmp)).length, 2, 'two running soffice');
      assert.equal((await browserProcesses(tmp)).length, 2, 'two running browsers');
      assert.equal(log.lines().filter((line) => line['level'] === 40).length, 0, 'no warning');
    });

    it('runs the first docx → pdf and html → pdf on the warm instances: no process starts', async () => {
      const office = await officeProcesses(tmp);
      const browsers = await browserProcesses(tmp);
      const file = path.join(dir, 'first.docx');
      await writeFile(file, docx('Warm start'));
      const doc = await convertFile(server, file, { inputformat: 'docx', outputformat: 'pdf' }, await mkdtemp(path.join(dir, 'docx-')));
      finished(doc, 'docx → pdf');
      assert.match(await pdfText(doc.files[0] ?? ''), /Warm start/);
      const html = path.join(dir, 'first.html');
      await writeFile(html, '<!doctype html><html><body><p>Warm browser</p></body></html>');
      const page = await convertFile(server, html, { inputformat: 'html', outputformat: 'pdf' }, await mkdtemp(path.join(dir, 'html-')));
      finished(page, 'html → pdf');
      assert.match(await pdfText(page.files[0] ?? ''), /Warm browser/);
      assert.deepEqual(await officeProcesses(tmp), office, 'the same soffice processes');
      assert.deepEqual(await browserProcesses(tmp), browsers, 'the same browsers');
    });
  });

  it('stopping the worker while the pools start leaves no process and no profile folder', async () => {
    const tmp = path.join(dir, 'stopped');
    const server = await startTestServer({ env: { WARM_POOLS: 'true', WORKER_CONCURRENCY: '2', TEMP_DIR: tmp } });
    try {
      // Stopped as soon as the first soffice runs: the instances are still connecting.
      await until(async () => (await officeProcesses(tmp)).length > 0, WARM_MS, 'a soffice to start');
    } finally {
      await server.stop();
    }
    // Every instance was stopped and awaited by close(): nothing to wait for here.
    assert.deepEqual(await officeProcesses(tmp), []);
    assert.deepEqual(await browserProcesses(tmp), []);
    assert.deepEqual(await poolFolders(tmp), []);
  });

  it('skips a pool whose tool is missing and logs a start that fails; the worker converts on', async () => {
    const tmp = path.join(dir, 'broken');
    const log = logSink();
    // soffice is there but its bridge's "Python" exits at once: each instance fails to start.
    const env = { WARM_POOLS: 'true', WORKER_CONCURRENCY: '2', TEMP_DIR: tmp, LIBREOFFICE_PYTHON: '/bin/false', CHROMIUM_PATH: path.join(dir, 'no-chromium') };
    const server = await startTestServer({ env, logTo: log.stream });
    try {
      const lineOf = (engine: string) => log.lines().find((line) => line['engine'] === engine);
      await until(async () => lineOf('libreoffice') !== undefined && lineOf('chromium') !== undefined, WARM_MS, 'a line for each pool');
      const office = lineOf('libreoffice');
      assert.equal(office?.['level'], 40, 'a warning');
      assert.equal(office?.['failed'], 2);
      assert.match(String(office?.['msg']), /did not start ahead of jobs.*LibreOffice stopped/);
      const chromium = lineOf('chromium');
      assert.equal(chromium?.['level'], 30, 'information only');
      assert.match(String(chromium?.['msg']), /chromium pool not warmed: .*no-chromium is not installed/);
      assert.equal(log.lines().filter((line) => line['engine'] !== undefined).length, 2, 'one line per pool');
      await until(async () => (await officeProcesses(tmp)).length === 0, 10_000, 'the failed instances to be gone');
      const png = path.join(dir, 'dot.png');
      await writeFile(png, await pngOf(8, 8));
      finished(await convertFile(server, png, { inputformat: 'png', outputformat: 'jpg' }, await mkdtemp(path.join(dir, 'jpg-'))), 'png → jpg');
    } finally {
      await server.stop();
    }
    assert.deepEqual(await poolFolders(tmp), []);
  });

  it('off (the test default), starts nothing before the first job', async () => {
    const tmp = path.join(dir, 'lazy');
    const server = await startTestServer({ env: { WORKER_CONCURRENCY: '2', TEMP_DIR: tmp } });
    try {
      assert.equal(server.config.worker.warmPools, false);
      // Long enough for a warm start to have spawned its processes (they appear within a second).
      await new Promise((resolve) => setTimeout(resolve, 2000));
      assert.deepEqual(await officeProcesses(tmp), []);
      assert.deepEqual(await browserProcesses(tmp), []);
      const file = path.join(dir, 'lazy.docx');
      await writeFile(file, docx('Lazy start'));
      finished(await convertFile(server, file, { inputformat: 'docx', outputformat: 'pdf' }, await mkdtemp(path.join(dir, 'lazy-'))), 'docx → pdf');
      assert.equal((await officeProcesses(tmp)).length, 1, 'one instance, for the job');
    } finally {
      await server.stop();
    }
  });
});
