// Documents end to end. (1) docx → pdf through the API on a warm LibreOffice pool: median latency
// of one request at a time, and throughput with 1, 2 and 4 requests in flight, against
// `soffice --headless --convert-to pdf` run per file in the same run. (2) A 20-page PDF → png
// pages through the API against the same mutool command run directly.
// Targets: warm median < 0.8 s, throughput growing with concurrency; pdf → png ratio <= 1.1.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { buildRenderArgs } from '../workers/converters/mupdf/command.js';
import { BENCH_KEY, abs, json, machine, median, printResult, request, round, runBench, since, startBenchServer } from './lib.js';

const run = promisify(execFile);
const LATENCY_RUNS = 15;
const THROUGHPUT_DOCS = 16;
const SOFFICE_RUNS = 5;
const PDF_RUNS = 9;
const PDF_PAGES = 20;
const DENSITY = 150;

/** One conversion through the API: create, start, PUT, ?wait, download the output. */
async function apiConvert(baseUrl: string, file: Buffer, name: string, inputformat: string, outputformat: string, options: Record<string, unknown> = {}): Promise<Buffer> {
  const created = await json<{ url: string }>('POST', `${baseUrl}/process`, { apikey: BENCH_KEY, inputformat, outputformat });
  const started = await json<{ upload: { url: string } }>('POST', abs(created.url), { input: 'upload', outputformat, converteroptions: options });
  const put = await request('PUT', `${abs(started.upload.url)}/${name}`, { body: file });
  if (put.status !== 200) throw new Error(`upload answered ${put.status}`);
  const status = await json<{ step: string; output: { url: string } }>('GET', `${abs(created.url)}?wait=true`);
  if (status.step !== 'finished') throw new Error(`conversion ended in ${status.step}: ${JSON.stringify(status)}`);
  const output = await request('GET', abs(status.output.url));
  if (output.status !== 200 || output.body.length < 100) throw new Error(`download answered ${output.status}`);
  return output.body;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return since(start);
}

/** `total` documents with `concurrency` in flight; returns documents per minute. */
async function throughput(concurrency: number, total: number, one: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) {
      next += 1;
      await one();
    }
  }));
  return (total / since(start)) * 60_000;
}

async function makeTwentyPages(file: string): Promise<void> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= PDF_PAGES; i++) {
    const page = doc.addPage([595, 842]);
    for (let line = 0; line < 40; line++) page.drawText(`Page ${i}, line ${line + 1}: the quick brown fox jumps over the lazy dog.`, { x: 40, y: 800 - line * 19, size: 11, font });
  }
  await writeFile(file, await doc.save());
}

await runBench('documents', 20 * 60_000, async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'oc-bench-docs-'));
  try {
    const server = await startBenchServer({ WORKER_CONCURRENCY: '4', LIBREOFFICE_POOL_SIZE: '4' });
    // The docx: two pages of text, made by the server itself from plain text.
    const text = Array.from({ length: 90 }, (_, i) => `Paragraph ${i + 1}. ${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(2)}`).join('\n');
    const docx = await apiConvert(server.baseUrl, Buffer.from(text), 'letter.txt', 'txt', 'docx');
    const docxFile = path.join(dir, 'letter.docx');
    await writeFile(docxFile, docx);
    const one = (): Promise<Buffer> => apiConvert(server.baseUrl, docx, 'letter.docx', 'docx', 'pdf');
    // Warm every instance of the pool.
    await Promise.all([one(), one(), one(), one()]);
    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_RUNS; i++) latencies.push(await timed(one));
    const perMinute: Record<number, number> = {};
    for (const c of [1, 2, 4]) perMinute[c] = await throughput(c, THROUGHPUT_DOCS, one);

    // pdf → png pages through the API and with mutool directly.
    const pdfFile = path.join(dir, 'twenty.pdf');
    await makeTwentyPages(pdfFile);
    const pdf = await readFile(pdfFile);
    await apiConvert(server.baseUrl, pdf, 'twenty.pdf', 'pdf', 'png', { density: DENSITY });
    const apiPages: number[] = [];
    const barePages: number[] = [];
    for (let i = 0; i < PDF_RUNS; i++) {
      const outDir = path.join(dir, `mutool-${i}`);
      await mkdir(outDir);
      const pages = Array.from({ length: PDF_PAGES }, (_, p) => p + 1);
      barePages.push(await timed(() => run('mutool', buildRenderArgs(pdfFile, path.join(outDir, 'page-%d.png'), DENSITY, pages))));
      apiPages.push(await timed(() => apiConvert(server.baseUrl, pdf, 'twenty.pdf', 'pdf', 'png', { density: DENSITY })));
    }
    await server.stop();

    // soffice per file, with one profile that has already been created (its best case).
    const profile = `file://${path.join(dir, 'soffice-profile')}`;
    const soffice = (outDir: string): Promise<unknown> => run('soffice', [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', outDir, docxFile]);
    await soffice(path.join(dir, 'soffice-warm'));
    const sofficeTimes: number[] = [];
    for (let i = 0; i < SOFFICE_RUNS; i++) sofficeTimes.push(await timed(() => soffice(path.join(dir, `soffice-${i}`))));

    const warm = median(latencies);
    const cold = median(sofficeTimes);
    const pagesApi = median(apiPages);
    const pagesBare = median(barePages);
    const ratio = pagesApi / pagesBare;
    const grows = perMinute[2]! > perMinute[1]! * 1.2;
    console.log(`documents on ${machine()}`);
    console.log(`  docx (2 pages, ${(docx.length / 1024).toFixed(1)} KiB) → pdf through the API, pool of 4, WORKER_CONCURRENCY=4`);
    console.log(`    one at a time: median ${warm.toFixed(0)} ms  [${latencies.map((t) => t.toFixed(0)).join(', ')}]`);
    console.log(`    throughput: ${[1, 2, 4].map((c) => `${c} in flight ${perMinute[c]!.toFixed(0)}/min`).join(', ')}`);
    console.log(`    soffice --headless --convert-to pdf per file: median ${cold.toFixed(0)} ms (${(60_000 / cold).toFixed(0)}/min)  [${sofficeTimes.map((t) => t.toFixed(0)).join(', ')}]`);
    console.log(`    target warm median < 800 ms: ${warm < 800 ? 'met' : 'NOT met'}; throughput grows with concurrency: ${grows ? 'yes' : 'NO'}`);
    console.log(`  pdf (${PDF_PAGES} pages) → png at ${DENSITY} dpi: API (with the ZIP download) median ${pagesApi.toFixed(0)} ms, mutool directly ${pagesBare.toFixed(0)} ms, ratio ${ratio.toFixed(3)} (target <= 1.1: ${ratio <= 1.1 ? 'met' : 'NOT met'})`);
    printResult({
      bench: 'documents',
      docxPdfWarmMedianMs: round(warm, 0),
      docxPdfPerMinute: { 1: round(perMinute[1]!, 0), 2: round(perMinute[2]!, 0), 4: round(perMinute[4]!, 0) },
      sofficePerFileMedianMs: round(cold, 0),
      pdfPngApiMedianMs: round(pagesApi, 0),
      pdfPngMutoolMedianMs: round(pagesBare, 0),
      pdfPngRatio: round(ratio, 3),
      met: warm < 800 && grows && ratio <= 1.1,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
