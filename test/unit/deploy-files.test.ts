// The Dockerfile cannot be built here (no Docker engine), so it is checked the way CI can:
// dockerfile-utils lints it, and its stages are read (test/helpers/dockerfile.ts) for what each
// image target gets: the Node line, the user, the healthcheck, the locale, the packages, the roles
// the entrypoint starts. test/integration/compiled-build.test.ts boots both targets from their COPYs.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { dockerignore, parseDockerfile, type Stage } from '../helpers/dockerfile.js';

const run = promisify(execFile);
const LINTER = path.resolve('node_modules/.bin/dockerfile-utils');

async function lint(file: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(LINTER, ['lint', file]);
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('Dockerfile: lint', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-docker-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('passes dockerfile-utils lint, without warnings', async () => {
    const result = await lint('Dockerfile');
    assert.equal(result.code, 0, result.output);
    assert.equal(result.output.trim(), '');
  });

  it('the lint fails on a broken copy of it', async () => {
    const broken = path.join(dir, 'Dockerfile');
    await writeFile(broken, (await readFile('Dockerfile', 'utf8')).replace('USER openconvert', 'USERR openconvert'));
    const result = await lint(broken);
    assert.notEqual(result.code, 0);
    assert.match(result.output, /Unknown instruction: USERR/);
  });
});

describe('Dockerfile: the api and worker targets', () => {
  let stages: Stage[];
  const stage = (name: string): Stage => {
    const found = stages.find((s) => s.name === name);
    assert.ok(found !== undefined, `a stage named ${name}`);
    return found;
  };
  before(async () => {
    stages = parseDockerfile(await readFile('Dockerfile', 'utf8'));
  });

  it('builds every stage on one current Node LTS line, the Debian bookworm slim image', () => {
    const images = new Set(stages.map((s) => s.base).filter((base) => !stages.some((s) => s.name === base)));
    assert.equal(images.size, 1, `one base image: ${[...images].join(', ')}`);
    const [image] = images;
    const major = Number(/^node:(\d+)-bookworm-slim$/.exec(image ?? '')?.[1]);
    // Even lines become LTS; 20 ended on 2026-04-30, 22 ends on 2027-04-30: 24 or later.
    assert.ok(major >= 24 && major % 2 === 0, `a current LTS line, got ${image}`);
  });

  it('the last stage (what a plain `docker build` makes) is the worker, which runs every role', () => {
    assert.equal(stages[stages.length - 1]?.name, 'worker');
  });

  for (const [name, role] of [['api', 'api'], ['worker', 'worker']] as const) {
    it(`${name}: non-root user, healthcheck, LANG=C.UTF-8, production mode, tini, role ${role}`, () => {
      const target = stage(name);
      assert.equal(target.user, 'openconvert');
      assert.match(target.healthcheck ?? '', /CMD \["node", "deploy\/healthcheck\.mjs"\]/);
      assert.equal(target.env['LANG'], 'C.UTF-8');
      assert.equal(target.env['NODE_ENV'], 'production');
      assert.ok(target.packages.includes('tini'));
      assert.equal(target.cmd, `["${role}"]`);
    });
  }

  it('api: no conversion tool and no font (the API process runs none)', () => {
    assert.deepEqual([...stage('api').packages].sort(), ['ca-certificates', 'tini']);
  });

  it('worker: the tools, the fonts and redis-server (the `all` role)', () => {
    const packages = stage('worker').packages;
    for (const pkg of ['ffmpeg', 'libreoffice-writer-nogui', 'mupdf-tools', 'ghostscript', 'chromium', 'redis-server', 'fonts-noto-cjk', 'fonts-noto-color-emoji', 'fonts-crosextra-carlito', 'fonts-crosextra-caladea', 'fonts-liberation', 'fonts-dejavu-core', 'fonts-thai-tlwg']) {
      assert.ok(packages.includes(pkg), pkg);
    }
  });

  it('the images carry the compiled code, not the TypeScript sources or the dev dependencies', () => {
    for (const name of ['api', 'worker']) {
      const copies = stage(name).copies;
      const sources = copies.filter((c) => c.from === undefined).flatMap((c) => c.sources);
      assert.ok(!sources.some((s) => /^(src|workers|console)\/?$/.test(s)), `${name} copies no source folder: ${sources.join(', ')}`);
      assert.ok(copies.some((c) => c.from === 'build' && c.sources.includes('/app/dist')), `${name} copies dist from the build stage`);
      assert.ok(copies.some((c) => c.from === 'deps' && c.sources.includes('/app/node_modules')), `${name} copies node_modules from deps`);
    }
    assert.ok(stage('deps').copies.length > 0);
  });

  it('every build-context COPY names a file that exists and that .dockerignore lets through', async () => {
    const ignored = dockerignore(await readFile('.dockerignore', 'utf8'));
    const sources = stages.flatMap((s) => s.copies).filter((c) => c.from === undefined).flatMap((c) => c.sources);
    for (const source of new Set(sources)) {
      assert.ok(existsSync(source), `${source} exists`);
      assert.ok(!ignored(source.replace(/\/+$/, '')), `${source} is not in .dockerignore`);
    }
    assert.ok(ignored('node_modules') && ignored('dist'), 'local node_modules and dist stay out of the context');
  });
});

describe('deploy/entrypoint.sh', () => {
  it('starts each role with the compiled file of an entry that exists in the sources, never through tsx', async () => {
    const text = await readFile('deploy/entrypoint.sh', 'utf8');
    assert.doesNotMatch(text, /tsx/);
    const roles = [...text.matchAll(/^\s*([\w-]+)\).*exec node (dist\/\S+)\.js/gm)].map((m) => ({ role: m[1], file: m[2] ?? '' }));
    assert.deepEqual(roles.map((r) => r.role), ['api', 'worker', 'all', 'prepare-store']);
    for (const { role, file } of roles) assert.ok(existsSync(`${file.replace(/^dist\//, '')}.ts`), `${role}: ${file}.js is compiled from an existing .ts`);
  });
});
