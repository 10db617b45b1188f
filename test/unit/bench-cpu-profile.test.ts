import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bucketOf, fileOf, summariseProfile, type CpuProfile } from '../../bench/throughput/cpu-profile.js';

const ROOT = '/repo';
const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

// (root) → handler (src) → writeUtf8String (native, called from the handler)
//        → sendCommand (ioredis); (idle); (garbage collector)
const PROFILE: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 4, 5, 6] },
    { id: 2, callFrame: frame('handler', 'file:///repo/src/api/routes/convert-routes.ts', 9), children: [3] },
    { id: 3, callFrame: frame('writeUtf8String') },
    { id: 4, callFrame: frame('sendCommand', 'file:///repo/node_modules/ioredis/built/Redis.js', 99) },
    { id: 5, callFrame: frame('(idle)') },
    { id: 6, callFrame: frame('(garbage collector)') },
  ],
  startTime: 1_000,
  endTime: 8_000,
  // Sample i lasts until sample i+1: 2 → 1000 µs, 3 → 2000, 4 → 1000, 5 → 2000, 6 → 1000, last → 0.
  samples: [2, 3, 4, 5, 6, 5],
  timeDeltas: [0, 1000, 2000, 1000, 2000, 1000],
};

describe('the CPU profile summary of the throughput bench', () => {
  it('sums self time by bucket, counting a native function for the JS file that called it', () => {
    const summary = summariseProfile(PROFILE, { root: ROOT });
    assert.equal(summary.totalMs, 7);
    const bucket = (name: string) => summary.buckets.find((b) => b.name === name)?.selfMs;
    assert.equal(bucket('our src/'), 3); // handler 1 ms + writeUtf8String 2 ms
    assert.equal(bucket('ioredis'), 1);
    assert.equal(bucket('GC'), 1);
    assert.equal(summary.buckets[0]?.name, 'our src/');
    assert.equal(summary.files.find((f) => f.name === 'src/api/routes/convert-routes.ts')?.selfMs, 3);
    const native = summary.functions.find((f) => f.name.startsWith('writeUtf8String'));
    assert.equal(native?.name, 'writeUtf8String [native] ← handler  src/api/routes/convert-routes.ts:10');
    assert.equal(native?.selfMs, 2);
    assert.ok(Math.abs(summary.buckets.reduce((sum, b) => sum + b.share, 0) - 1) < 1e-9, 'the shares add up to 1');
  });

  it('counts only the samples taken inside a time range', () => {
    // Sample timestamps: 1000, 2000, 4000, 5000, 7000, 8000; keep 3500..7500.
    const summary = summariseProfile(PROFILE, { root: ROOT, range: { fromUs: 3_500, toUs: 7_500 } });
    assert.equal(summary.totalMs, 4); // ioredis 1, idle 2, GC 1
    assert.equal(summary.buckets.find((b) => b.name === 'our src/'), undefined);
  });

  it('names packages (scoped ones whole), node internals and project folders', () => {
    assert.equal(fileOf('file:///repo/node_modules/@fastify/busboy/lib/main.js', 'f', ROOT), 'pkg @fastify/busboy');
    assert.equal(bucketOf('pkg @fastify/busboy'), 'multipart');
    assert.equal(bucketOf(fileOf('file:///repo/node_modules/bullmq/dist/esm/classes/worker.js', 'f', ROOT)), 'bullmq');
    assert.equal(bucketOf(fileOf('node:internal/streams/readable', 'f', ROOT)), 'node internals');
    assert.equal(bucketOf(fileOf('file:///repo/workers/pipeline.ts', 'f', ROOT)), 'our workers/');
    assert.equal(bucketOf(fileOf('file:///repo/node_modules/left-pad/index.js', 'f', ROOT)), 'other packages');
  });
});
