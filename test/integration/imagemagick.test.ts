// The imagemagick engine through the API, for what the format matrix does not cover: inputs that
// are not what they claim, images over MAX_IMAGE_PIXELS or ImageMagick's own side limit (refused
// before they are decoded), options applied and validated, mode=info, and HEVC phone photos.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { crc32, deflateSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { convertFile } from '../helpers/convert.js';
import { auth, json, postJson } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { requireTools } from '../helpers/tools.js';
import { dngBytes } from '../formats/makers/dng.js';

const exec = promisify(execFile);

/** A 1-bit grey PNG of width × height, all black: a few kB for hundreds of megapixels. */
function bilevelPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const check = Buffer.alloc(4);
    check.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, check]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 1; // bit depth
  const rows = Buffer.alloc((1 + Math.ceil(width / 8)) * height);
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', header), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** A 24-bit BMP of width × height, white. */
function bmp(width: number, height: number): Buffer {
  const row = Math.ceil((width * 3) / 4) * 4;
  const head = Buffer.alloc(54);
  head.write('BM', 0, 'latin1');
  head.writeUInt32LE(54 + row * height, 2);
  head.writeUInt32LE(54, 10);
  head.writeUInt32LE(40, 14);
  head.writeInt32LE(width, 18);
  head.writeInt32LE(height, 22);
  head.writeUInt16LE(1, 26);
  head.writeUInt16LE(24, 28);
  head.writeUInt32LE(row * height, 34);
  return Buffer.concat([head, Buffer.alloc(row * height, 0xff)]);
}

