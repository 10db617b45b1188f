// The tracing engine (potrace) through the API: raster → svg and eps, outlines where the ink is.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { convertFile } from '../helpers/convert.js';
import { auth, json, postJson } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);

/** A white 200x100 PNG with a black disc of radius 40 centred at (60, 50). */
async function disc(file: string): Promise<void> {
  const drawing = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><rect width="200" height="100" fill="white"/><circle cx="60" cy="50" r="40" fill="black"/></svg>');
  await writeFile(file, await sharp(drawing).png().toBuffer());
}

describe('tracing engine (potrace) through the API', () => {
  let server: TestServer;
  let dir: string;
  let png: string;
  before(async () => {
    await run('potrace', ['--version']).catch(() => {
      throw new Error('potrace is not installed: run bash scripts/setup.sh (apt-get install potrace)');
    });
    server = await startTestServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-trace-'));
    png = path.join(dir, 'logo.png');
    await disc(png);
  });
  after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('traces a png into an svg whose shape sits where the ink was, in the colour asked for', async () => {
    const { status, files } = await convertFile(server, png, { inputformat: 'png', outputformat: 'svg', converteroptions: { color: '#ff0000' } }, dir);
    assert.equal(status.body['step'], 'finished', JSON.stringify(status.body));
    const svg = await readFile(files[0] ?? '', 'utf8');
    assert.match(svg, /<path/);
    assert.match(svg, /fill="#ff0000"/);
    const { data, info } = await sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number): number[] => [...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3)];
    assert.deepEqual(pixel(60, 50), [255, 0, 0], 'the disc is filled');
    assert.deepEqual(pixel(150, 50), [255, 255, 255], 'the blank side stays blank');
  });

  it('writes eps, and lists png → svg with potrace in /conversiontypes', async () => {
    const { status, files } = await convertFile(server, png, { inputformat: 'png', outputformat: 'eps' }, dir);
    assert.equal(status.body['step'], 'finished', JSON.stringify(status.body));
    assert.match((await readFile(files[0] ?? '')).toString('latin1', 0, 20), /^%!PS-Adobe/);
    const types = await json<Array<{ inputformat: string; outputformat: string; converter: string }>>(`${server.baseUrl}/conversiontypes?inputformat=png&outputformat=svg`);
    assert.equal(types.body[0]?.converter, 'potrace');
  });

  it('refuses an option out of range with a 400 that names it', async () => {
    const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'png', outputformat: 'svg' }, auth());
    const started = await postJson(server.abs(String(created.body['url'])), { input: 'download', file: 'https://example.com/a.png', outputformat: 'svg', converteroptions: { threshold: 300 } });
    assert.equal(started.status, 400);
    assert.match(String(started.body['error']), /threshold/);
  });
});
