// The image engine's bounds on multi-page inputs through the API: at most IMAGE_MAX_PAGES pages
// or frames (each page of a GIF or TIFF would otherwise become a file of its own), and all frames
// of an animation, or of a GIF split into files, within MAX_IMAGE_PIXELS together. The limits
// are set low here, so the files stay a few kB.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { convertFile } from '../helpers/convert.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const MAX_PAGES = 20;
const MAX_PIXELS = 200_000;

/** A multi-page image of `pages` frames (alternating colours, so none is merged away). */
async function frames(file: string, pages: number, width: number, height: number, format: 'gif' | 'tiff'): Promise<string> {
  const frame = (i: number): Buffer => Buffer.alloc(width * height * 3, i % 2 === 0 ? 40 : 200);
  const raw = Buffer.concat(Array.from({ length: pages }, (_, i) => frame(i)));
  const image = sharp(raw, { raw: { width, height: height * pages, channels: 3, pageHeight: height } } as never);
  await (format === 'gif' ? image.gif() : image.tiff()).toFile(file);
  assert.equal((await sharp(file).metadata()).pages, pages, 'the fixture has its frames');
  return file;
}

describe('image engine: pages and frames of multi-page inputs', () => {
  let server: TestServer;
  let dir: string;
  const out = async (): Promise<string> => mkdtemp(path.join(dir, 'out-'));

  before(async () => {
    server = await startTestServer({ env: { IMAGE_MAX_PAGES: String(MAX_PAGES), MAX_IMAGE_PIXELS: String(MAX_PIXELS) } });
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-image-limits-'));
  });
  after(async () => {
    await server?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  const refused = (result: { status: { status: number; body: Record<string, unknown> }; files: string[] }, message: RegExp): void => {
    assert.equal(result.status.status, 422, JSON.stringify(result.status.body));
    assert.match(String(result.status.body['message']), message);
    assert.deepEqual(result.files, []);
  };

  it('refuses more pages or frames than IMAGE_MAX_PAGES before converting any, whatever the output', async () => {
    const gif = await frames(path.join(dir, 'many.gif'), 30, 40, 30, 'gif');
    const tooMany = /^The image has 30 pages or frames; this server converts at most 20 \(IMAGE_MAX_PAGES\)/;
    refused(await convertFile(server, gif, { inputformat: 'gif', outputformat: 'png' }, await out()), tooMany);
    refused(await convertFile(server, gif, { inputformat: 'gif', outputformat: 'webp' }, await out()), tooMany);
    const tiff = await frames(path.join(dir, 'many.tiff'), 30, 40, 30, 'tiff');
    refused(await convertFile(server, tiff, { inputformat: 'tiff', outputformat: 'jpg' }, await out()), tooMany);
  });

  it('converts a GIF within the limits to one file per frame', async () => {
    const gif = await frames(path.join(dir, 'few.gif'), 10, 40, 30, 'gif');
    const result = await convertFile(server, gif, { inputformat: 'gif', outputformat: 'png' }, await out());
    assert.equal(result.status.body['step'], 'finished', String(result.status.body['message']));
    assert.equal(result.files.length, 10);
  });

  it('bounds the frames of an animation, or of a GIF split into files, together by MAX_IMAGE_PIXELS; TIFF pages one by one', async () => {
    const gif = await frames(path.join(dir, 'large.gif'), 10, 200, 150, 'gif');
    const together = /^The image has 10 frames of 200x150 pixels, 300000 in all, more than the limit of 200000 \(MAX_IMAGE_PIXELS\)/;
    refused(await convertFile(server, gif, { inputformat: 'gif', outputformat: 'webp' }, await out()), together);
    refused(await convertFile(server, gif, { inputformat: 'gif', outputformat: 'png' }, await out()), together);
    const tiff = await frames(path.join(dir, 'large.tiff'), 10, 200, 150, 'tiff');
    const pages = await convertFile(server, tiff, { inputformat: 'tiff', outputformat: 'png' }, await out());
    assert.equal(pages.status.body['step'], 'finished', String(pages.status.body['message']));
    assert.equal(pages.files.length, 10);
  });
});
