// The format matrix through the API (see matrix.ts). `npm test` runs the covering sample: every
// input and output format, every mode × engine and every engine's option sample at least once.
// `npm run test:formats` (FORMAT_MATRIX=full) converts every listed entry;
// FORMAT_MATRIX_FORMATS=bmp,psd converts every entry that reads or writes one of those formats.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { requireTools } from '../helpers/tools.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startWebPages, type WebPages } from '../helpers/web-pages.js';
import { caseName, coveringCases, listedEntries, mergedParts, runCases, type ListedEntry, type MatrixCase, type MatrixRun } from './matrix.js';

const FULL = process.env['FORMAT_MATRIX'] === 'full';
const ONLY = (process.env['FORMAT_MATRIX_FORMATS'] ?? '').split(',').filter((f) => f !== '');

describe('format matrix: every listed conversion, proven by content', () => {
  let server: TestServer;
  let web: WebPages;
  let dir: string;
  let entries: ListedEntry[];

  before(async () => {
    await requireTools(mergedParts().tools);
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-formats-'));
    web = await startWebPages();
    // Heavy concurrency 2 as on a 2-core worker; the website samples are served on 127.0.0.1.
    server = await startTestServer({ env: { ALLOW_PRIVATE_URLS: 'true', WORKER_CONCURRENCY: '2' } });
    entries = await listedEntries(server);
  });

  after(async () => {
    await server?.stop();
    await web?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('has a sample for every listed input, a check for every listed output, and an option sample for every engine with options', async () => {
    const parts = mergedParts();
    const inputs = new Set(entries.filter((e) => e.mode !== 'archive').map((e) => e.inputformat));
    const outputs = new Set(entries.filter((e) => e.mode !== 'extract').map((e) => e.outputformat));
    assert.deepEqual([...inputs].filter((f) => !parts.samples.has(f)), [], 'listed input formats without a sample maker in test/formats/parts');
    assert.deepEqual([...outputs].filter((f) => !parts.checks.has(f)), [], 'listed output formats without an output check in test/formats/parts');
    const response = await fetch(`${server.baseUrl}/conversiontypes`);
    const withOptions = new Set(((await response.json()) as Array<ListedEntry & { converteroptions: Record<string, unknown> }>).filter((e) => e.mode === undefined && Object.keys(e.converteroptions).length > 0).map((e) => e.converter));
    assert.deepEqual([...withOptions].filter((engine) => !parts.optionSamples.has(engine)), [], 'engines with options but no option sample in test/formats/parts');
  });

  // Longer than the suite's 5 minutes a test: about 200 conversions for the covering sample, and
  // thousands for the full matrix. Four at once: the light ones run beside the two heavy slots.
  it(FULL ? 'converts every listed entry' : ONLY.length > 0 ? `converts every entry of ${ONLY.join(', ')}` : 'converts a covering sample', { timeout: 4 * 3600_000 }, async () => {
    const cases: MatrixCase[] = FULL ? entries : ONLY.length > 0 ? entries.filter((e) => ONLY.includes(e.inputformat) || ONLY.includes(e.outputformat)) : coveringCases(entries, mergedParts().optionSamples);
    assert.ok(cases.length > 0, 'no cases to convert');
    const started = Date.now();
    const failures = await runCases({ server, web, dir } satisfies MatrixRun, cases, 4, (c, error, ms) => {
      if (error !== undefined || process.env['FORMAT_MATRIX_VERBOSE'] === '1') console.log(`${error === undefined ? 'ok  ' : 'FAIL'} ${caseName(c)} ${ms} ms`);
    });
    console.log(`format matrix: ${cases.length - failures.length}/${cases.length} passed in ${Math.round((Date.now() - started) / 1000)} s (${entries.length} entries listed)`);
    assert.deepEqual(
      failures.map((f) => `${caseName(f.c)}: ${f.error}`),
      [],
    );
  });
});
