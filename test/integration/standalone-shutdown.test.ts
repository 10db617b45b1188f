// The single-machine start (workers/standalone.ts) with its embedded redis-server, as real OS
// processes: a parent killed with SIGKILL leaves no redis-server behind (parent-death signal),
// and a parent whose embedded Redis died still exits promptly on SIGTERM.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { TEST_KEY } from '../helpers/server.js';
import { spawnUntilReady } from '../helpers/worker-process.js';
import { until } from '../helpers/wait.js';

/** State letter of a process from /proc, or undefined when it is gone. */
async function processState(pid: number): Promise<string | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat?.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

const isGone = async (pid: number): Promise<boolean> => {
  const state = await processState(pid);
  return state === undefined || state === 'Z';
};

/** The redis-server processes whose parent is `parent`. */
async function redisChildren(parent: number): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const close = stat.lastIndexOf(')');
    const name = stat.slice(stat.indexOf('(') + 1, close);
    const ppid = Number(stat.slice(close + 2).split(' ')[1]);
    if (ppid === parent && name.startsWith('redis-server')) pids.push(Number(entry));
  }
  return pids;
}

interface Standalone {
  readonly child: ChildProcess;
  readonly redisPid: number;
  output(): string;
}

async function startStandalone(dataDir: string): Promise<Standalone> {
  const { child, output } = await spawnUntilReady(
    'workers/standalone.ts',
    { PATH: process.env['PATH'] ?? '', DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', API_KEYS: TEST_KEY, LOG_LEVEL: 'info', SHUTDOWN_GRACE_SECONDS: '5', WARM_POOLS: 'false' },
    'Server listening',
  );
  const [redisPid] = await redisChildren(child.pid ?? 0);
  assert.ok(redisPid !== undefined, 'the embedded redis-server runs as a child');
  return { child, redisPid, output };
}

describe('the single-machine start and its embedded Redis', () => {
  const started: Standalone[] = [];
  const dirs: string[] = [];
  const dataDir = async (): Promise<string> => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'oc-standalone-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    // Whatever a failed test left: only the processes this file started, by their ids.
    for (const { child, redisPid } of started.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      if (!(await isGone(redisPid))) process.kill(redisPid, 'SIGKILL');
    }
  });
  after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('leaves no redis-server behind when the server is killed with SIGKILL', async () => {
    const server = await startStandalone(await dataDir());
    started.push(server);
    const exited = once(server.child, 'exit');
    server.child.kill('SIGKILL');
    await exited;
    await until(() => isGone(server.redisPid), 15_000, `redis-server ${server.redisPid} to die with its parent`);
  });

  it('exits promptly on SIGTERM when its embedded Redis has died', async () => {
    const server = await startStandalone(await dataDir());
    started.push(server);
    process.kill(server.redisPid, 'SIGKILL');
    await until(() => isGone(server.redisPid), 10_000, 'the embedded redis-server to die');
    const exited = once(server.child, 'exit');
    server.child.kill('SIGTERM');
    const timeout = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 30_000).unref());
    const result = await Promise.race([exited, timeout]);
    assert.notEqual(result, 'hung', `still running 30 s after SIGTERM: ${server.output().slice(-800)}`);
  });

  it('stops its embedded Redis itself, last, on SIGTERM', async () => {
    const server = await startStandalone(await dataDir());
    started.push(server);
    const exited = once(server.child, 'exit');
    server.child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0, server.output().slice(-800));
    await until(() => isGone(server.redisPid), 10_000, 'the embedded redis-server to be stopped');
  });
});
