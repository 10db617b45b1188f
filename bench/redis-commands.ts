// What one warm POST /convert (multipart 64x48 PNG -> JPG, wait=true) plus the download of its
// result costs in Redis commands and in file-system work. After a few warm-up conversions (so
// lazy start-up is not counted), MONITOR records the commands of one conversion, which are
// printed in order and counted by name, by connection and by phase (request, worker, end, wait,
// download). Then, when strace is installed, one more conversion runs under strace and every
// read, write, rename, link and removal of a file under the server's DATA_DIR is listed: where
// the input and output bytes are copied.
import { accountId } from '../src/core/accounts.js';
import { BENCH_KEY, machine, printResult, runBench, sleep, startBenchServer } from './lib.js';
import { convertPngAndDownload, smallPng, type Converted } from './png-convert.js';
import { normalizePath, straceAvailable, summarize, traceFiles, type FileEvent } from './file-io-trace.js';
import { bullScriptNames, describe, normalizeKey, roundTrips, startMonitor, tally, type MonitoredCommand } from './redis-monitor.js';

const WARMUP = 5;
/** Time after the download for the worker's last commands (BullMQ's completion, the end's bookkeeping). */
const SETTLE_MS = 500;
const PHASES = ['request', 'worker', 'end', 'wait', 'download'] as const;
type Phase = (typeof PHASES)[number] | 'background';

/**
 * Periodic work that runs whether or not a conversion does: the worker heartbeat (its MULTI on
 * the `workers` keys; the API's ZCOUNT of live workers is per request), the sweeper's look at the
 * expiry index, BullMQ's stalled-job check.
 */
function isBackground(described: string): boolean {
  return /^(ZADD|ZRANGEBYSCORE|ZREMRANGEBYSCORE|HSET|HDEL) \S+:workers\b|^ZRANGEBYSCORE \S+:expiry$|moveStalledJobsToWait/.test(described);
}

/** A MULTI ... EXEC of `source` holding only background commands is background as a whole. */
function backgroundBlock(rest: readonly MonitoredCommand[], source: string, scripts: ReadonlyMap<string, string>, ids: ReadonlyMap<string, string>): boolean {
  const inner: string[] = [];
  for (const command of rest) {
    if (command.source !== source) continue;
    if ((command.args[0] ?? '').toUpperCase() === 'EXEC') break;
    inner.push(describe(command, scripts, ids));
  }
  return inner.length > 0 && inner.every(isBackground);
}

function isFinishedUpdate(command: MonitoredCommand): boolean {
  return (command.args[0] ?? '').toUpperCase() === 'EVAL' && command.args.some((arg, i) => arg === '"finished"' && command.args[i - 1] === 'step');
}

interface Counted {
  readonly command: MonitoredCommand;
  readonly name: string;
  readonly phase: Phase;
  /** Commands the script ran inside Redis (source "lua"). */
  inner: number;
}

/**
 * Phases, by connection and order: the API's commands up to the BullMQ add are `request`, later
 * ones `wait` (the start's re-read and the blocked wait), after the download marker `download`;
 * other connections' commands are `worker` up to the update to finished, `end` from it on.
 */
function classify(seen: readonly MonitoredCommand[], isMarker: (c: MonitoredCommand) => boolean, ids: ReadonlyMap<string, string>): Counted[] {
  const scripts = bullScriptNames();
  const start = seen.findIndex((c) => isMarker(c) && c.args[1] === 'bench:convert');
  const counted: Counted[] = [];
  const commands = seen.slice(start + 1);
  // The API's connection is the one that creates the process record.
  const api = commands.find((c) => (c.args[0] ?? '').toUpperCase() === 'HSET' && normalizeKey(c.args[1] ?? '', ids).endsWith(':p:<id>'))?.source;
  let queued = false;
  let finished = false;
  let downloading = false;
  const backgroundMulti = new Set<string>();
  for (const [index, command] of commands.entries()) {
    if (isMarker(command)) {
      if (command.args[1] === 'bench:download') downloading = true;
      if (command.args[1] === 'bench:done') break;
      continue;
    }
    const last = counted.at(-1);
    if (command.source === 'lua') {
      if (last !== undefined) last.inner += 1;
      continue;
    }
    const name = describe(command, scripts, ids);
    const verb = name.split(' ')[0];
    if (verb === 'MULTI' && backgroundBlock(commands.slice(index + 1), command.source, scripts, ids)) backgroundMulti.add(command.source);
    let phase: Phase;
    if (isBackground(name) || backgroundMulti.has(command.source)) {
      phase = 'background';
      if (verb === 'EXEC') backgroundMulti.delete(command.source);
    }
    else if (command.source === api) phase = downloading ? 'download' : queued ? 'wait' : 'request';
    else {
      if (isFinishedUpdate(command)) finished = true;
      phase = finished ? 'end' : 'worker';
    }
    if (name.startsWith('EVALSHA addStandardJob')) queued = true;
    counted.push({ command, name, phase, inner: 0 });
  }
  return counted;
}

