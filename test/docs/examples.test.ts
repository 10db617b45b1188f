// Every example in README.md and docs/*.md runs, so none can go stale: shell blocks with bash and
// JavaScript with node against one real server (API, worker, Redis), each in a fresh folder of
// the sample files the examples name; JSON and YAML must parse; any other block must say, in a
// marker on the line before it, why it is not run and which test covers it (and is still parsed
// where bash, node or python3 can). The rules are in
// docs/README.md ("Examples are tested").
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { parse as parseYaml } from 'yaml';
import { makePdf, pdfPages } from '../helpers/documents.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { makeAudio } from '../helpers/media.js';
import { pngOf, SVG } from '../helpers/fixtures.js';
import { startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';
import { allCodeBlocks, type CodeBlock } from './code-blocks.js';
import { ADMIN_KEY, JSON_SHAPES } from './json-shapes.js';

const run = promisify(execFile);

/**
 * A block that is not run is still parsed where a parser is at hand (bash, node, python3), so a
 * typo shows even in the SDK examples; PHP, Java, Ruby and C# have none on this machine.
 */
async function checkSyntax(block: CodeBlock): Promise<void> {
  const parsers: Readonly<Record<string, readonly [string, string[]]>> = {
    sh: ['bash', ['-n']],
    bash: ['bash', ['-n']],
    js: [process.execPath, ['--check']],
    python: ['python3', ['-c', 'import ast, sys; ast.parse(open(sys.argv[1]).read())']],
  };
  const parser = parsers[block.lang];
  if (parser === undefined) return;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'oc-doc-syntax-'));
  try {
    const file = path.join(dir, block.lang === 'js' ? 'example.cjs' : 'example');
    await writeFile(file, block.code);
    await run(parser[0], [...parser[1], file]).catch((error: { stderr?: string }) => assert.fail(`${block.page}:${block.line} does not parse as ${block.lang}: ${error.stderr ?? String(error)}`));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
const ROOT = new URL('../../', import.meta.url);
const resolve = createRequire(import.meta.url).resolve;
/** The v1 client the v1 examples name, and the v2 SDK for a `require('cloudconvert'); // 3.x` line. */
const CLIENT_V1 = resolve('cloudconvert');
const SDK_V3 = resolve('cloudconvert-v3');
/** Generous for a busy 2-core machine: the slowest example converts a few small files. */
const EXAMPLE_TIMEOUT_MS = 90_000;

/** What an output's name promises, checked on its first bytes (or a parse). */
const SIGNATURES: Readonly<Record<string, (bytes: Buffer) => boolean>> = {
  png: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  jpg: (b) => b[0] === 0xff && b[1] === 0xd8,
  pdf: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
  zip: (b) => b.subarray(0, 2).toString('latin1') === 'PK',
  svg: (b) => b.toString('utf8').includes('<svg'),
  json: (b) => (JSON.parse(b.toString('utf8')), true),
};

/** Checks by content where an example promises more than a file type. */
const CONTENT_CHECKS: readonly { readonly when: RegExp; readonly file: string; readonly check: (file: string) => Promise<void> }[] = [
  { when: /resize: '800x'|width: 800/, file: 'drawing.png', check: async (file) => assert.equal((await sharp(file).metadata()).width, 800, `${file} is 800 pixels wide`) },
  { when: /-F file=@a\.pdf -F file=@b\.pdf/, file: 'merged.pdf', check: async (file) => assert.equal(await pdfPages(file), 3, 'a.pdf (1 page) and b.pdf (2 pages) merged') },
];

const blocks = await allCodeBlocks(ROOT);

describe('documentation examples', () => {
  let server: TestServer;
  let fixtures: FixtureServer;
  let samples: string;
  let work: string;

  before(async () => {
    fixtures = await startFixtureServer();
    // The examples download from https://example.com/..., which becomes the local fixture server.
    // The `command` example needs its operation on, the /admin example the dashboard's key.
    server = await startTestServer({ env: { ALLOW_PRIVATE_URLS: 'true', V2_COMMAND_ENABLED: 'true', ADMIN_KEY } });
    work = await mkdtemp(path.join(os.tmpdir(), 'oc-docs-'));
    samples = path.join(work, 'samples');
    await mkdir(path.join(samples, 'data'), { recursive: true });
    await writeFile(path.join(samples, 'drawing.svg'), SVG);
    await makePdf(path.join(samples, 'a.pdf'), 1);
    await makePdf(path.join(samples, 'b.pdf'), 2);
    // `npm start` keeps its generated key there; the README reads it from there.
    await writeFile(path.join(samples, 'data', 'api-key'), `${TEST_KEY}\n`);
    fixtures.serve('/a.svg', SVG, 'image/svg+xml');
    fixtures.serve('/a.pdf', await readFile(path.join(samples, 'a.pdf')), 'application/pdf');
    fixtures.serve('/scan', await pngOf(64, 48), 'image/png');
    await makeAudio(path.join(work, 'a.wav'), 1);
    fixtures.serve('/a.wav', await readFile(path.join(work, 'a.wav')), 'audio/wav');
  });
  after(async () => {
    await server?.stop();
    await fixtures?.stop();
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it('finds the examples of every page', () => {
    assert.ok(blocks.some((b) => b.page === 'README.md' && b.lang === 'sh' && b.notRun === undefined), 'the README has a runnable shell example');
    assert.ok(blocks.filter((b) => b.lang === 'js').length >= 2, 'the Node examples are found');
  });

  /** The example as it runs here: the documented server and file host become the local ones. */
  const localised = (code: string): string =>
    code
      .replaceAll('http://localhost:8080', server.baseUrl)
      .replaceAll('localhost:8080', `127.0.0.1:${server.port}`)
      .replaceAll('127.0.0.1:8080', `127.0.0.1:${server.port}`)
      .replaceAll('https://example.com/', `${fixtures.baseUrl}/`);

  /** A fresh folder holding the samples, so a file an example is checked for is its own. */
  async function folderFor(block: CodeBlock): Promise<string> {
    const dir = path.join(work, `${block.page.replace(/\W/g, '_')}-${block.line}`);
    await cp(samples, dir, { recursive: true });
    return dir;
  }

  async function runShell(block: CodeBlock, dir: string): Promise<string> {
    const script = `set -eo pipefail\n${localised(block.code)}\n`;
    const { stdout } = await run('bash', ['-c', script], { cwd: dir, env: { ...process.env, KEY: TEST_KEY }, timeout: EXAMPLE_TIMEOUT_MS });
    return stdout;
  }

  async function runNode(block: CodeBlock, dir: string): Promise<string> {
    const code = localised(block.code).replace(/require\('cloudconvert'\)(;? *\/\/ 3\.x)?/g, (_all, v3?: string) => `require(${JSON.stringify(v3 === undefined ? CLIENT_V1 : SDK_V3)})${v3 ?? ''}`);
    await writeFile(path.join(dir, 'example.cjs'), code);
    const { stdout } = await run(process.execPath, ['example.cjs'], { cwd: dir, env: { ...process.env, KEY: TEST_KEY }, timeout: EXAMPLE_TIMEOUT_MS });
    return stdout;
  }

  /** An example that prints an API error, or a process that ended in error, failed. */
  function assertNoApiError(stdout: string): void {
    let answer: unknown;
    try {
      answer = JSON.parse(stdout);
    } catch {
      return;
    }
    if (typeof answer !== 'object' || answer === null) return;
    const fields = answer as Record<string, unknown>;
    assert.ok(typeof fields['error'] !== 'string', `the example printed an error: ${stdout}`);
    assert.notEqual(fields['step'], 'error', `the example's process ended in error: ${stdout}`);
  }

  /** Every file the example wrote has the type its name says; the files it names with -o exist. */
  async function assertOutputs(block: CodeBlock, dir: string): Promise<void> {
    const sampleNames = new Set(await readdir(samples));
    const written = (await readdir(dir)).filter((name) => !sampleNames.has(name) && name !== 'example.cjs');
    for (const named of block.code.matchAll(/ -o (\S+)/g)) assert.ok(written.includes(named[1] ?? ''), `the example wrote ${named[1]}`);
    for (const name of written) {
      const check = SIGNATURES[path.extname(name).slice(1)];
      if (check !== undefined) assert.ok(check(await readFile(path.join(dir, name))), `${name} is a ${path.extname(name)} file`);
    }
    for (const content of CONTENT_CHECKS) {
      if (content.when.test(block.code)) await content.check(path.join(dir, content.file));
    }
  }

  for (const block of blocks) {
    it(`${block.page}:${block.line} (${block.lang || 'no language'})`, { timeout: EXAMPLE_TIMEOUT_MS * 2 }, async () => {
      if (block.notRun !== undefined) {
        await access(new URL(block.notRun.coveredBy, ROOT)).catch(() => assert.fail(`${block.page}:${block.line} names ${block.notRun?.coveredBy}, which does not exist`));
        await checkSyntax(block);
        return;
      }
      switch (block.lang) {
        case 'sh':
        case 'bash':
        case 'js': {
          const dir = await folderFor(block);
          const stdout = block.lang === 'js' ? await runNode(block, dir) : await runShell(block, dir);
          assertNoApiError(stdout);
          await assertOutputs(block, dir);
          return;
        }
        case 'json': {
          const value: unknown = JSON.parse(localised(block.code));
          for (const shape of JSON_SHAPES.filter((s) => s.matches(value))) {
            await shape.check(value, server).catch((error: unknown) => assert.fail(`${block.page}:${block.line}, ${shape.what}: ${(error as Error).message}`));
          }
          return;
        }
        case 'yaml':
          parseYaml(block.code);
          return;
        case 'text':
          return;
        default:
          assert.fail(`${block.page}:${block.line}: a ${block.lang || 'bare'} block cannot run here; give it a language the harness runs, or the line before it <!-- not run: <why>; covered by <test file> -->`);
      }
    });
  }
});
