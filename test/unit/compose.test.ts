// docker-compose.yml cannot be started here (no Docker engine), so Debian's docker-compose 1.29
// validates and renders it (the binary comes from scripts/setup.sh: without it these tests fail),
// with no variables at all, with variables, and with the `s3` profile; the rendered environment of
// the openconvert containers is then loaded by the real config loader.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/index.js';
import type { SettingMap } from '../../src/config/setting.js';
import { SECTIONS } from '../../src/config/settings.js';

const run = promisify(execFile);

/** Only PATH and HOME, as a fresh shell that set nothing would have. */
const EMPTY_ENV = { PATH: process.env['PATH'] ?? '', HOME: os.tmpdir() };
const SOME_VARIABLES = { API_KEYS: 'first-key-1,second-key-2', PUBLIC_URL: 'https://convert.example.org', PORT: '9090', WORKER_CONCURRENCY: '4', WORKER_LIGHT_CONCURRENCY: '12', LOG_LEVEL: 'debug' };
const S3_VARIABLES = { STORAGE_URL: 's3://openconvert', STORAGE_S3_SECRET_ACCESS_KEY: 'a-long-secret' };
/** The services that run the openconvert image (their environment is its configuration). */
const OPENCONVERT_SERVICES = ['api', 'worker', 'prepare-store'] as const;

interface Rendered {
  services: Record<string, { environment?: Record<string, string>; volumes?: string[]; ports?: unknown[]; build?: { target?: string }; command?: string[]; depends_on?: Record<string, { condition: string }>; profiles?: string[]; container_name?: string; image?: string; stop_grace_period?: string }>;
  volumes?: Record<string, unknown>;
}

