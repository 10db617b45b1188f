// The format matrix: every entry /conversiontypes lists (convert pairs and the other modes),
// converted through the API from a sample made at test time, its outputs proven by content. The
// covering sample (CI) converts every input and every output format at least once, and each
// engine's option sample; the full matrix (`npm run test:formats`) converts every entry.
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SINGLE_FILE_FORMATS } from '../../src/core/catalog/engines/archive.js';
import { auth, json, postJson, type JsonResponse } from '../helpers/http.js';
import type { TestServer } from '../helpers/server.js';
import type { WebPages } from '../helpers/web-pages.js';
import { FORMAT_PARTS } from './parts/index.js';
import type { FormatPart, OptionSample, OutputCheck, SampleMaker } from './types.js';

/** One entry of GET /conversiontypes. */
export interface ListedEntry {
  readonly inputformat: string;
  readonly outputformat: string;
  readonly converter: string;
  /** Absent for mode=convert. */
  readonly mode?: 'compress' | 'combine' | 'archive' | 'extract';
}

/** What the matrix converts: a listed entry, optionally with options set. */
export interface MatrixCase extends ListedEntry {
  readonly options?: Readonly<Record<string, unknown>>;
}

export const caseName = (c: MatrixCase): string =>
  `${c.mode ?? 'convert'} ${c.inputformat} → ${c.outputformat} (${c.converter})${c.options === undefined ? '' : ` with ${JSON.stringify(c.options)}`}`;

/** Every part merged; a format in two parts is a mistake in the parts, named here. */
export function mergedParts(parts: readonly FormatPart[] = FORMAT_PARTS): { samples: Map<string, SampleMaker>; checks: Map<string, OutputCheck>; optionSamples: Map<string, OptionSample>; tools: string[] } {
  const samples = new Map<string, SampleMaker>();
  const checks = new Map<string, OutputCheck>();
  const optionSamples = new Map<string, OptionSample>();
  const owner = new Map<string, string>();
  for (const part of parts) {
    for (const [kind, table, target] of [
      ['sample', part.samples, samples],
      ['check', part.checks, checks],
      ['option sample', part.optionSamples ?? {}, optionSamples],
    ] as const) {
      for (const [key, value] of Object.entries(table)) {
        const seen = owner.get(`${kind}:${key}`);
        if (seen !== undefined) throw new Error(`The ${kind} of ${key} is in two format parts: ${seen} and ${part.name}.`);
        owner.set(`${kind}:${key}`, part.name);
        (target as Map<string, unknown>).set(key, value);
      }
    }
  }
  return { samples, checks, optionSamples, tools: [...new Set(parts.flatMap((p) => p.tools ?? []))] };
}

export async function listedEntries(server: TestServer): Promise<ListedEntry[]> {
  const response = await fetch(`${server.baseUrl}/conversiontypes`);
  assert.equal(response.status, 200);
  return (await response.json()) as ListedEntry[];
}

/**
 * The formats an entry needs a sample of (archive: any two files, or one for the formats that
 * compress a single file) and a check of (extract: the entries).
 */
function inputsOf(c: ListedEntry): string[] {
  if (c.mode !== 'archive') return [c.inputformat];
  return (SINGLE_FILE_FORMATS as readonly string[]).includes(c.outputformat) ? ['txt'] : ['png', 'txt'];
}

/**
 * A covering sample of the entries: every input format, every output format and every mode ×
 * engine at least once, chosen greedily (an entry covering two new formats first).
 */
export function coveringCases(entries: readonly ListedEntry[], optionSamples: ReadonlyMap<string, OptionSample>): MatrixCase[] {
  const keysOf = (e: ListedEntry): string[] => [`in:${e.inputformat}`, `out:${e.outputformat}`, `mode:${e.mode ?? 'convert'}:${e.converter}`];
  const uncovered = new Set(entries.flatMap(keysOf));
  const chosen: MatrixCase[] = [];
  while (uncovered.size > 0) {
    let best: ListedEntry | undefined;
    let bestGain = 0;
    for (const e of entries) {
      const gain = keysOf(e).filter((k) => uncovered.has(k)).length;
      if (gain > bestGain) [best, bestGain] = [e, gain];
    }
    if (best === undefined) break;
    chosen.push(best);
    for (const k of keysOf(best)) uncovered.delete(k);
  }
  for (const [engine, sample] of optionSamples) {
    const listed = entries.find((e) => e.mode === undefined && e.converter === engine && e.inputformat === sample.input && e.outputformat === sample.output);
    assert.ok(listed !== undefined, `The option sample of ${engine} (${sample.input} → ${sample.output}) is not a pair /conversiontypes lists with that engine.`);
    chosen.push({ ...listed, options: sample.options });
  }
  return chosen;
}

export interface MatrixRun {
  readonly server: TestServer;
  /** Serves the website samples (inputformat=website is a URL). */
  readonly web: WebPages;
  /** A scratch folder of the run. */
  readonly dir: string;
}

const made = new Map<string, Promise<string>>();

