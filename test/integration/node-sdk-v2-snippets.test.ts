// The Node SDK v2 code the API console hands to users runs: its snippet (convert with an option,
// and metadata for mode=info), run as a program with the official SDK (cloudconvert 3.0.0,
// installed as cloudconvert-v3) against a real server (Redis, worker, sharp), only
// `require('cloudconvert')` pointed at that package. What it writes is checked. The example of
// docs/api-v2.md runs in test/docs/examples.test.ts with every other documented example.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { CORRUPT_PNG, pngOf, SVG } from '../helpers/fixtures.js';
import { startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);
const SDK_PATH = createRequire(import.meta.url).resolve('cloudconvert-v3');

interface SnippetRequest {
  origin: string;
  key: string;
  mode: 'convert' | 'info' | 'combine' | 'archive' | 'extract' | 'compress';
  inputformat: string;
  outputformat: string;
  input: 'upload' | 'download';
  /** The uploaded files' names, in order (console/snippets.js's SnippetRequest). */
  filenames: string[];
  urls: string[];
  options: Record<string, string | number | boolean>;
}

async function consoleSnippet(request: SnippetRequest): Promise<string> {
  const module = (await import(new URL('../../console/snippets.js', import.meta.url).href)) as { nodeSdkV2: (r: SnippetRequest) => string };
  return module.nodeSdkV2(request);
}

/** `require('cloudconvert')` replaced by the installed 3.0.0, which must be there to replace. */
function withSdk(code: string): string {
  assert.ok(code.includes("require('cloudconvert')"), 'the code requires cloudconvert');
  return code.replace("require('cloudconvert')", `require(${JSON.stringify(SDK_PATH)})`);
}

describe('Node SDK v2 (cloudconvert 3.x) code from the console', () => {
  let server: TestServer;
  let dir: string;
  before(async () => {
    server = await startTestServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-sdk-v2-'));
    await writeFile(path.join(dir, 'drawing.svg'), SVG);
    await writeFile(path.join(dir, 'photo.png'), await pngOf(30, 20));
    await writeFile(path.join(dir, 'broken.png'), CORRUPT_PNG);
  });
  after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const runProgram = async (name: string, code: string, env: Record<string, string> = {}): Promise<string> => {
    await writeFile(path.join(dir, name), code);
    const { stdout } = await run(process.execPath, [name], { cwd: dir, timeout: 60_000, env: { ...process.env, ...env } });
    return stdout;
  };

  it("the console's snippet uploads, converts with the form's option and downloads the export", async () => {
    const code = await consoleSnippet({ origin: server.baseUrl, key: TEST_KEY, mode: 'convert', inputformat: 'svg', outputformat: 'png', input: 'upload', filenames: ['drawing.svg'], urls: [], options: { resize: '60x' } });
    await runProgram('console-convert.cjs', withSdk(code));
    const meta = await sharp(await readFile(path.join(dir, 'out', 'drawing.png'))).metadata(); // the snippet saves into ./out
    assert.equal(meta.format, 'png');
    assert.equal(meta.width, 60);
    assert.equal(meta.height, 40);
  });

  it("the console's mode=info snippet prints the metadata task's result", async () => {
    const code = await consoleSnippet({ origin: server.baseUrl, key: TEST_KEY, mode: 'info', inputformat: 'png', outputformat: 'png', input: 'upload', filenames: ['photo.png'], urls: [], options: {} });
    const printed = await runProgram('console-info.cjs', withSdk(code));
    assert.match(printed, /width: 30/);
    assert.match(printed, /height: 20/);
  });

  it("the console's snippet fails loudly with the failed task's message", async () => {
    const code = await consoleSnippet({ origin: server.baseUrl, key: TEST_KEY, mode: 'convert', inputformat: 'png', outputformat: 'jpg', input: 'upload', filenames: ['broken.png'], urls: [], options: {} });
    await assert.rejects(runProgram('console-bad.cjs', withSdk(code)), (error: Error & { stderr?: string; code?: number }) => {
      assert.equal(error.code, 1);
      assert.match(error.stderr ?? '', /^convert-it: /m);
      return true;
    });
  });
});
