// The formats issue 18 added to the ffmpeg engine, through the API, for what the format matrix
// does not cover: the two listed-but-failing fixes (thumbnails of MPEG-TS as ffmpeg writes it by
// default; no audio out of a GIF), files that are not their declared format, the duration limit
// on raw streams (which carry no duration), DV's fixed frame, and mode=info on the new inputs.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { convertFile } from '../helpers/convert.js';
import { auth, postJson } from '../helpers/http.js';
import { makeVideo, probe, requireFfmpeg, stream } from '../helpers/media.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);

describe('ffmpeg engine: the added formats through the API', () => {
  let server: TestServer;
  let dir: string;
  const out = async (): Promise<string> => mkdtemp(path.join(dir, 'out-'));

  before(async () => {
    await requireFfmpeg();
    // A low duration limit, so a 5 s raw stream is over it.
    server = await startTestServer({ env: { MEDIA_MAX_DURATION_SECONDS: '3' } });
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-media-formats-'));
  });
  after(async () => {
    await server?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('takes thumbnails of MPEG-TS written with ffmpeg\'s defaults (timestamps from 1.4 s, one keyframe)', async () => {
    const ts = path.join(dir, 'clip.ts');
    await makeVideo(ts, { seconds: 2, size: '160x120' });
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=start_time', '-of', 'csv=p=0', ts]);
    assert.ok(Number(stdout) > 1, `the sample starts at ${stdout.trim()} s, as ffmpeg writes MPEG-TS`);
    for (const format of ['png', 'jpg'] as const) {
      const result = await convertFile(server, ts, { inputformat: 'ts', outputformat: format, converteroptions: { thumbnail_count: 2 } }, await out());
      assert.equal(result.status.body['step'], 'finished', String(result.status.body['message']));
      assert.equal(result.files.length, 2);
      for (const file of result.files) assert.deepEqual([(await sharp(file).metadata()).width, (await sharp(file).metadata()).height], [160, 120]);
    }
  });

  it('does not offer audio out of a GIF: a 400 naming what a GIF converts to', async () => {
    const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'gif', outputformat: 'mp3' }, auth());
    assert.equal(created.status, 400, JSON.stringify(created.body));
    assert.match(String(created.body['hint']), /gif to mp3 is not available\. gif converts to: .*mp4/);
  });

  it('ends a file that is not its declared format in a 422 naming the format ffmpeg found', async () => {
    const png = path.join(dir, 'picture.dts');
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#0a0' } }).png().toFile(png);
    const result = await convertFile(server, png, { inputformat: 'dts', outputformat: 'wav' }, await out());
    assert.equal(result.status.status, 422, JSON.stringify(result.status.body));
    // The worker's signature check refuses it before ffmpeg runs (ffmpeg's reader list stays behind it).
    assert.match(String(result.status.body['message']), /"picture\.dts" is not a dts file/);
    const text = path.join(dir, 'notes.vtt');
    await writeFile(text, 'WEBVTT\n\nthis is no cue\n');
    const subtitle = await convertFile(server, text, { inputformat: 'vtt', outputformat: 'srt' }, await out());
    assert.equal(subtitle.status.status, 422, JSON.stringify(subtitle.status.body));
    assert.match(String(subtitle.status.body['message']), /^ffmpeg wrote an empty srt file/);
  });

  it('applies the duration limit to raw H.264, whose length ffprobe counts from its frames', async () => {
    const raw = path.join(dir, 'long.h264');
    await makeVideo(raw, { seconds: 5, size: '64x48', audio: false, args: ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-f', 'h264'] });
    const result = await convertFile(server, raw, { inputformat: 'h264', outputformat: 'mp4' }, await out());
    assert.equal(result.status.status, 422, JSON.stringify(result.status.body));
    assert.match(String(result.status.body['message']), /The file is 5 s long; this server converts at most 3 s \(MEDIA_MAX_DURATION_SECONDS\)/);
  });

  it('fits any picture into DV\'s PAL frame and does not take the options that would change it', async () => {
    const clip = path.join(dir, 'small.mp4');
    await makeVideo(clip, { seconds: 1, size: '160x90' });
    const result = await convertFile(server, clip, { inputformat: 'mp4', outputformat: 'dv', converteroptions: { video_resolution: '320x240', video_fps: 10 } }, await out());
    assert.equal(result.status.body['step'], 'finished', String(result.status.body['message']));
    const info = await probe(result.files[0] ?? '');
    assert.deepEqual([stream(info, 'video')?.width, stream(info, 'video')?.height, stream(info, 'video')?.avg_frame_rate], [720, 576, '25/1']);
    assert.equal(stream(info, 'audio')?.sample_rate, '48000');
    const options = (result.status.body['converter'] as { options: Record<string, unknown> }).options;
    assert.equal(options['video_resolution'], null, 'not an option of → dv: ignored');
  });

  it('describes the new inputs with mode=info: a raw stream, a subtitle file', async () => {
    const raw = path.join(dir, 'short.h264');
    await makeVideo(raw, { seconds: 1, size: '64x48', audio: false, args: ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-f', 'h264'] });
    const h264 = await convertFile(server, raw, { inputformat: 'h264', mode: 'info' }, await out());
    assert.equal(h264.status.body['step'], 'finished', String(h264.status.body['message']));
    const video = (h264.status.body['info'] as { streams: Array<Record<string, unknown>> }).streams[0];
    assert.deepEqual([video?.['codec'], video?.['width'], video?.['height']], ['h264', 64, 48]);
    const srt = path.join(dir, 'cues.srt');
    await writeFile(srt, '1\n00:00:00,000 --> 00:00:01,000\nHello\n');
    const cues = await convertFile(server, srt, { inputformat: 'srt', mode: 'info' }, await out());
    assert.equal(cues.status.body['step'], 'finished', String(cues.status.body['message']));
    const info = cues.status.body['info'] as { format: string; streams: Array<Record<string, unknown>> };
    assert.deepEqual([info.format, info.streams[0]?.['type'], info.streams[0]?.['codec']], ['srt', 'subtitle', 'subrip']);
  });
});
