// Pure: a V8 .cpuprofile (what `node --cpu-prof` writes) summed up as self time by function, by
// file or package, and by bucket (sharp, bullmq, ioredis, fastify, multipart, our src/ and
// workers/, node internals, GC, idle...), so a profile can be read as a table in a terminal.
// Native functions (bindings, V8 builtins) count for the JS file that called them.

/** The parts of the .cpuprofile JSON the summary reads (times in microseconds). */
export interface CpuProfile {
  readonly nodes: ReadonlyArray<{
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
    readonly hitCount?: number;
    readonly children?: readonly number[];
  }>;
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

export interface Row {
  readonly name: string;
  readonly selfMs: number;
  /** Share of the profile's whole time, 0..1. */
  readonly share: number;
}

export interface ProfileSummary {
  /** Time covered by the counted samples. */
  readonly totalMs: number;
  readonly buckets: readonly Row[];
  readonly files: readonly Row[];
  readonly functions: readonly Row[];
}

/** Packages by bucket; a package not listed is "other packages". Order matters only for prefixes. */
const PACKAGE_BUCKETS: ReadonlyArray<readonly [bucket: string, packages: readonly string[]]> = [
  ['sharp (JS side; libvips runs in other threads)', ['sharp']],
  ['bullmq', ['bullmq', 'cron-parser', 'msgpackr', 'node-abort-controller']],
  ['ioredis', ['ioredis', 'redis-parser', 'denque', 'cluster-key-slot', 'redis-errors', 'standard-as-callback']],
  ['multipart', ['@fastify/multipart', '@fastify/busboy', 'busboy', 'streamsearch']],
  ['fastify', ['fastify', 'avvio', 'find-my-way', 'light-my-request', 'fast-json-stringify', 'ajv', 'fast-uri', 'secure-json-parse', 'toad-cache', 'fast-querystring', 'rfdc', 'abstract-logging', 'process-warning', '@sinclair/typebox', 'fastify-plugin', 'ret', 'safe-regex2', 'json-schema-ref-resolver', 'fast-content-type-parse', 'proxy-addr', '@fastify/ajv-compiler', '@fastify/error', '@fastify/fast-json-stringify-compiler', '@fastify/proxy-addr', '@fastify/merge-json-schemas']],
  ['pino (logging)', ['pino', 'pino-std-serializers', 'sonic-boom', 'thread-stream', 'fast-redact', 'on-exit-leak-free', 'atomic-sleep', 'quick-format-unescaped', 'safe-stable-stringify']],
  ['opentelemetry', ['@opentelemetry/api', '@opentelemetry/core', '@opentelemetry/sdk-trace-base', '@opentelemetry/sdk-trace-node', '@opentelemetry/resources', '@opentelemetry/context-async-hooks']],
  ['tsx (TypeScript loader)', ['tsx', 'esbuild', 'get-tsconfig']],
];

const SPECIAL: Readonly<Record<string, string>> = {
  '(idle)': 'idle (waiting: libvips threads, sockets, Redis)',
  '(garbage collector)': 'GC',
  '(program)': 'V8/native, not attributed (program)',
  '(root)': 'V8/native, not attributed (program)',
};

/** `node_modules/<pkg>/...` → `<pkg>` (scoped names kept whole); the last node_modules wins. */
function packageOf(url: string): string | undefined {
  const at = url.lastIndexOf('/node_modules/');
  if (at < 0) return undefined;
  const parts = url.slice(at + '/node_modules/'.length).split('/');
  return parts[0]?.startsWith('@') === true ? `${parts[0]}/${parts[1] ?? ''}` : parts[0];
}

/** The file or package a frame belongs to, as the "by file/package" table names it. */
export function fileOf(url: string, functionName: string, root: string): string {
  if (url === '') return SPECIAL[functionName] ?? '(V8 builtins / native code)';
  const pkg = packageOf(url);
  if (pkg !== undefined) return `pkg ${pkg}`;
  if (url.startsWith('node:')) return url.split('/').slice(0, 3).join('/');
  const file = url.replace(/^file:\/\//, '');
  return file.startsWith(`${root}/`) ? file.slice(root.length + 1) : file;
}

/** The bucket of a file/package name from fileOf. */
export function bucketOf(file: string): string {
  if (file.startsWith('pkg ')) {
    const pkg = file.slice(4);
    return PACKAGE_BUCKETS.find(([, packages]) => packages.includes(pkg))?.[0] ?? 'other packages';
  }
  if (file.startsWith('node:')) return 'node internals';
  if (file.startsWith('src/')) return 'our src/';
  if (file.startsWith('workers/')) return 'our workers/';
  if (file.startsWith('(') || file.startsWith('idle') || file === 'GC' || file.startsWith('V8')) return file;
  return 'other files';
}

/** A span of the profile's clock (µs; CLOCK_MONOTONIC on Linux, as `process.hrtime` in any process). */
export interface TimeRange {
  readonly fromUs: number;
  readonly toUs: number;
}

/**
 * Self time of each node in µs: the interval after each sample (only samples inside `range`
 * when given), or without samples hitCount x the mean interval.
 */
function selfTimes(profile: CpuProfile, range: TimeRange | undefined): Map<number, number> {
  const self = new Map<number, number>();
  const { samples, timeDeltas } = profile;
  if (samples !== undefined && timeDeltas !== undefined && samples.length > 0) {
    let at = profile.startTime;
    samples.forEach((id, i) => {
      at += timeDeltas[i] ?? 0;
      if (range !== undefined && (at < range.fromUs || at > range.toUs)) return;
      self.set(id, (self.get(id) ?? 0) + Math.max(0, timeDeltas[i + 1] ?? 0));
    });
    return self;
  }
  const hits = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0);
  const interval = hits > 0 ? (profile.endTime - profile.startTime) / hits : 0;
  for (const node of profile.nodes) self.set(node.id, (node.hitCount ?? 0) * interval);
  return self;
}

function rows(totals: Map<string, number>, totalUs: number, limit: number): Row[] {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, us]) => ({ name, selfMs: us / 1000, share: totalUs > 0 ? us / totalUs : 0 }));
}

