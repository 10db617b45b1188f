// The Dockerfile and docker-compose.yml cannot be built or started here (no Docker engine), so
// they are checked the way CI can: dockerfile-utils lints the Dockerfile, the runtime stage's
// COPY instructions are replayed into a temp folder and the app is built from that folder alone,
// and Debian's docker-compose validates the compose file. Each check is shown to fail on broken
// input, or fails on the Dockerfile that left console/ out.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { layOutRuntime, type Layout } from '../helpers/dockerfile.js';

const run = promisify(execFile);
const LINTER = path.resolve('node_modules/.bin/dockerfile-utils');

async function exitCode(file: string, args: string[], env: Record<string, string> = {}, cwd?: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, env: { PATH: process.env['PATH'] ?? '', ...env } });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}${String(e.code)}` };
  }
}

/**
 * Run in the laid-out tree: builds the API as src/server.ts does (the console's files are read
 * while it is built) with stand-in services (the requests below reach none of them), asks for the
 * console, and loads the whole worker module graph. Prints one JSON line.
 */
const BOOT_CHECK = `
const { loadConfig } = await import('./src/config/index.ts');
const { AccountRegistry } = await import('./src/core/accounts.ts');
const { buildApp } = await import('./src/app.ts');
const config = loadConfig({ DATA_DIR: process.env.OC_DATA_DIR, LOG_LEVEL: 'silent' }, process.cwd());
const app = await buildApp({ config, accounts: new AccountRegistry([]), processes: {}, transfers: {}, usage: {}, keyFailures: {}, presets: {} }, { logger: false });
const page = (await app.inject({ url: '/' })).statusCode;
const asset = (await app.inject({ url: '/console/app.js' })).statusCode;
await app.close();
await import('./workers/runtime.ts');
console.log(JSON.stringify({ page, asset, worker: 'loaded' }));
`;

/** Files and folders that modules under `roots` locate beside themselves: `new URL('<relative>', import.meta.url)`. */
async function siblingAssets(roots: readonly string[]): Promise<Array<{ from: string; target: string }>> {
  const found: Array<{ from: string; target: string }> = [];
  for (const root of roots) {
    for (const file of await readdir(root, { recursive: true })) {
      if (!file.endsWith('.ts')) continue;
      const from = path.posix.join(root, file.split(path.sep).join('/'));
      for (const match of (await readFile(from, 'utf8')).matchAll(/new URL\(\s*'([^']+)',\s*import\.meta\.url\s*\)/g)) {
        const relative = match[1] ?? '';
        // posix.join keeps a folder's trailing "/": console/ stays recognisable as a folder.
        found.push({ from, target: path.posix.join(path.posix.dirname(from), relative) });
      }
    }
  }
  return found;
}

describe('Dockerfile', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-docker-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('passes dockerfile-utils lint', async () => {
    const result = await exitCode(LINTER, ['lint', 'Dockerfile']);
    assert.equal(result.code, 0, result.output);
    assert.equal(result.output.trim(), '', 'no warnings either');
  });

  it('the lint fails on a broken copy of it', async () => {
    const broken = path.join(dir, 'Dockerfile');
    await writeFile(broken, (await readFile('Dockerfile', 'utf8')).replace('USER openconvert', 'USERR openconvert'));
    const result = await exitCode(LINTER, ['lint', broken]);
    assert.notEqual(result.code, 0);
    assert.match(result.output, /Unknown instruction: USERR/);
  });

  it('is multi-stage, runs as a non-root user, has a healthcheck and every tool the roles run', async () => {
    const text = await readFile('Dockerfile', 'utf8');
    assert.ok((text.match(/^FROM /gm) ?? []).length >= 2, 'two stages');
    assert.match(text, /^USER openconvert$/m);
    assert.match(text, /^HEALTHCHECK /m);
    // redis-server: the `all` role starts its own Redis when REDIS_URL is not set.
    for (const pkg of ['ffmpeg', 'libreoffice-writer-nogui', 'mupdf-tools', 'ghostscript', 'tini', 'redis-server']) assert.match(text, new RegExp(`\\b${pkg}\\b`), pkg);
  });
});

describe('the image\'s files (the runtime stage laid out from its COPY instructions)', () => {
  let dir: string;
  let layout: Layout;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-image-'));
    layout = await layOutRuntime(process.cwd(), path.join(dir, 'app'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('has what every role starts: the entry of each role in entrypoint.sh and the healthcheck', async () => {
    const entry = await readFile('deploy/entrypoint.sh', 'utf8');
    const entries = [...entry.matchAll(/^\s*(\w+)\).*node --import tsx (\S+)/gm)].map((m) => [m[1], m[2]] as const);
    assert.deepEqual(entries.map(([role]) => role), ['api', 'worker', 'all']);
    for (const [role, file] of entries) assert.ok(existsSync(path.join(layout.root, file ?? '')), `${role}: ${file} is in the image`);
    assert.ok(existsSync(path.join(layout.root, 'deploy/healthcheck.mjs')));
    assert.ok(existsSync(path.join(layout.root, 'node_modules/tsx/package.json')), 'node_modules from the deps stage');
  });

  it('has every file the code reads beside itself (new URL(..., import.meta.url)): the console, bridge.py, the .mujs scripts', async () => {
    const assets = await siblingAssets(['src', 'workers']);
    const names = assets.map((a) => a.target);
    for (const expected of ['console/', 'workers/converters/libreoffice/bridge.py', 'workers/converters/mupdf/rotate-pages.mujs', 'workers/converters/mupdf/page-bounds.mujs']) {
      assert.ok(names.includes(expected), `the scan finds ${expected} (found: ${names.join(', ')})`);
    }
    const missing = names.filter((name) => !existsSync(path.join(layout.root, name)));
    assert.deepEqual(missing, [], `copied: ${layout.copied.join(', ')}`);
  });

  it('builds the API and loads the worker from the laid-out tree alone (node --import tsx there)', async () => {
    const result = await exitCode(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', BOOT_CHECK], { OC_DATA_DIR: path.join(dir, 'data') }, layout.root);
    assert.equal(result.code, 0, result.output);
    const lastLine = result.output.trim().split('\n').pop() ?? '';
    assert.deepEqual(JSON.parse(lastLine), { page: 200, asset: 200, worker: 'loaded' }, result.output);
  });
});

describe('docker-compose.yml', () => {
  it('is valid for docker-compose config -q', async () => {
    const result = await exitCode('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], { API_KEYS: 'a-key-for-the-check' });
    assert.equal(result.code, 0, result.output);
  });

  it('the check fails on a compose file with an unknown key', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'oc-compose-'));
    try {
      const broken = path.join(dir, 'docker-compose.yml');
      await writeFile(broken, (await readFile('docker-compose.yml', 'utf8')).replace('    restart: unless-stopped\n    stop_grace_period: 30s', '    restartt: unless-stopped\n    stop_grace_period: 30s'));
      const result = await exitCode('docker-compose', ['-f', broken, 'config', '-q'], { API_KEYS: 'k' });
      assert.notEqual(result.code, 0);
      assert.match(result.output, /restartt/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('has api, worker, redis with append-only persistence, MinIO and its bucket, STORAGE_URL to it', async () => {
    const { stdout } = await run('docker-compose', ['-f', 'docker-compose.yml', 'config'], { env: { PATH: process.env['PATH'] ?? '', API_KEYS: 'k-1' } });
    for (const service of ['api:', 'worker:', 'redis:', 'minio:', 'minio-setup:']) assert.ok(stdout.includes(`  ${service}`), service);
    assert.match(stdout, /--appendonly[\s\S]{0,20}yes/);
    assert.match(stdout, /STORAGE_URL: s3:\/\/openconvert\/files/);
    assert.match(stdout, /STORAGE_S3_ENDPOINT: http:\/\/minio:9000/);
    assert.match(stdout, /mc mb --ignore-existing local\/openconvert/);
    assert.match(stdout, /API_KEYS: k-1/);
  });
});
