// The API document's "Video conversion" example with the official Node v1 client: codec
// information of an MP4 (mode=info), a thumbnail, and conversions to other resolutions, the
// input fetched by URL from a local fixture server.
import assert from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { makeVideo, probe, requireFfmpeg, stream } from '../helpers/media.js';
import { startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';

const require = createRequire(import.meta.url);

interface CcProcess {
  data: Record<string, any>;
  start(params: Record<string, unknown>, cb: (err: any, p: CcProcess) => void): void;
  wait(cb: (err: any, p: CcProcess) => void, interval?: number): void;
  download(target: NodeJS.WritableStream, remote: string | null, cb: (err: any, p: CcProcess) => void): void;
}
interface Api {
  endpoint: string;
  protocol: string;
  createProcess(params: Record<string, unknown>, cb: (err: any, p: CcProcess) => void): void;
}
const CloudConvert = require('cloudconvert') as new (key: string) => Api;
const call = <T>(fn: (cb: (err: any, value: T) => void) => void): Promise<T> => new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));

describe('Node v1 client: the "Video conversion" example', () => {
  let server: TestServer;
  let fixtures: FixtureServer;
  let dir: string;
  let api: Api;
  let url: string;

  before(async () => {
    await requireFfmpeg();
    server = await startTestServer({ env: { ALLOW_PRIVATE_URLS: 'true' } }); // the fixture server is on loopback
    fixtures = await startFixtureServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-node-media-'));
    await makeVideo(path.join(dir, 'movie.mp4'), { seconds: 3, size: '640x360' });
    fixtures.serve('/movie.mp4', await readFile(path.join(dir, 'movie.mp4')), 'video/mp4');
    url = `${fixtures.baseUrl}/movie.mp4`;
    api = new CloudConvert(TEST_KEY);
    api.endpoint = `127.0.0.1:${server.port}`;
    api.protocol = 'http';
  });
  after(async () => {
    await fixtures.stop();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const run = async (create: Record<string, unknown>, start: Record<string, unknown>): Promise<CcProcess> => {
    const proc = await call<CcProcess>((cb) => api.createProcess(create, cb));
    await call((cb) => proc.start({ input: 'download', file: url, ...start }, cb));
    await call((cb) => proc.wait(cb, 100));
    return proc;
  };

  it('gets the codec information', async () => {
    const proc = await run({ inputformat: 'mp4', outputformat: 'mp4', mode: 'info' }, { mode: 'info' });
    const video = proc.data['info'].streams.find((s: Record<string, unknown>) => s['type'] === 'video');
    assert.deepEqual([video.codec, video.width, video.height], ['h264', 640, 360]);
  });

  it('gets a thumbnail', async () => {
    const proc = await run({ inputformat: 'mp4', outputformat: 'jpg' }, { outputformat: 'jpg', converteroptions: { thumbnail_size: '320x' } });
    const file = path.join(dir, 'thumb.jpg');
    await call((cb) => proc.download(createWriteStream(file), null, cb));
    const meta = await sharp(file).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 320, 180]);
  });

  it('converts it to two other resolutions', async () => {
    for (const [resolution, height] of [['320x180', 180], ['x240', 240]] as const) {
      const proc = await run({ inputformat: 'mp4', outputformat: 'mp4' }, { outputformat: 'mp4', converteroptions: { video_resolution: resolution } });
      const file = path.join(dir, `movie-${height}.mp4`);
      await call((cb) => proc.download(createWriteStream(file), null, cb));
      assert.equal(stream(await probe(file), 'video')?.height, height);
    }
  });
});