/** The sample of `format`, made once per run. */
export function sampleOf(run: MatrixRun, format: string): Promise<string> {
  const key = `${run.dir}:${format}`;
  let sample = made.get(key);
  if (sample === undefined) {
    const maker = mergedParts().samples.get(format);
    if (maker === undefined) return Promise.reject(new Error(`No format part makes a ${format} sample (test/formats/parts).`));
    const dir = path.join(run.dir, 'samples', format.replace(/[^a-z0-9.]/g, '_'));
    sample = mkdir(dir, { recursive: true }).then(() => maker(dir));
    made.set(key, sample);
  }
  return sample;
}

/** Downloads every output of a finished process into `dir`. */
async function downloadOutputs(run: MatrixRun, status: JsonResponse, dir: string): Promise<string[]> {
  const output = status.body['output'] as { url?: string; filename?: string; files?: string[] } | undefined;
  assert.ok(output?.url !== undefined, `no output: ${JSON.stringify(status.body)}`);
  const names = output.files ?? [output.filename ?? 'output'];
  const files: string[] = [];
  for (const name of names) {
    const target = output.files === undefined ? run.server.abs(output.url) : `${run.server.abs(output.url)}/${encodeURIComponent(name)}`;
    const response = await fetch(target);
    assert.equal(response.status, 200, `download of ${name}`);
    const local = path.join(dir, path.basename(name));
    await writeFile(local, Buffer.from(await response.arrayBuffer()));
    files.push(local);
  }
  return files;
}

let counter = 0;

/** Converts one case through the API and checks its outputs by content; throws with the reason. */
export async function convertCase(run: MatrixRun, c: MatrixCase): Promise<void> {
  const parts = mergedParts();
  const outputFormat = c.mode === 'extract' ? undefined : c.outputformat;
  const check = outputFormat === undefined ? undefined : parts.checks.get(outputFormat);
  if (outputFormat !== undefined && check === undefined) throw new Error(`No format part checks ${outputFormat} outputs (test/formats/parts).`);
  const dir = path.join(run.dir, 'out', String(++counter));
  await mkdir(dir, { recursive: true });
  const samples = await Promise.all(inputsOf(c).map((f) => sampleOf(run, f)));
  const inputformat = c.mode === 'archive' ? '*' : c.inputformat;
  const created = await postJson(`${run.server.baseUrl}/process`, { inputformat, outputformat: c.outputformat, ...(c.mode === undefined ? {} : { mode: c.mode }) }, auth());
  assert.equal(created.status, 200, `create: ${JSON.stringify(created.body)}`);
  const url = run.server.abs(String(created.body['url']));
  const start: Record<string, unknown> = { outputformat: c.outputformat, wait: true, ...(c.mode === undefined ? {} : { mode: c.mode }), ...(c.options === undefined ? {} : { converteroptions: c.options }) };
  if (c.inputformat === 'website') {
    const page = `/page-${counter}.html`;
    run.web.page(page, await readFile(samples[0] ?? ''));
    Object.assign(start, { input: 'url', file: `${run.web.baseUrl}${page}` });
  } else if (c.mode === 'combine' || c.mode === 'archive') {
    // Two files: the sample twice for combine (two inputs of one type), two formats for archive.
    const files = c.mode === 'combine' ? [samples[0] ?? '', samples[0] ?? ''] : samples;
    const objects = await Promise.all(files.map(async (file, i) => ({ file: (await readFile(file)).toString('base64'), filename: `${i + 1}-${path.basename(file)}` })));
    Object.assign(start, { input: 'base64', files: objects });
  } else {
    const file = samples[0] ?? '';
    Object.assign(start, { input: 'base64', file: (await readFile(file)).toString('base64'), filename: path.basename(file) });
  }
  const status = await postJson(url, start);
  assert.equal(status.status, 200, `start: ${JSON.stringify(status.body)}`);
  const final = status.body['step'] === 'finished' ? status : await json(`${url}?wait=true`);
  assert.equal(final.body['step'], 'finished', `the process ended in ${String(final.body['step'])}: ${String(final.body['message'])}`);
  const files = await downloadOutputs(run, final, dir);
  assert.ok(files.length > 0, 'no output files');
  if (check !== undefined) {
    await check(files, { input: c.inputformat as never, output: c.outputformat as never, sample: samples[0] ?? '' });
    return;
  }
  // extract: the entries of the sample archive come back (each sample archive holds readable files).
  assert.ok(files.length >= 1, 'extract gave no files');
}

/** Runs the cases `concurrency` at a time; returns the failures, each with its reason. */
export async function runCases(run: MatrixRun, cases: readonly MatrixCase[], concurrency = 3, onDone?: (c: MatrixCase, error: unknown, ms: number) => void): Promise<Array<{ c: MatrixCase; error: string }>> {
  const failures: Array<{ c: MatrixCase; error: string }> = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < cases.length) {
      const c = cases[next++];
      if (c === undefined) break;
      const started = Date.now();
      let error: unknown;
      try {
        await convertCase(run, c);
      } catch (e) {
        error = e;
        failures.push({ c, error: (e instanceof Error ? e.message : String(e)).split('\n').slice(0, 3).join(' ') });
      }
      onDone?.(c, error, Date.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return failures;
}
