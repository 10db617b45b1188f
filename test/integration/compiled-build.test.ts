// The images run compiled JavaScript. This builds it (`npm run build` into a temp folder), lays out
// the `api` and `worker` image targets from the Dockerfile's COPY instructions with only the
// production dependencies (no tsx, no TypeScript), and starts the roles there through
// deploy/entrypoint.sh against a real Redis and a local S3 server: a runtime file or dependency the
// image lacks fails here, not in a container. No Docker engine runs here, so images are not built.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmbeddedRedis, type EmbeddedRedis } from '../../src/runtime/index.js';
import { layOutTarget, productionDependencies, type Layout } from '../helpers/dockerfile.js';
import { pngOf } from '../helpers/fixtures.js';
import { auth, json, postJson } from '../helpers/http.js';
import { S3_KEY_ID, startS3Server, type S3TestServer } from '../helpers/s3-server.js';

const REPO = process.cwd();
/** Generous on a busy 2-core machine: a role normally starts in 2-5 s. */
const START_MS = 90_000;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Role {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in the output; rejects on exit or after START_MS. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

/** `sh deploy/entrypoint.sh <role>` in a laid-out image folder, with only the given environment. */
function startRole(layout: Layout, role: string, env: Record<string, string>): Role {
  const child = spawn('sh', ['deploy/entrypoint.sh', role], {
    cwd: layout.root,
    env: { PATH: `${path.dirname(process.execPath)}:${process.env['PATH'] ?? ''}`, LANG: 'C.UTF-8', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let seen = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    seen += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    child,
    output: () => seen,
    exited,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const match = pattern.exec(seen);
          if (match === null) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(match);
        };
        const timer = setTimeout(() => reject(new Error(`${role}: no ${pattern} within ${START_MS} ms:\n${seen.slice(-2000)}`)), START_MS);
        listeners.add(check);
        void exited.then((code) => {
          clearTimeout(timer);
          if (listeners.delete(check)) reject(new Error(`${role} exited (${code}) before ${pattern}:\n${seen.slice(-2000)}`));
        });
        check();
      }),
  };
}

async function stopRole(role: Role | undefined): Promise<void> {
  if (role === undefined || role.child.exitCode !== null || role.child.signalCode !== null) return;
  role.child.kill('SIGTERM');
  const timer = setTimeout(() => role.child.kill('SIGKILL'), 30_000);
  await role.exited;
  clearTimeout(timer);
}

