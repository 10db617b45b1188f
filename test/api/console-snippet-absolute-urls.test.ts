// The console's curl snippet against a server with ABSOLUTE_URLS=true, where process and download
// URLs come as `http://host/...` instead of `//host/...`: the snippet, run as shown, still
// creates the process, uploads, waits and downloads the PNG (it once glued "http:" in front of
// every URL, which made `http:http://...`).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { SVG } from '../helpers/fixtures.js';
import { startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

type Render = (r: Record<string, unknown>) => string;

describe('console curl snippet with ABSOLUTE_URLS=true', () => {
  let server: TestServer;
  let dir: string;
  let curlProcess: Render;
  before(async () => {
    server = await startTestServer({ env: { ABSOLUTE_URLS: 'true' } });
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-snippet-abs-'));
    ({ curlProcess } = (await import(new URL('../../console/snippets.js', import.meta.url).href)) as { curlProcess: Render });
  });
  after(async () => {
    await server?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  const request = (r: Record<string, unknown>) => ({ origin: server.baseUrl, key: TEST_KEY, mode: 'convert', inputformat: 'svg', outputformat: 'png', options: {}, filenames: [], urls: [], ...r });

  it('uploads, waits and downloads the PNG, run as shown', { timeout: 120_000 }, async () => {
    const created = await fetch(`${server.baseUrl}/process`, { method: 'POST', headers: { Authorization: `Bearer ${TEST_KEY}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ inputformat: 'svg', outputformat: 'png' }) });
    assert.match(((await created.json()) as { url: string }).url, /^http:\/\//, 'the server answers absolute URLs');
    const work = path.join(dir, 'upload');
    await run('mkdir', ['-p', work]);
    await writeFile(path.join(work, 'drawing.svg'), SVG);
    const snippet = curlProcess(request({ input: 'upload', filenames: ['drawing.svg'] }));
    await run('bash', ['-euo', 'pipefail', '-c', snippet], { cwd: work, timeout: 90_000 });
    const png = await readFile(path.join(work, 'out', 'drawing.png'));
    assert.ok(png.subarray(0, 4).equals(PNG_MAGIC), 'a PNG');
  });
});
