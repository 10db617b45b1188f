// LIGHT_TOOL_MEMORY_MB with the API, a worker and a real tool: a light conversion (pdf → png,
// mutool) renders a letter page at 300 dpi, whose pixmap alone takes about 25 MB. Under
// LIGHT_TOOL_MEMORY_MB=64 (TOOL_MEMORY_MB left at its 4096) mutool runs out of memory and the
// process ends in a 422 naming the light setting; under the default light limit the same
// conversion finishes. So the light limit, not TOOL_MEMORY_MB, is what a light tool runs under.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { convertFile } from '../helpers/convert.js';
import { makePdf } from '../helpers/documents.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const RENDER = { inputformat: 'pdf', outputformat: 'png', converteroptions: { density: 300 } };

let work: string;
let page: string;
before(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'oc-light-memory-'));
  page = path.join(work, 'page.pdf');
  await makePdf(page, 1);
});
after(async () => rm(work, { recursive: true, force: true }));

describe('a light tool over LIGHT_TOOL_MEMORY_MB', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ env: { LIGHT_TOOL_MEMORY_MB: '64' } });
  });
  after(async () => server.stop());

  it('ends the process in a 422 that names LIGHT_TOOL_MEMORY_MB, though TOOL_MEMORY_MB is 4096', async () => {
    assert.equal(server.core.config.sandbox.memoryBytes, 4096 * 2 ** 20);
    const { status } = await convertFile(server, page, RENDER, work);
    assert.equal(status.body['step'], 'error', JSON.stringify(status.body));
    assert.equal(status.status, 422);
    assert.match(String(status.body['message']), /^mutool ran out of memory: each tool may use 64 MB \(LIGHT_TOOL_MEMORY_MB\)/);
  });
});

describe('the same conversion under the default LIGHT_TOOL_MEMORY_MB', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.stop());

  it('finishes: a 300 dpi page of 2550 × 3300 pixels', async () => {
    assert.equal(server.core.config.sandbox.lightMemoryBytes, 1024 * 2 ** 20);
    const out = await mkdtemp(path.join(work, 'out-'));
    const { status, files } = await convertFile(server, page, RENDER, out);
    assert.equal(status.body['step'], 'finished', JSON.stringify(status.body));
    const { width, height } = await sharp(files[0] ?? '').metadata();
    assert.deepEqual([width, height], [2550, 3300]);
  });
});
