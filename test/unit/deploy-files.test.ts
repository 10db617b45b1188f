// The Dockerfile and docker-compose.yml cannot be built or started here (no Docker engine), so
// they are checked the way CI can: dockerfile-utils lints the Dockerfile and Debian's
// docker-compose validates the compose file. Both checks are shown to fail on broken input.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';

const run = promisify(execFile);
const LINTER = path.resolve('node_modules/.bin/dockerfile-utils');

async function exitCode(file: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(file, args, { env: { PATH: process.env['PATH'] ?? '', ...env } });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}${String(e.code)}` };
  }
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

  it('is multi-stage, runs as a non-root user, has a healthcheck and every engine tool', async () => {
    const text = await readFile('Dockerfile', 'utf8');
    assert.ok((text.match(/^FROM /gm) ?? []).length >= 2, 'two stages');
    assert.match(text, /^USER openconvert$/m);
    assert.match(text, /^HEALTHCHECK /m);
    for (const pkg of ['ffmpeg', 'libreoffice-writer-nogui', 'mupdf-tools', 'ghostscript', 'tini']) assert.match(text, new RegExp(`\\b${pkg}\\b`), pkg);
    const entry = await readFile('deploy/entrypoint.sh', 'utf8');
    for (const role of ['api)', 'worker)', 'all)']) assert.ok(entry.includes(role), role);
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
