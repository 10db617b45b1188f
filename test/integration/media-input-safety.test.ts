// The audio/video engine reads each input only as its declared format's family: an HLS playlist
// named .mp4 that lists a local media file by absolute path is refused (conversion, thumbnails
// and mode=info), while genuine media, also misnamed within its family, still converts.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { INPUT_DEMUXERS } from '../../workers/converters/ffmpeg/demuxers.js';
import { convertFile } from '../helpers/convert.js';
import { makeVideo, probe, requireFfmpeg, stream } from '../helpers/media.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('ffmpeg engine: inputs read only as their declared format', () => {
  let server: TestServer;
  let dir: string;
  let playlist: string;
  const out = async (): Promise<string> => mkdtemp(path.join(dir, 'out-'));

  before(async () => {
    await requireFfmpeg();
    server = await startTestServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-media-safety-'));
    // A file of this machine that the playlist points at (another job's input, say).
    const secret = path.join(dir, 'private-recording.ts');
    await makeVideo(secret, { seconds: 1, size: '64x48', args: ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-f', 'mpegts'] });
    playlist = path.join(dir, 'clip.mp4');
    await writeFile(playlist, `#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:1.0,\n${secret}\n#EXT-X-ENDLIST\n`);
  });
  after(async () => {
    await server?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  const refused = (result: { status: { status: number; body: Record<string, unknown> }; files: string[] }): void => {
    assert.equal(result.status.status, 422, JSON.stringify(result.status.body));
    assert.equal(result.status.body['step'], 'error');
    // A playlist is text: the worker's signature check refuses it before ffmpeg runs. Behind it,
    // ffmpeg's reader list for mp4 would refuse hls too ("ffmpeg reads it as hls").
    assert.match(String(result.status.body['message']), /^The input file "clip\.mp4" is not a mp4 file|^The file is not a mp4 file: ffmpeg reads it as hls/);
    assert.deepEqual(result.files, []);
  };

  it('refuses an HLS playlist named .mp4 that lists a local file: conversion, thumbnails and mode=info', async () => {
    refused(await convertFile(server, playlist, { inputformat: 'mp4', outputformat: 'mp3' }, await out()));
    refused(await convertFile(server, playlist, { inputformat: 'mp4', outputformat: 'png' }, await out()));
    const info = await convertFile(server, playlist, { inputformat: 'mp4', mode: 'info' }, await out());
    refused(info);
    assert.doesNotMatch(JSON.stringify(info.status.body), /"duration"/);
  });

  it('still converts genuine media, also a file misnamed within its container family', async () => {
    const mov = path.join(dir, 'camera.mov');
    await makeVideo(mov, { seconds: 1, size: '160x120' });
    const misnamed = path.join(dir, 'camera.mp4');
    await copyFile(mov, misnamed);
    for (const [file, inputformat] of [[mov, 'mov'], [misnamed, 'mp4']] as const) {
      const result = await convertFile(server, file, { inputformat, outputformat: 'webm' }, await out());
      assert.equal(result.status.body['step'], 'finished', `${inputformat}: ${String(result.status.body['message'])}`);
      assert.equal(stream(await probe(result.files[0] ?? ''), 'video')?.width, 160);
    }
    const mkv = path.join(dir, 'clip.webm');
    await makeVideo(mkv, { seconds: 1, size: '160x120', args: ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-f', 'matroska'] });
    const fromMkv = await convertFile(server, mkv, { inputformat: 'webm', outputformat: 'mp4' }, await out());
    assert.equal(fromMkv.status.body['step'], 'finished', String(fromMkv.status.body['message']));
  });

  it('lists only demuxers this ffmpeg has, and none that opens further files', async () => {
    const { stdout } = await promisify(execFile)('ffmpeg', ['-hide_banner', '-demuxers']);
    const names = new Set([...stdout.matchAll(/^ D\S*\s+(\S+)/gm)].flatMap((m) => (m[1] ?? '').split(',')));
    for (const [format, demuxers] of Object.entries(INPUT_DEMUXERS)) {
      for (const demuxer of demuxers ?? []) {
        assert.ok(names.has(demuxer), `${format}: ffmpeg has no demuxer ${demuxer}`);
        assert.ok(!['hls', 'dash', 'concat', 'image2', 'image2pipe', 'subfile', 'ffmetadata', 'tee', 'sdp', 'rtsp', 'lavfi', 'webm_dash_manifest', 'data'].includes(demuxer), `${format}: ${demuxer}`);
      }
    }
  });
});