async function compose(args: readonly string[], env: Record<string, string> = {}, file = 'docker-compose.yml'): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('docker-compose', ['-f', file, ...args], { env: { ...EMPTY_ENV, ...env } });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}${String(e.code)}` };
  }
}

/** `docker-compose config` parsed; each variant rendered once (docker-compose takes a second or two to start). */
const renders = new Map<string, Promise<Rendered>>();
function rendered(env: Record<string, string> = {}, profile?: string): Promise<Rendered> {
  const args = [...(profile === undefined ? [] : ['--profile', profile]), 'config'];
  const key = JSON.stringify([args, env]);
  const cached = renders.get(key);
  if (cached !== undefined) return cached;
  const render = compose(args, env).then((result) => {
    assert.equal(result.code, 0, result.output);
    return parse(result.output) as Rendered;
  });
  renders.set(key, render);
  return render;
}

const declared = new Set(
  Object.values(SECTIONS as Readonly<Record<string, { settings: SettingMap }>>)
    .flatMap((section) => Object.values(section.settings).flatMap((setting) => setting.docs))
    // `NAME`, `A` / `B`, or `NAME` (or `NAME_FILE`) for secrets: every backticked name counts.
    .flatMap((doc) => [...doc.variable.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((match) => match[1] ?? '')),
);

/** Variable names the compose file uses that no setting declares: environment keys and ${...}. */
function undeclared(text: string, services: Rendered['services']): string[] {
  const keys = OPENCONVERT_SERVICES.flatMap((name) => Object.keys(services[name]?.environment ?? {}));
  const interpolated = [...text.matchAll(/\$\{(\w+)/g)].map((m) => m[1] ?? '');
  return [...new Set([...keys, ...interpolated])].filter((name) => !declared.has(name)).sort();
}

// docker-compose takes a second or two to start: every run below starts at once.
let quiet: Record<'empty' | 'variables' | 's3', Promise<{ code: number; output: string }>>;
before(() => {
  quiet = {
    empty: compose(['config', '-q']),
    variables: compose(['config', '-q'], { ...SOME_VARIABLES, STORAGE_URL: 's3://openconvert/files' }),
    s3: compose(['--profile', 's3', 'config', '-q'], S3_VARIABLES),
  };
  void Promise.all([rendered(), rendered(SOME_VARIABLES), rendered(S3_VARIABLES, 's3')]).catch(() => undefined);
});

describe('docker-compose.yml: valid for docker-compose config -q', () => {
  it('with no variables set at all', async () => {
    const result = await quiet.empty;
    assert.equal(result.code, 0, result.output);
  });

  it('with variables set', async () => {
    const result = await quiet.variables;
    assert.equal(result.code, 0, result.output);
  });

  it('with the s3 profile', async () => {
    const result = await quiet.s3;
    assert.equal(result.code, 0, result.output);
  });

  it('the check fails on a compose file with an unknown key', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'oc-compose-'));
    try {
      const broken = path.join(dir, 'docker-compose.yml');
      await writeFile(broken, (await readFile('docker-compose.yml', 'utf8')).replace('    stop_grace_period: 35s', '    stop_grace_periodd: 35s'));
      const result = await compose(['config', '-q'], {}, broken);
      assert.notEqual(result.code, 0);
      assert.match(result.output, /stop_grace_periodd/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('docker-compose.yml: what it starts', () => {
  it('without variables: api and workers from their own image targets, sharing one data volume and Redis with an append-only file', async () => {
    const { services } = await rendered();
    assert.equal(services['api']?.build?.target, 'api');
    assert.equal(services['worker']?.build?.target, 'worker');
    for (const name of ['api', 'worker']) {
      assert.ok(services[name]?.volumes?.includes('data:/data:rw'), `${name} mounts the data volume`);
      assert.equal(services[name]?.environment?.['DATA_DIR'], '/data');
      assert.equal(services[name]?.environment?.['REDIS_URL'], 'redis://redis:6379');
      assert.deepEqual(services[name]?.depends_on, { redis: { condition: 'service_healthy' }, 'prepare-store': { condition: 'service_completed_successfully' } });
    }
    assert.deepEqual(services['redis']?.command?.slice(1, 3), ['--appendonly', 'yes']);
    assert.deepEqual(services['prepare-store']?.command, ['prepare-store']);
  });

  it('without variables, the containers load as valid config: local store on the volume, a generated key', async () => {
    const { services } = await rendered();
    for (const name of OPENCONVERT_SERVICES) {
      const config = loadConfig(services[name]?.environment ?? {}, '/app');
      assert.deepEqual(config.storage.fileStore, { kind: 'local', dir: '/data' }, name);
      assert.equal(config.apiKeys, undefined, `${name}: no API_KEYS, so the key in /data/api-key is used`);
      assert.equal(config.redisUrl, 'redis://redis:6379');
    }
  });

  it('variables reach the containers', async () => {
    const { services } = await rendered(SOME_VARIABLES);
    const api = loadConfig(services['api']?.environment ?? {}, '/app');
    assert.deepEqual(api.apiKeys, ['first-key-1', 'second-key-2']);
    assert.equal(String(api.server.publicUrl), 'https://convert.example.org/');
    assert.deepEqual(services['api']?.ports, [{ published: 9090, target: 8080 }]);
    const worker = loadConfig(services['worker']?.environment ?? {}, '/app').worker;
    assert.deepEqual([worker.concurrency, worker.lightConcurrency], [4, 12]);
  });

  it("without variables, the worker's classes run at fixed concurrencies (2 heavy, 8 light), not the host's core count", async () => {
    const { services } = await rendered();
    const worker = loadConfig(services['worker']?.environment ?? {}, '/app').worker;
    assert.deepEqual([worker.concurrency, worker.lightConcurrency], [2, 8]);
  });

  it('the s3 profile: SeaweedFS from a pinned, published image, and the containers use it with its credentials', async () => {
    const { services } = await rendered(S3_VARIABLES, 's3');
    const store = services['seaweedfs'];
    assert.deepEqual(store?.profiles, ['s3']);
    assert.match(store?.image ?? '', /^chrislusf\/seaweedfs:\d+\.\d+$/, 'a pinned tag, not latest');
    assert.equal(store?.environment?.['S3_SECRET_KEY'], 'a-long-secret');
    const fileStore = loadConfig(services['api']?.environment ?? {}, '/app').storage.fileStore;
    assert.equal(fileStore.kind, 's3');
    if (fileStore.kind !== 's3') return;
    assert.equal(fileStore.bucket, 'openconvert');
    assert.equal(fileStore.endpoint, 'http://seaweedfs:8333');
    assert.deepEqual(fileStore.credentials, { accessKeyId: store?.environment?.['S3_ACCESS_KEY'], secretAccessKey: 'a-long-secret' });
  });

  it("Docker's SIGKILL comes after each process's own shutdown deadline (SHUTDOWN_TIMEOUT_SECONDS)", async () => {
    const { services } = await rendered();
    for (const name of ['api', 'worker']) {
      const deadline = loadConfig(services[name]?.environment ?? {}, '/app').worker.shutdownTimeoutMs / 1000;
      const grace = /^(\d+)s$/.exec(services[name]?.stop_grace_period ?? '')?.[1];
      assert.ok(grace !== undefined && Number(grace) > deadline, `${name}: stop_grace_period ${services[name]?.stop_grace_period} is not after SHUTDOWN_TIMEOUT_SECONDS ${deadline}`);
    }
  });

  it('the worker can be scaled (--scale worker=N): no fixed container name, no host port', async () => {
    const { services } = await rendered();
    assert.equal(services['worker']?.container_name, undefined);
    assert.equal(services['worker']?.ports, undefined);
  });
});

describe('docker-compose.yml: every variable it names is a declared setting', () => {
  it('the environment of the openconvert containers and every ${...} in the file', async () => {
    const text = await readFile('docker-compose.yml', 'utf8');
    const { services } = await rendered(S3_VARIABLES, 's3');
    assert.ok(OPENCONVERT_SERVICES.every((name) => Object.keys(services[name]?.environment ?? {}).length > 0), 'the environments were read');
    assert.deepEqual(undeclared(text, services), []);
  });

  it('the check finds a name that is not declared', async () => {
    const { services } = await rendered();
    const worker = services['worker'] ?? {};
    const withTypo = { ...services, worker: { ...worker, environment: { ...worker.environment, WORKER_CONCURENCY: '2' } } };
    assert.deepEqual(undeclared('image: x:${NOT_A_SETTING:-1}', withTypo), ['NOT_A_SETTING', 'WORKER_CONCURENCY']);
  });
});
