// What the tool sandbox costs per tool run: the same small mutool command (the page count of a
// one-page PDF, what every PDF conversion starts with) run directly, through the sandbox without
// namespaces (setpriv + prlimit) and through bubblewrap, alternating, after warm-ups.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../src/config/index.js';
import { startSandbox } from '../workers/runtime.js';
import type { ToolRunner } from '../workers/tools/sandbox/index.js';
import { machine, median, percentile, printResult, round, runBench, since } from './lib.js';

const run = promisify(execFile);
const RUNS = 60;
const WARMUPS = 5;
const PDF = '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';

await runBench('sandbox-overhead', 5 * 60_000, async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'oc-bench-sandbox-'));
  try {
    const job = path.join(dir, 'job');
    await mkdir(job);
    const pdf = path.join(job, 'page.pdf');
    await writeFile(pdf, PDF);
    const args = ['show', pdf, 'trailer/Root/Pages/Count'];
    const runners: Record<string, () => Promise<unknown>> = { direct: () => run('mutool', args) };
    for (const mode of ['rlimits', 'bubblewrap'] as const) {
      const sandbox = await startSandbox(loadConfig({ DATA_DIR: dir, TEMP_DIR: dir, TOOL_SANDBOX: mode }));
      const runner: ToolRunner = sandbox.runner(job);
      runners[mode] = () => runner.run('mutool', args, { signal: new AbortController().signal });
    }
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(runners).map((name) => [name, []]));
    for (let i = 0; i < WARMUPS + RUNS; i++) {
      for (const [name, once] of Object.entries(runners)) {
        const start = performance.now();
        await once();
        if (i >= WARMUPS) times[name]?.push(since(start));
      }
    }
    const direct = median(times['direct'] ?? []);
    const result: Record<string, unknown> = { bench: 'sandbox-overhead', machine: machine(), runs: RUNS };
    for (const [name, values] of Object.entries(times)) {
      const m = median(values);
      console.log(`${name.padEnd(10)} median ${m.toFixed(1)} ms, p90 ${percentile(values, 90).toFixed(1)} ms, overhead ${(m - direct).toFixed(1)} ms, ratio ${(m / direct).toFixed(2)}`);
      result[`${name}MedianMs`] = round(m, 1);
      result[`${name}OverheadMs`] = round(m - direct, 1);
    }
    printResult(result);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
