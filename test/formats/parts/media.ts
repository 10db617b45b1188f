// The audio and video formats that existed before the format breadth issue: samples made by
// ffmpeg from its test sources (1 s, small), AMR written by hand (Debian's ffmpeg has no AMR
// encoder); outputs proven by ffprobe: the container it detects and the streams it finds.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeAudio, makeVideo, probe } from '../../helpers/media.js';
import { eachFile } from '../content.js';
import type { FormatPart, OutputCheck, SampleMaker } from '../types.js';

const video = (ext: string, args?: string[], size = '160x120'): SampleMaker => async (dir) => {
  const file = path.join(dir, `sample.${ext}`);
  await makeVideo(file, { seconds: 1, size, fps: 10, ...(args === undefined ? { args: [] } : { args }) });
  return file;
};

const audio = (ext: string): SampleMaker => async (dir) => {
  const file = path.join(dir, `sample.${ext}`);
  await makeAudio(file, 1);
  return file;
};

/**
 * AMR-NB storage format (RFC 4867 section 5): the "#!AMR\n" magic, then 50 frames of 20 ms in
 * mode 12.2 kbit/s (a header byte 0x3c and 31 bytes of speech bits: any bits decode).
 */
const amr: SampleMaker = async (dir) => {
  const frames = Array.from({ length: 50 }, () => Buffer.concat([Buffer.from([0x3c]), randomBytes(31)]));
  const file = path.join(dir, 'sample.amr');
  await writeFile(file, Buffer.concat([Buffer.from('#!AMR\n', 'latin1'), ...frames]));
  return file;
};

/** ffprobe reads the file as `container` (a name of its format_name list) with the stream types listed. */
const probes = (container: string, types: ReadonlyArray<'video' | 'audio'>): OutputCheck => (files) =>
  eachFile(files, async (file) => {
    const p = await probe(file);
    assert.ok(p.format.format_name.split(',').includes(container), `${path.basename(file)} is ${p.format.format_name}, not ${container}`);
    for (const type of types) assert.ok(p.streams.some((s) => s.codec_type === type), `${path.basename(file)} has no ${type} stream`);
  });

const MP4_FAMILY = 'mov';

export const MEDIA_PART: FormatPart = {
  name: 'media',
  tools: ['ffmpeg', 'ffprobe'],
  samples: {
    mp4: video('mp4', ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac']),
    webm: video('webm', ['-c:v', 'libvpx', '-deadline', 'realtime', '-c:a', 'libopus']),
    mkv: video('mkv', ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac']),
    mov: video('mov', ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac']),
    avi: video('avi'),
    flv: video('flv'),
    wmv: video('wmv'),
    ogv: video('ogv'),
    m4v: video('m4v', ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-f', 'ipod']),
    mpeg: video('mpeg', ['-r', '25']),
    // 3GP: H.263 takes only its standard sizes; AAC instead of the default AMR (no encoder here).
    '3gp': video('3gp', ['-c:v', 'h263', '-c:a', 'aac', '-ar', '16000', '-ac', '1'], '176x144'),
    ts: video('ts'),
    mp3: audio('mp3'),
    aac: audio('aac'),
    m4a: audio('m4a'),
    ogg: audio('ogg'),
    oga: audio('oga'),
    opus: audio('opus'),
    wav: audio('wav'),
    flac: audio('flac'),
    wma: audio('wma'),
    aiff: audio('aiff'),
    ac3: audio('ac3'),
    amr,
  },
  checks: {
    mp4: probes(MP4_FAMILY, ['video']),
    webm: probes('webm', ['video']),
    mkv: probes('matroska', ['video']),
    mov: probes(MP4_FAMILY, ['video']),
    avi: probes('avi', ['video']),
    flv: probes('flv', ['video']),
    wmv: probes('asf', ['video']),
    ogv: probes('ogg', ['video']),
    m4v: probes(MP4_FAMILY, ['video']),
    mpeg: probes('mpeg', ['video']),
    '3gp': probes(MP4_FAMILY, ['video']),
    ts: probes('mpegts', ['video']),
    mp3: probes('mp3', ['audio']),
    aac: probes('aac', ['audio']),
    m4a: probes(MP4_FAMILY, ['audio']),
    ogg: probes('ogg', ['audio']),
    oga: probes('ogg', ['audio']),
    opus: probes('ogg', ['audio']),
    wav: probes('wav', ['audio']),
    flac: probes('flac', ['audio']),
    wma: probes('asf', ['audio']),
    aiff: probes('aiff', ['audio']),
    ac3: probes('ac3', ['audio']),
  },
  optionSamples: {
    ffmpeg: { input: 'mp4', output: 'mkv', options: { video_codec: 'h264', video_crf: 30, video_resolution: '80x', audio_bitrate: 64, audio_channels: 1, trim_to: '0.5' } },
  },
};
