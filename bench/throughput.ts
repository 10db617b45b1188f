// Throughput of many small conversions (issue #17), in one run, each part selectable:
//   node --import tsx bench/throughput.ts [images] [overhead] [documents] [isolation] [profile]
// (no argument: all). images: 16 clients png → jpg through /convert against sharp in-process;
// overhead: one request at a time against sharp; documents: docx → pdf per minute with 1, 2, 4
// clients; isolation: small conversions of one key while another key's videos convert; profile:
// the images load under --cpu-prof, summed up. Each part starts its own server (the defaults,
// plus BENCH_ENV='K=V,K=V' passed through, e.g. WORKER_CONCURRENCY=8) and prints its figures
// and one BENCH_RESULT line. See bench/README.md for the parts and the targets.
import { benchEnv, runBench } from './lib.js';
import { documentsPart } from './throughput/documents.js';
import { imagesPart } from './throughput/images.js';
import { isolationPart } from './throughput/isolation.js';
import { overheadPart } from './throughput/overhead.js';
import { profilePart } from './throughput/profile.js';

const PARTS = { images: imagesPart, overhead: overheadPart, documents: documentsPart, isolation: isolationPart, profile: profilePart } as const;
type Part = keyof typeof PARTS;
const isPart = (name: string): name is Part => Object.hasOwn(PARTS, name);
// Each part takes 1 to 2 minutes here; its budget before the watchdog stops the run.
const PART_BUDGET_MS = 4 * 60_000;

// The per-key request limit (600 a minute by default) would refuse the load itself; the limit's
// counting stays on (a limit of 0 would skip its Redis command), only too high to be reached.
const BASE_ENV = { RATE_LIMIT_REQUESTS: '1000000' };

const args = process.argv.slice(2);
const unknown = args.filter((a) => !isPart(a));
if (unknown.length > 0) {
  console.error(`bench/throughput.ts: unknown part ${unknown.join(', ')}; give any of ${Object.keys(PARTS).join(', ')} (none: all)`);
  process.exit(2);
}
const parts = args.length === 0 ? (Object.keys(PARTS) as Part[]) : args.filter(isPart);
const env = { ...BASE_ENV, ...benchEnv() };

await runBench('throughput', parts.length * PART_BUDGET_MS, async () => {
  for (const part of parts) {
    console.log(`\n-- throughput ${part}`);
    await PARTS[part](env);
  }
});