function printCommands(counted: readonly Counted[]): Record<string, number> {
  const real = counted.filter((c) => c.phase !== 'background');
  const connections = [...new Set(real.map((c) => c.command.source))];
  const label = (source: string): string => `c${connections.indexOf(source) + 1}`;
  const t0 = counted[0]?.command.time ?? 0;
  console.log(`\nRedis commands of one /convert + download, in order (ms since the first, connection, phase, command [+ commands run inside the script]):`);
  for (const c of counted) console.log(`  ${((c.command.time - t0) * 1000).toFixed(2).padStart(7)} ${c.phase === 'background' ? '--' : label(c.command.source)} ${c.phase.padEnd(10)} ${c.name}${c.inner > 0 ? `  [+${c.inner} in Lua]` : ''}`);
  const byPhase: Record<string, number> = {};
  console.log('\nBy phase (commands / round trips):');
  for (const phase of PHASES) {
    const of = real.filter((c) => c.phase === phase);
    const trips = connections.reduce((sum, source) => sum + roundTrips(of.filter((c) => c.command.source === source).map((c) => c.command)), 0);
    byPhase[phase] = of.length;
    console.log(`  ${phase.padEnd(10)} ${String(of.length).padStart(3)} / ${trips}`);
  }
  console.log('\nBy command:');
  for (const [name, count] of tally(real.map((c) => c.name.split(' ').slice(0, c.name.startsWith('EVAL') ? 2 : 1).join(' ')))) console.log(`  ${String(count).padStart(3)}  ${name}`);
  console.log('\nBy connection:');
  for (const source of connections) console.log(`  ${label(source)}: ${real.filter((c) => c.command.source === source).length} commands, first ${real.find((c) => c.command.source === source)?.name}`);
  return byPhase;
}

async function countCommands(baseUrl: string, redisUrl: string, png: Buffer, ids: Map<string, string>) {
  const monitor = await startMonitor(redisUrl);
  let run: Converted;
  try {
    await monitor.mark('bench:convert');
    run = await convertPngAndDownload(baseUrl, png, { between: () => monitor.mark('bench:download') });
    await sleep(SETTLE_MS);
    await monitor.mark('bench:done');
  } finally {
    await monitor.stop();
  }
  ids.set(run.id, '<id>').set(run.downloadToken, '<dl-token>');
  const counted = classify(monitor.seen, monitor.isMarker, ids);
  const byPhase = printCommands(counted);
  const real = counted.filter((c) => c.phase !== 'background');
  const trips = [...new Set(real.map((c) => c.command.source))].reduce((sum, source) => sum + roundTrips(real.filter((c) => c.command.source === source).map((c) => c.command)), 0);
  const inner = real.reduce((sum, c) => sum + c.inner, 0);
  console.log(`\nTotal: ${real.length} commands from clients (${trips} round trips), ${inner} more run inside Lua scripts; ${counted.length - real.length} background commands left out.`);
  return { commands: real.length, roundTrips: trips, luaInner: inner, byPhase };
}

/** The file-system work of one more conversion under strace, listed per file; null without strace. */
async function traceCopies(server: { baseUrl: string; pid: number }, png: Buffer, ids: Map<string, string>, keyAfterFile: boolean) {
  const root = /\/[^ <>"]*\/oc-bench-[^/]+\//;
  let events: FileEvent[];
  const trace = await traceFiles(server.pid, root);
  let run: Converted;
  try {
    run = await convertPngAndDownload(server.baseUrl, png, { keyAfterFile });
    await sleep(SETTLE_MS);
  } finally {
    events = await trace.stop();
  }
  ids.set(run.id, '<id>').set(run.downloadToken, '<dl-token>');
  const rows = summarize(events.map((e) => ({ ...e, target: normalizePath(e.target, root, ids) })));
  const order = keyAfterFile ? 'the file part before the apikey field (spooled until the key is checked)' : 'the key in the header (the file streams straight into the process)';
  console.log(`\nFile-system calls under DATA_DIR during one more /convert + download, ${order}; input ${png.length} bytes:`);
  for (const row of rows) console.log(`  ${row.call.padEnd(16)} ${String(row.calls).padStart(3)}x ${String(row.bytes).padStart(8)} B  ${row.target}`);
  const written = rows.filter((r) => /write|copy_file_range|sendfile/.test(r.call) && r.bytes > 0);
  const read = rows.filter((r) => /read/.test(r.call) && r.bytes > 0);
  const links = rows.filter((r) => r.call.includes('link') && !r.call.includes('unlink')).reduce((sum, r) => sum + r.calls, 0);
  const result = { filesWritten: written.length, bytesWritten: written.reduce((s, r) => s + r.bytes, 0), filesRead: read.length, bytesRead: read.reduce((s, r) => s + r.bytes, 0), hardLinks: links };
  console.log(`Payload written to ${result.filesWritten} file(s), ${result.bytesWritten} bytes; read from ${result.filesRead} file(s), ${result.bytesRead} bytes; ${links} hard link(s).`);
  return result;
}

await runBench('redis-commands', 5 * 60_000, async () => {
  const server = await startBenchServer();
  const png = await smallPng();
  for (let i = 0; i < WARMUP; i += 1) await convertPngAndDownload(server.baseUrl, png);
  await sleep(SETTLE_MS); // the last warm-up's tail (BullMQ's completion) stays out of the count
  const ids = new Map<string, string>([[accountId(BENCH_KEY), '<owner>']]);
  console.log(`redis-commands on ${machine()}`);
  console.log(`  one warm POST /convert (multipart, key in the header, 64x48 PNG -> JPG, wait=true) + GET of output.url, after ${WARMUP} warm-ups`);
  const redis = await countCommands(server.baseUrl, server.redisUrl, png, ids);
  if (!straceAvailable()) console.log('\nstrace is not installed: file copies not traced (apt-get install strace).');
  const files = straceAvailable() ? { keyFirst: await traceCopies(server, png, ids, false), fileFirst: await traceCopies(server, png, ids, true) } : undefined;
  printResult({ bench: 'redis-commands', ...redis, ...(files === undefined ? {} : { files }) });
});