type ProfileNode = CpuProfile['nodes'][number];

/**
 * The JS frame a native function (a binding such as writeUtf8String or lstat, url '') was
 * called from: its nearest ancestor with a url, so its time lands in the caller's file and bucket.
 */
function callers(profile: CpuProfile): Map<number, ProfileNode> {
  const parent = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
  const caller = new Map<number, ProfileNode>();
  for (const node of profile.nodes) {
    if (node.callFrame.url !== '' || SPECIAL[node.callFrame.functionName] !== undefined) continue;
    let up = parent.get(node.id);
    while (up !== undefined && up.callFrame.url === '') up = parent.get(up.id);
    if (up !== undefined) caller.set(node.id, up);
  }
  return caller;
}

const add = (map: Map<string, number>, key: string, value: number): void => void map.set(key, (map.get(key) ?? 0) + value);

export interface SummaryOptions {
  /** The checkout, whose files are named relative to it. */
  readonly root: string;
  /** Only samples taken in this span (e.g. a load's window); default the whole profile. */
  readonly range?: TimeRange;
  readonly topFunctions?: number;
  readonly topFiles?: number;
}

/** Sums a profile by bucket (all of them), by file/package and by function (the top ones). */
export function summariseProfile(profile: CpuProfile, options: SummaryOptions): ProfileSummary {
  const { root, topFunctions = 25, topFiles = 20 } = options;
  const self = selfTimes(profile, options.range);
  const callerOf = callers(profile);
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  const byBucket = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0;
    if (us === 0) continue;
    total += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const caller = callerOf.get(node.id)?.callFrame;
    const file = caller === undefined ? fileOf(url, functionName, root) : fileOf(caller.url, caller.functionName, root);
    add(byFile, file, us);
    add(byBucket, bucketOf(file), us);
    const name = caller !== undefined ? `${functionName || '(native)'} [native] ← ${caller.functionName || '(anonymous)'}  ${file}:${caller.lineNumber + 1}` : url === '' ? (SPECIAL[functionName] ?? (functionName || '(anonymous)')) : `${functionName || '(anonymous)'}  ${file}:${lineNumber + 1}`;
    add(byFunction, name, us);
  }
  return { totalMs: total / 1000, buckets: rows(byBucket, total, Infinity), files: rows(byFile, total, topFiles), functions: rows(byFunction, total, topFunctions) };
}

/** A plain-text table of rows: self ms, share, name. */
export function formatRows(title: string, list: readonly Row[]): string {
  const lines = list.map((r) => `  ${r.selfMs.toFixed(0).padStart(8)} ms ${(r.share * 100).toFixed(1).padStart(5)} %  ${r.name}`);
  return [`  ${title}`, `  ${'self'.padStart(11)} ${'share'.padStart(7)}`, ...lines].join('\n');
}