describe('imagemagick engine through the API', () => {
  let server: TestServer;
  let dir: string;
  let png: string;
  const file = async (name: string, bytes: Buffer): Promise<string> => {
    const target = path.join(dir, name);
    await writeFile(target, bytes);
    return target;
  };

  before(async () => {
    await requireTools(['convert', 'identify', 'gs', 'heif-enc', 'cjxl', 'djxl', 'jxlinfo', 'dcraw_emu', 'raw-identify']);
    // A low MAX_IMAGE_PIXELS so a modest image shows the limit.
    server = await startTestServer({ env: { MAX_IMAGE_PIXELS: '1000000' } });
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-magick-'));
    png = await file('photo.png', await sharp({ create: { width: 120, height: 90, channels: 3, background: '#c04020' } }).png().toBuffer());
  });
  after(async () => {
    await server?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('refuses a PNG sent as bmp with a 422 that says it is not a bmp', async () => {
    const fake = await file('fake.bmp', await sharp(png).png().toBuffer());
    const { status } = await convertFile(server, fake, { inputformat: 'bmp', outputformat: 'png' }, dir);
    assert.equal(status.body['step'], 'error');
    assert.equal(status.body['code'], 422, JSON.stringify(status.body));
    // The worker's signature check refuses it before ImageMagick runs.
    assert.match(String(status.body['message']), /"fake\.bmp" is not a bmp file .*Check that the file really is bmp/);
  });

  it('refuses a truncated bmp (a header promising more pixels than the file holds) as unreadable, not a crash', async () => {
    const cut = await file('cut.bmp', bmp(300, 300).subarray(0, 2000));
    const { status } = await convertFile(server, cut, { inputformat: 'bmp', outputformat: 'jpg' }, dir);
    assert.equal(status.body['code'], 422, JSON.stringify(status.body));
    assert.match(String(status.body['message']), /bmp/);
  });

  it('refuses a 30000x30000 PNG (100 kB) before decoding it, naming MAX_IMAGE_PIXELS', async () => {
    const bomb = await file('bomb.png', bilevelPng(30_000, 30_000));
    const { status } = await convertFile(server, bomb, { inputformat: 'png', outputformat: 'bmp' }, dir);
    assert.equal(status.body['code'], 422, JSON.stringify(status.body));
    assert.match(String(status.body['message']), /30000x30000 pixels.*MAX_IMAGE_PIXELS/);
  });

  it('refuses a bmp over MAX_IMAGE_PIXELS from its header, and one wider than ImageMagick allows', async () => {
    const large = await file('large.bmp', bmp(1200, 1000));
    const refused = await convertFile(server, large, { inputformat: 'bmp', outputformat: 'png' }, dir);
    assert.equal(refused.status.body['code'], 422, JSON.stringify(refused.status.body));
    assert.match(String(refused.status.body['message']), /1200x1000 pixels.*MAX_IMAGE_PIXELS/);
    const wide = await file('wide.bmp', bmp(20_000, 2));
    const tooWide = await convertFile(server, wide, { inputformat: 'bmp', outputformat: 'png' }, dir);
    assert.equal(tooWide.status.body['code'], 422, JSON.stringify(tooWide.status.body));
    assert.match(String(tooWide.status.body['message']), /wider or higher than ImageMagick's policy/);
  });

  it('applies resize, grayscale and rotate, and writes a bmp of the new size', async () => {
    const { status, files } = await convertFile(server, png, { inputformat: 'png', outputformat: 'bmp', converteroptions: { resize: '60x', grayscale: true, rotate: 90 } }, dir);
    assert.equal(status.body['step'], 'finished', JSON.stringify(status.body));
    // Turned a quarter (90x120), then scaled to 60 wide.
    const { stdout } = await exec('identify', ['-format', '%m %w %h %[type]', `bmp:${files[0] ?? ''}`]);
    assert.equal(stdout, 'BMP 60 80 Grayscale');
  });

  it('refuses bad option values with a 400 naming the option', async () => {
    const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'bmp', outputformat: 'png' }, auth());
    for (const converteroptions of [{ resize: '100x100; rm -rf' }, { quality: 0 }, { resizemode: 'stretch' }]) {
      const started = await postJson(server.abs(String(created.body['url'])), { input: 'download', file: 'https://example.com/a.bmp', outputformat: 'png', converteroptions });
      assert.equal(started.status, 400, JSON.stringify(started.body));
      assert.match(String(started.body['error'] ?? started.body['message']), new RegExp(Object.keys(converteroptions)[0] ?? ''));
    }
  });

  it('converts an HEVC-coded heic photo (sent as heic) to jpg', async () => {
    const heic = path.join(dir, 'phone.heic');
    await exec('heif-enc', ['-q', '50', '-o', heic, png]);
    const { status, files } = await convertFile(server, heic, { inputformat: 'heic', outputformat: 'jpg' }, dir);
    assert.equal(status.body['step'], 'finished', JSON.stringify(status.body));
    const meta = await sharp(files[0] ?? '').metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 120, 90]);
  });

  it('develops a DNG and refuses a PNG sent as dng', async () => {
    const dng = await file('camera.dng', dngBytes(64, 48));
    const { status, files } = await convertFile(server, dng, { inputformat: 'dng', outputformat: 'png' }, dir);
    assert.equal(status.body['step'], 'finished', JSON.stringify(status.body));
    assert.deepEqual([(await sharp(files[0] ?? '').metadata()).width, (await sharp(files[0] ?? '').metadata()).height], [64, 48]);
    const fake = await file('fake.dng', Buffer.concat([Buffer.from('II*\0', 'latin1'), Buffer.alloc(200)]));
    const refused = await convertFile(server, fake, { inputformat: 'dng', outputformat: 'png' }, dir);
    assert.equal(refused.status.body['code'], 422, JSON.stringify(refused.status.body));
    assert.match(String(refused.status.body['message']), /not a readable dng image/);
  });

  it('draws an eps with Ghostscript into a jpg, and refuses one without a bounding box or over the pixel limit', async () => {
    const drawing = (box: string): Buffer => Buffer.from(`%!PS-Adobe-3.0 EPSF-3.0\n${box}\nnewpath 0 0 moveto 72 0 lineto 72 36 lineto closepath 1 0 0 setrgbcolor fill\nshowpage\n%%EOF\n`, 'latin1');
    const eps = await file('logo.eps', drawing('%%BoundingBox: 0 0 72 36'));
    const { status, files } = await convertFile(server, eps, { inputformat: 'eps', outputformat: 'jpg', converteroptions: { density: 100 } }, dir);
    assert.equal(status.body['step'], 'finished', JSON.stringify(status.body));
    const meta = await sharp(files[0] ?? '').metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 100, 50]);
    const boxless = await convertFile(server, await file('boxless.eps', drawing('%%Title: x')), { inputformat: 'eps', outputformat: 'jpg' }, dir);
    assert.equal(boxless.status.body['code'], 422, JSON.stringify(boxless.status.body));
    assert.match(String(boxless.status.body['message']), /BoundingBox/);
    const huge = await convertFile(server, eps, { inputformat: 'eps', outputformat: 'bmp', converteroptions: { density: 2400 } }, dir);
    assert.equal(huge.status.body['code'], 422, JSON.stringify(huge.status.body));
    assert.match(String(huge.status.body['message']), /2400x1200 pixels.*MAX_IMAGE_PIXELS/);
  });

  it('describes a psd with mode=info', async () => {
    const psd = path.join(dir, 'layers.psd');
    await exec('convert', [`png:${png}`, `psd:${psd}`]);
    const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'psd', mode: 'info' }, auth());
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const url = server.abs(String(created.body['url']));
    const started = await postJson(url, { input: 'base64', file: (await readFile(psd)).toString('base64'), filename: 'layers.psd', mode: 'info', wait: true });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const final = started.body['step'] === 'finished' ? started : await json(`${url}?wait=true`);
    assert.equal(final.body['step'], 'finished', JSON.stringify(final.body));
    const info = final.body['info'] as Record<string, unknown>;
    assert.equal(info['format'], 'psd');
    assert.equal(info['width'], 120);
    assert.equal(info['height'], 90);
  });
});
