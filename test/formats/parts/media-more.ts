// The format matrix's part for the second round of ffmpeg formats (issue 18): samples of 1 s made by
// ffmpeg at test time, and checks by content with ffprobe (the container's format name, its streams
// against the sample's, the codec the format fixes, the cue count of LRC), as in media-extra.ts.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FormatPart, OutputCheck, SampleMaker } from '../types.js';
import { assertStartsWith } from '../content.js';
import { ffmpegSample, mediaCheck } from './media-extra.js';

const run = promisify(execFile);

const PICTURE = ['-f', 'lavfi', '-i', 'testsrc=duration=1:size=160x120:rate=25'];
const TONE = ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1:sample_rate=44100', '-ac', '2'];

const audio = (name: string, args: readonly string[]): SampleMaker => ffmpegSample(name, TONE, args);
const video = (name: string, args: readonly string[]): SampleMaker => ffmpegSample(name, [...PICTURE, ...TONE], [...args, '-shortest']);
const silent = (name: string, args: readonly string[]): SampleMaker => ffmpegSample(name, PICTURE, args);

/** Three cues, written as SubRip and turned into LRC by ffmpeg. */
const SRT = '1\n00:00:00,000 --> 00:00:01,000\nHello\n\n2\n00:00:01,200 --> 00:00:02,000\nWorld\n\n3\n00:00:02,500 --> 00:00:03,000\nThird line\n';

const lrcSample: SampleMaker = async (dir) => {
  const srt = path.join(dir, 'lyrics-source.srt');
  await writeFile(srt, SRT);
  return ffmpegSample('lyrics.lrc', ['-i', srt], ['-c:s', 'text', '-f', 'lrc'])(dir);
};

/** The file starts with these bytes (the signature the catalog declares). */
const starts = (bytes: string | Buffer) => async (file: string): Promise<void> => {
  await assertStartsWith(file, bytes);
};

/** LRC: text whose cue lines ffprobe reads back, as many as the sample had. */
const lrcCheck: OutputCheck = async (files, pair) => {
  assert.equal(files.length, 1, 'one output file');
  const file = files[0] ?? '';
  const text = (await readFile(file)).toString('utf8');
  assert.ok(!text.includes('\0'), 'LRC is text');
  assert.match(text, /^\[\d{2}:\d{2}\.\d{2}\]\S/m, 'a timed lyrics line');
  const cues = async (f: string): Promise<number> => {
    const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', 's:0', '-show_packets', '-print_format', 'json', f]);
    return ((JSON.parse(stdout) as { packets?: unknown[] }).packets ?? []).length;
  };
  const { stdout } = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', file]);
  assert.equal((JSON.parse(stdout) as { format: { format_name: string } }).format.format_name, 'lrc');
  const [got, expected] = await Promise.all([cues(file), cues(pair.sample)]);
  assert.ok(got > 0 && got === expected, `cue count ${got}, expected ${expected}`);
};

/**
 * MPEG video elementary streams: ffprobe's duration is a guess from the header's bit rate, so the
 * length is proved by the frames counted (at the stream's rate) against the sample's duration.
 */
const elementaryCheck = (codec: string): OutputCheck => async (files, pair) => {
  assert.equal(files.length, 1, 'one output file');
  const file = files[0] ?? '';
  await assertStartsWith(file, Buffer.from('000001b3', 'hex'));
  const { stdout } = await run('ffprobe', ['-v', 'error', '-count_packets', '-print_format', 'json', '-show_format', '-show_streams', file]);
  const out = JSON.parse(stdout) as { format: { format_name: string }; streams: { codec_type: string; codec_name: string; width?: number; nb_read_packets?: string; r_frame_rate?: string }[] };
  assert.equal(out.format.format_name, 'mpegvideo');
  assert.deepEqual(out.streams.map((s) => [s.codec_type, s.codec_name]), [['video', codec]]);
  const [num = 0, den = 1] = (out.streams[0]?.r_frame_rate ?? '0/1').split('/').map(Number);
  const seconds = Number(out.streams[0]?.nb_read_packets ?? 0) / (num / den);
  const source = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', pair.sample]);
  const expected = Number(source.stdout.trim());
  assert.ok(seconds > 0 && (!Number.isFinite(expected) || Math.abs(seconds - expected) < 0.6), `${seconds} s of frames from ${expected} s`);
  assert.ok((out.streams[0]?.width ?? 0) > 0, 'a picture size');
};

const AUDIO = { video: false, audio: true } as const;
const VIDEO = { video: true, audio: true } as const;
const SILENT = { video: true, audio: false } as const;

export const MEDIA_MORE_PART: FormatPart = {
  name: 'media-more (more ffmpeg containers and LRC)',
  tools: ['ffmpeg', 'ffprobe'],
  samples: {
    w64: audio('tone.w64', ['-c:a', 'pcm_s16le', '-f', 'w64']),
    voc: audio('tone.voc', ['-c:a', 'pcm_u8', '-f', 'voc']),
    sf: audio('tone.sf', ['-c:a', 'pcm_s16le', '-f', 'ircam']),
    mmf: audio('tone.mmf', ['-c:a', 'adpcm_yamaha', '-ac', '1', '-ar', '8000', '-f', 'mmf']),
    ra: audio('tone.ra', ['-c:a', 'ac3', '-f', 'rm']),
    nut: video('clip.nut', ['-c:v', 'ffv1', '-c:a', 'pcm_s16le', '-f', 'nut']),
    swf: video('clip.swf', ['-c:v', 'flv', '-c:a', 'libmp3lame', '-f', 'swf']),
    ivf: silent('clip.ivf', ['-c:v', 'libvpx', '-f', 'ivf']),
    '3g2': video('clip.3g2', ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-f', '3g2']),
    m2v: silent('clip.m2v', ['-c:v', 'mpeg2video', '-f', 'mpeg2video']),
    m1v: silent('clip.m1v', ['-c:v', 'mpeg1video', '-f', 'mpeg1video']),
    lrc: lrcSample,
  },
  checks: {
    w64: mediaCheck({ format: 'w64', ...AUDIO, extra: starts(Buffer.from('726966662e91cf11a5d628db04c10000', 'hex')) }),
    voc: mediaCheck({ format: 'voc', ...AUDIO, extra: starts('Creative Voice File\x1a') }),
    sf: mediaCheck({ format: 'ircam', ...AUDIO }),
    mmf: mediaCheck({ format: 'mmf', ...AUDIO, codec: 'adpcm_yamaha', extra: starts('MMMD') }),
    ra: mediaCheck({ format: 'rm', ...AUDIO, codec: 'ac3', extra: starts('.RMF') }),
    nut: mediaCheck({ format: 'nut', ...VIDEO, extra: starts('nut/multimedia container\0') }),
    swf: mediaCheck({ format: 'swf', ...VIDEO, codec: 'flv1', extra: starts('FWS') }),
    ivf: mediaCheck({ format: 'ivf', ...SILENT, codec: 'vp8', extra: starts('DKIF') }),
    '3g2': mediaCheck({ format: '3g2', ...VIDEO, codec: 'h264', extra: (_file, probed) => assert.match(probed.format.tags?.['major_brand'] ?? '', /^3g2/, 'major brand') }),
    m2v: elementaryCheck('mpeg2video'),
    m1v: elementaryCheck('mpeg1video'),
    lrc: lrcCheck,
  },
};
