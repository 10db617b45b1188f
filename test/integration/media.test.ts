// The audio/video engine (ffmpeg) through the API: every group of pairs, each option family
// checked in the output with ffprobe, thumbnails, mode=info, progress, bad input.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { AUDIO_OUTPUTS, VIDEO_OUTPUTS } from '../../src/core/catalog/engines/media.js';
import { convertFile, startUpload } from '../helpers/convert.js';
import { json } from '../helpers/http.js';
import { makeAudio, makeVideo, probe, requireFfmpeg, stream } from '../helpers/media.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('ffmpeg engine through the API', () => {
  let server: TestServer;
  let dir: string;
  let video: string;
  let audio: string;
  const out = async (): Promise<string> => mkdtemp(path.join(dir, 'out-'));

  before(async () => {
    await requireFfmpeg();
    server = await startTestServer({ env: { FFMPEG_ALLOW_COMMAND: 'false' } });
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-media-'));
    video = path.join(dir, 'clip.mp4');
    audio = path.join(dir, 'tone.wav');
    await makeVideo(video, { seconds: 2, size: '320x240' });
    await makeAudio(audio, 2);
  });
  after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('converts video to every video format', async () => {
    for (const format of VIDEO_OUTPUTS) {
      const result = await convertFile(server, video, { inputformat: 'mp4', outputformat: format }, await out());
      assert.equal(result.status.body['step'], 'finished', `${format}: ${String(result.status.body['message'])}`);
      const [file] = result.files;
      assert.ok(file !== undefined && file.endsWith(`.${format}`));
      const info = await probe(file);
      assert.equal(stream(info, 'video')?.width, format === 'dv' ? 720 : 320, format); // DV has a fixed PAL frame
    }
  });

  it('converts video to audio and audio to every audio format', async () => {
    const mp3 = await convertFile(server, video, { inputformat: 'mp4', outputformat: 'mp3' }, await out());
    const mp3Info = await probe(mp3.files[0] ?? '');
    assert.equal(stream(mp3Info, 'video'), undefined);
    assert.equal(stream(mp3Info, 'audio')?.codec_name, 'mp3');
    for (const format of AUDIO_OUTPUTS) {
      const result = await convertFile(server, audio, { inputformat: 'wav', outputformat: format }, await out());
      assert.equal(result.status.body['step'], 'finished', `${format}: ${String(result.status.body['message'])}`);
      const info = await probe(result.files[0] ?? '');
      assert.ok(stream(info, 'audio') !== undefined, format);
      assert.ok(Math.abs(Number(info.format.duration) - 2) < 0.2, `${format} duration ${info.format.duration}`);
    }
  });

  it('applies the video options: resolution, codec, bit rate, fps', async () => {
    const result = await convertFile(server, video, { inputformat: 'mp4', outputformat: 'mkv', converteroptions: { video_resolution: '160x', video_codec: 'h265', video_bitrate: 200, video_fps: 10 } }, await out());
    const info = await probe(result.files[0] ?? '');
    const v = stream(info, 'video');
    assert.equal(v?.codec_name, 'hevc');
    assert.equal(v?.width, 160);
    assert.equal(v?.height, 120);
    assert.equal(v?.avg_frame_rate, '10/1');
    assert.deepEqual((result.status.body['converter'] as { options: Record<string, unknown> }).options['video_codec'], 'h265');
  });

  it('applies the audio options: codec, bit rate, channels, frequency, trim', async () => {
    const result = await convertFile(server, video, { inputformat: 'mp4', outputformat: 'mkv', converteroptions: { audio_codec: 'opus', audio_bitrate: 64, audio_channels: 1, audio_frequency: 24000, trim_from: '0.5', trim_to: '1.5' } }, await out());
    const info = await probe(result.files[0] ?? '');
    const a = stream(info, 'audio');
    assert.equal(a?.codec_name, 'opus');
    assert.equal(a?.channels, 1);
    assert.ok(Math.abs(Number(info.format.duration) - 1) < 0.15, `trimmed duration ${info.format.duration}`);
    const mp3 = await convertFile(server, audio, { inputformat: 'wav', outputformat: 'mp3', converteroptions: { audio_bitrate: 64, audio_frequency: 22050 } }, await out());
    const m = stream(await probe(mp3.files[0] ?? ''), 'audio');
    assert.equal(m?.sample_rate, '22050');
    assert.ok(Math.abs(Number(m?.bit_rate) - 64000) < 8000, `bit rate ${m?.bit_rate}`);
  });

  it('makes thumbnails spread over the duration as multiple outputs', async () => {
    const result = await convertFile(server, video, { inputformat: 'mp4', outputformat: 'png', converteroptions: { thumbnail_count: 3, thumbnail_size: '160x' } }, await out());
    assert.deepEqual((result.status.body['output'] as { files: string[] }).files, ['clip-1.png', 'clip-2.png', 'clip-3.png']);
    for (const file of result.files) assert.deepEqual([(await sharp(file).metadata()).width, (await sharp(file).metadata()).height], [160, 120]);
    const single = await convertFile(server, video, { inputformat: 'mp4', outputformat: 'jpg' }, await out());
    assert.equal((await sharp(single.files[0] ?? '').metadata()).format, 'jpeg');
  });

  it('reports mode=info: format, duration and per-stream facts, with optional thumbnails', async () => {
    const result = await convertFile(server, video, { inputformat: 'mp4', mode: 'info' }, await out());
    assert.equal(result.status.body['step'], 'finished');
    const info = result.status.body['info'] as { format: string; duration: number; bit_rate: number; size: number; streams: Array<Record<string, unknown>> };
    assert.match(info.format, /mp4/);
    assert.ok(Math.abs(info.duration - 2) < 0.1);
    assert.ok(info.size > 0 && info.bit_rate > 0);
    const v = info.streams.find((s) => s['type'] === 'video');
    const a = info.streams.find((s) => s['type'] === 'audio');
    assert.deepEqual([v?.['codec'], v?.['width'], v?.['height'], v?.['fps']], ['h264', 320, 240, 25]);
    assert.deepEqual([a?.['codec'], a?.['channels'], a?.['sample_rate']], ['aac', 2, 44100]);
    assert.deepEqual(result.status.body['output'], {});
    const withThumbs = await convertFile(server, video, { inputformat: 'mp4', mode: 'info', converteroptions: { thumbnail_count: 2, thumbnail_format: 'png' } }, await out());
    assert.deepEqual((withThumbs.status.body['output'] as { files: string[] }).files, ['clip-1.png', 'clip-2.png']);
  });

  it('shows percent rising while ffmpeg runs', async () => {
    const long = path.join(dir, 'long.mp4');
    await makeVideo(long, { seconds: 12, size: '640x360' });
    const { url, uploadUrl } = await startUpload(server, long, { inputformat: 'mp4', outputformat: 'webm', converteroptions: { video_codec: 'vp9' } });
    const { readFile } = await import('node:fs/promises');
    await fetch(uploadUrl, { method: 'PUT', body: await readFile(long) });
    const seen: number[] = [];
    for (;;) {
      const status = await json(url);
      if (status.body['step'] === 'convert') seen.push(Number(status.body['percent']));
      if (status.body['step'] === 'finished' || status.body['step'] === 'error') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const during = seen.filter((p) => p > 0 && p < 100);
    assert.ok(during.length >= 2, `percent values seen in convert: ${seen.join(', ')}`);
    assert.ok(during.every((p, i) => i === 0 || p >= (during[i - 1] ?? 0)), `not rising: ${during.join(', ')}`);
  });

  it('ends a corrupt file in error 422 with ffmpeg\'s reason in one line', async () => {
    const { writeFile } = await import('node:fs/promises');
    const bad = path.join(dir, 'broken.mp4');
    await writeFile(bad, Buffer.concat([Buffer.from([0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70]), Buffer.alloc(2000, 7)]));
    const result = await convertFile(server, bad, { inputformat: 'mp4', outputformat: 'webm' }, await out());
    assert.equal(result.status.status, 422);
    const message = String(result.status.body['message']);
    assert.match(message, /could not be read as audio or video: .+/);
    assert.ok(!message.includes('\n'));
  });

  it('refuses invalid option values with a 400 naming the option and its values', async () => {
    for (const [name, value, hint] of [['video_codec', 'h264 -f null', 'one of h264'], ['video_resolution', '1280x720;rm', 'WIDTHxHEIGHT'], ['audio_bitrate', '-1', 'from 8 to 1536'], ['trim_from', '-ss 1', 'seconds']] as const) {
      const created = await json(`${server.baseUrl}/convert`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer test-key-aaaaaaaa' }, body: JSON.stringify({ inputformat: 'mp4', outputformat: 'webm', input: 'upload', converteroptions: { [name]: value } }) });
      assert.equal(created.status, 400, name);
      assert.match(String(created.body['error']), new RegExp(`${name}.*${hint}`), name);
    }
  });

  it('refuses the raw command option unless the operator enabled it', async () => {
    const result = await json(`${server.baseUrl}/convert`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer test-key-aaaaaaaa' }, body: JSON.stringify({ inputformat: 'mp4', outputformat: 'webm', input: 'upload', converteroptions: { command: '-i {INPUTFILE} {OUTPUTFILE}' } }) });
    assert.equal(result.status, 400);
    assert.match(String(result.body['error']), /FFMPEG_ALLOW_COMMAND/);
  });
});