/** Every file under `dir` (relative), not following node_modules. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.filter((entry) => !entry.split(path.sep).includes('node_modules'));
}

describe('the compiled build, laid out as the api and worker images', () => {
  let dir: string;
  let api: Layout;
  let worker: Layout;
  let redis: EmbeddedRedis;
  let s3: S3TestServer;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-compiled-'));
    const build = spawn(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--out-dir', path.join(dir, 'build', 'dist')], { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] });
    const [code] = (await once(build, 'exit')) as [number | null];
    assert.equal(code, 0, 'npm run build succeeds');
    const stageRoots = { deps: await productionDependencies(REPO, path.join(dir, 'deps')), build: path.join(dir, 'build') };
    api = await layOutTarget(REPO, 'api', path.join(dir, 'api'), stageRoots);
    worker = await layOutTarget(REPO, 'worker', path.join(dir, 'worker'), stageRoots);
    redis = await startEmbeddedRedis({ dir: path.join(dir, 'redis'), persistent: false });
    s3 = await startS3Server();
  });
  after(async () => {
    await s3?.stop();
    await redis?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('hold JavaScript and no TypeScript, and no tsx among their dependencies', async () => {
    for (const layout of [api, worker]) {
      const files = await filesUnder(layout.root);
      assert.ok(files.includes(path.join('dist', 'src', 'server.js')) && files.includes(path.join('dist', 'workers', 'main.js')), layout.copied.join(', '));
      assert.deepEqual(files.filter((file) => file.endsWith('.ts')), []);
      assert.ok(existsSync(path.join(layout.root, 'node_modules', 'fastify')), 'production dependencies are there');
      // (typescript itself stays: valibot names it as an optional peer, so npm keeps it with --omit=dev.)
      assert.ok(!existsSync(path.join(layout.root, 'node_modules', 'tsx')) && !existsSync(path.join(layout.root, 'node_modules', 'esbuild')), 'the TypeScript loader is not');
    }
  });

  it('have every file the compiled code finds beside itself (new URL(..., import.meta.url)): the console, bridge.py, the .mujs scripts', async () => {
    const targets: string[] = [];
    for (const file of (await filesUnder(worker.root)).filter((f) => f.startsWith(`dist${path.sep}`) && f.endsWith('.js'))) {
      for (const match of (await readFile(path.join(worker.root, file), 'utf8')).matchAll(/new URL\(\s*['"]([^'"]+)['"],\s*import\.meta\.url\s*\)/g)) {
        targets.push(path.posix.join(path.posix.dirname(file.split(path.sep).join('/')), match[1] ?? ''));
      }
    }
    for (const expected of ['dist/console/', 'dist/workers/converters/libreoffice/bridge.py', 'dist/workers/converters/mupdf/rotate-pages.mujs', 'dist/workers/converters/mupdf/page-bounds.mujs']) {
      assert.ok(targets.includes(expected), `the scan finds ${expected} (found: ${targets.join(', ')})`);
    }
    for (const layout of [api, worker]) assert.deepEqual(targets.filter((target) => !existsSync(path.join(layout.root, target))), [], `missing in ${path.basename(layout.root)}`);
  });

  it('api and worker start there with only REDIS_URL set, share one generated key, serve the console and convert', async () => {
    const dataDir = path.join(dir, 'data');
    const port = await freePort();
    const common = { REDIS_URL: redis.url, DATA_DIR: dataDir, HOST: '127.0.0.1', LOG_LEVEL: 'info' };
    // Started together on one DATA_DIR, as compose does: either may create the key.
    const workerRole = startRole(worker, 'worker', { ...common, PORT: String(await freePort()), METRICS_PORT: String(await freePort()) });
    const apiRole = startRole(api, 'api', { ...common, PORT: String(port) });
    try {
      const [, keyFile, key = ''] = await apiRole.waitFor(/API key \(stored in (\S+)\): (\S+)/);
      await workerRole.waitFor(/worker ready/);
      assert.equal(keyFile, path.join(dataDir, 'api-key'));
      assert.equal(await readFile(path.join(dataDir, 'api-key'), 'utf8'), `${key}\n`);

      const base = `http://127.0.0.1:${port}`;
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
      const page = await fetch(`${base}/`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<html/i);
      assert.equal((await fetch(`${base}/console/app.js`)).status, 200);

      assert.equal((await postJson(`${base}/process`, { inputformat: 'png', outputformat: 'jpg' })).status, 401, 'a key is needed');
      const created = await postJson(`${base}/process`, { inputformat: 'png', outputformat: 'jpg' }, auth(key));
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const url = `http:${String(created.body['url'])}`;
      const started = await postJson(url, { input: 'upload', outputformat: 'jpg' });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      const upload = `http:${String((started.body['upload'] as Record<string, unknown>)['url'])}/dot.png`;
      assert.equal((await fetch(upload, { method: 'PUT', body: await pngOf(16, 16) })).status, 200);
      const finished = await json(`${url}?wait=true`);
      assert.equal(finished.body['step'], 'finished', JSON.stringify(finished.body));
      const output = finished.body['output'] as { url: string };
      const jpeg = Buffer.from(await (await fetch(`http:${output.url}`)).arrayBuffer());
      assert.deepEqual([...jpeg.subarray(0, 3)], [0xff, 0xd8, 0xff], 'a JPEG, converted by the compiled worker');
    } finally {
      await Promise.all([stopRole(apiRole), stopRole(workerRole)]);
    }
  });

  it('prepare-store creates the STORAGE_URL bucket, and has nothing to do for the local store', async () => {
    const s3Role = startRole(api, 'prepare-store', { STORAGE_URL: 's3://made-by-prepare', STORAGE_S3_ENDPOINT: s3.endpoint, STORAGE_S3_ACCESS_KEY_ID: S3_KEY_ID, STORAGE_S3_SECRET_ACCESS_KEY: 'any', DATA_DIR: path.join(dir, 'unused') });
    assert.equal(await s3Role.exited, 0, s3Role.output());
    assert.match(s3Role.output(), /bucket created/);
    assert.deepEqual(await s3.listKeys('made-by-prepare'), [], 'the bucket exists');

    const localRole = startRole(api, 'prepare-store', { DATA_DIR: path.join(dir, 'local') });
    assert.equal(await localRole.exited, 0, localRole.output());
    assert.match(localRole.output(), /nothing to prepare/);
  });
});
