// The format matrix's part for the audio/video containers and subtitle formats added in issue 18
// (ffmpeg): samples of 1 s made by ffmpeg at test time, and checks by content with ffprobe (the
// container's format name and stream list, compared with the sample's; the cue count of subtitles).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FormatPart, OutputCheck, SampleMaker } from '../types.js';

const run = promisify(execFile);

const PICTURE = ['-f', 'lavfi', '-i', 'testsrc=duration=1:size=160x120:rate=25'];
const TONE = ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1:sample_rate=44100', '-ac', '2'];
const X264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];

/** A sample written by ffmpeg from its test sources (`sources`) with `args` for the output. */
export const ffmpegSample = (name: string, sources: readonly string[], args: readonly string[]): SampleMaker => async (dir) => {
  const file = path.join(dir, name);
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...sources, ...args, file]);
  return file;
};
const audio = (name: string, args: readonly string[]): SampleMaker => ffmpegSample(name, TONE, args);
const video = (name: string, args: readonly string[]): SampleMaker => ffmpegSample(name, [...PICTURE, ...TONE], [...args, '-shortest']);
const silent = (name: string, args: readonly string[]): SampleMaker => ffmpegSample(name, PICTURE, args);

/** Three cues; the SubRip sample is the source the other subtitle samples are made from by ffmpeg. */
const SRT = '1\n00:00:00,000 --> 00:00:01,000\nHello\n\n2\n00:00:01,200 --> 00:00:02,000\nWorld <i>two</i>\n\n3\n00:00:02,500 --> 00:00:03,000\nThird line\n';
/** MicroDVD (frames at 25 fps); ffmpeg has no MicroDVD writer, so the three cues are written here. */
const MICRODVD = '{1}{1}25\n{0}{25}Hello\n{30}{50}World {y:i}two\n{63}{75}Third line\n';

const srtSample: SampleMaker = async (dir) => {
  const file = path.join(dir, 'cues.srt');
  await writeFile(file, SRT);
  return file;
};
const fromSrt = (name: string, muxer: string): SampleMaker => async (dir) => ffmpegSample(name, ['-i', await srtSample(dir)], ['-f', muxer])(dir);

interface ProbedStream {
  readonly codec_type: string;
  readonly codec_name: string;
  readonly width?: number;
}
interface Probed {
  readonly format: { readonly format_name: string; readonly duration?: string; readonly tags?: Record<string, string> };
  readonly streams: readonly ProbedStream[];
}

async function probe(file: string): Promise<Probed> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]);
  return JSON.parse(stdout) as Probed;
}

/** The subtitle cues (packets of the first subtitle stream) ffprobe reads in a file. */
async function cueCount(file: string): Promise<number> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', 's:0', '-show_packets', '-print_format', 'json', file]);
  return ((JSON.parse(stdout) as { packets?: unknown[] }).packets ?? []).length;
}

const has = (p: Probed, type: string): boolean => p.streams.some((s) => s.codec_type === type);

interface Expected {
  /** ffprobe's format_name (a demuxer's comma-separated names contain it). */
  readonly format: string;
  readonly video: boolean;
  /** Whether the format can carry sound: then the output has sound exactly when the sample did. */
  readonly audio: boolean;
  /** The codec the format holds, where it fixes one. */
  readonly codec?: string;
  /** Further proof from the bytes or tags. */
  readonly extra?: (file: string, probed: Probed) => Promise<void> | void;
}

/** BDAV packets: 192 bytes, the MPEG-TS sync byte 0x47 after each 4-byte time code. */
async function bdavPackets(file: string): Promise<void> {
  const bytes = await readFile(file);
  assert.ok(bytes.length >= 384 && bytes[4] === 0x47 && bytes[196] === 0x47, 'not 192-byte BDAV packets');
}

const brand = (expected: string) => (_file: string, probed: Probed): void => assert.equal(probed.format.tags?.['major_brand']?.trim(), expected, 'major brand');

export const mediaCheck = (e: Expected): OutputCheck => async (files, pair) => {
  assert.equal(files.length, 1, 'one output file');
  const file = files[0] ?? '';
  const [out, source] = await Promise.all([probe(file), probe(pair.sample)]);
  assert.ok(out.format.format_name.split(',').includes(e.format), `format ${out.format.format_name}, expected ${e.format}`);
  assert.equal(has(out, 'video'), e.video, `video stream: ${JSON.stringify(out.streams)}`);
  assert.equal(has(out, 'audio'), e.audio && has(source, 'audio'), `audio stream: ${JSON.stringify(out.streams)}`);
  if (e.codec !== undefined) assert.ok(out.streams.some((s) => s.codec_name === e.codec), `codec ${e.codec}: ${JSON.stringify(out.streams)}`);
  const [a, b] = [Number(out.format.duration), Number(source.format.duration)];
  if (Number.isFinite(a) && Number.isFinite(b) && b > 0) assert.ok(Math.abs(a - b) < 0.6, `duration ${a} s from ${b} s`);
  await e.extra?.(file, out);
};

const AUDIO = { video: false, audio: true } as const;
const VIDEO = { video: true, audio: true } as const;

const subtitleCheck = (format: string): OutputCheck => async (files, pair) => {
  const file = files[0] ?? '';
  const out = await probe(file);
  assert.ok(out.format.format_name.split(',').includes(format), `format ${out.format.format_name}, expected ${format}`);
  assert.deepEqual(out.streams.map((s) => s.codec_type), ['subtitle']);
  assert.equal(await cueCount(file), await cueCount(pair.sample), 'cue count');
};

export const MEDIA_EXTRA_PART: FormatPart = {
  name: 'media-extra (ffmpeg containers and subtitles)',
  tools: ['ffmpeg', 'ffprobe'],
  samples: {
    m4b: audio('book.m4b', ['-c:a', 'aac', '-f', 'ipod', '-brand', 'M4B ']),
    caf: audio('tone.caf', ['-c:a', 'alac', '-f', 'caf']),
    mka: audio('tone.mka', ['-c:a', 'aac', '-f', 'matroska']),
    mp2: audio('tone.mp2', ['-c:a', 'mp2', '-f', 'mp2']),
    dts: audio('tone.dts', ['-c:a', 'dca', '-strict', 'experimental', '-f', 'dts']),
    spx: audio('tone.spx', ['-c:a', 'libspeex', '-f', 'spx']),
    au: audio('tone.au', ['-c:a', 'pcm_s16be', '-f', 'au']),
    wv: audio('tone.wv', ['-c:a', 'wavpack', '-f', 'wv']),
    tta: audio('tone.tta', ['-c:a', 'tta', '-f', 'tta']),
    vob: video('clip.vob', ['-c:v', 'mpeg2video', '-c:a', 'ac3', '-ar', '48000', '-f', 'vob']),
    mts: video('clip.mts', [...X264, '-c:a', 'ac3', '-f', 'mpegts', '-mpegts_m2ts_mode', '1']),
    m2ts: video('clip.m2ts', [...X264, '-c:a', 'ac3', '-f', 'mpegts', '-mpegts_m2ts_mode', '1']),
    f4v: video('clip.f4v', [...X264, '-c:a', 'aac', '-f', 'f4v']),
    asf: video('clip.asf', ['-c:v', 'wmv2', '-c:a', 'wmav2', '-f', 'asf']),
    mxf: video('clip.mxf', ['-c:v', 'mpeg2video', '-c:a', 'pcm_s16le', '-ar', '48000', '-f', 'mxf']),
    dv: video('clip.dv', ['-vf', 'scale=720:576', '-pix_fmt', 'yuv420p', '-c:v', 'dvvideo', '-c:a', 'pcm_s16le', '-ar', '48000', '-f', 'dv']),
    y4m: silent('clip.y4m', ['-pix_fmt', 'yuv420p', '-f', 'yuv4mpegpipe']),
    h264: silent('clip.h264', [...X264, '-f', 'h264']),
    hevc: silent('clip.hevc', ['-c:v', 'libx265', '-x265-params', 'log-level=error', '-pix_fmt', 'yuv420p', '-f', 'hevc']),
    // ffmpeg's RealMedia muxer takes RealVideo 2 with AC-3; rmvb is the same container.
    rm: video('clip.rm', ['-c:v', 'rv20', '-c:a', 'ac3', '-f', 'rm']),
    rmvb: video('clip.rmvb', ['-c:v', 'rv20', '-c:a', 'ac3', '-f', 'rm']),
    srt: srtSample,
    vtt: fromSrt('cues.vtt', 'webvtt'),
    ass: fromSrt('cues.ass', 'ass'),
    sub: async (dir) => {
      const file = path.join(dir, 'cues.sub');
      await writeFile(file, MICRODVD);
      return file;
    },
  },
  checks: {
    m4b: mediaCheck({ format: 'mp4', ...AUDIO, codec: 'aac', extra: brand('M4B') }),
    caf: mediaCheck({ format: 'caf', ...AUDIO, codec: 'alac' }),
    mka: mediaCheck({ format: 'matroska', ...AUDIO }),
    mp2: mediaCheck({ format: 'mp3', ...AUDIO, codec: 'mp2' }),
    dts: mediaCheck({ format: 'dts', ...AUDIO, codec: 'dts' }),
    spx: mediaCheck({ format: 'ogg', ...AUDIO, codec: 'speex' }),
    au: mediaCheck({ format: 'au', ...AUDIO }),
    wv: mediaCheck({ format: 'wv', ...AUDIO, codec: 'wavpack' }),
    vob: mediaCheck({ format: 'mpeg', ...VIDEO, codec: 'mpeg2video' }),
    mts: mediaCheck({ format: 'mpegts', ...VIDEO, extra: bdavPackets }),
    m2ts: mediaCheck({ format: 'mpegts', ...VIDEO, extra: bdavPackets }),
    f4v: mediaCheck({ format: 'mp4', ...VIDEO, extra: brand('f4v') }),
    asf: mediaCheck({ format: 'asf', ...VIDEO }),
    mxf: mediaCheck({ format: 'mxf', ...VIDEO }),
    dv: mediaCheck({ format: 'dv', ...VIDEO, codec: 'dvvideo' }),
    y4m: mediaCheck({ format: 'yuv4mpegpipe', video: true, audio: false }),
    srt: subtitleCheck('srt'),
    vtt: subtitleCheck('webvtt'),
    ass: subtitleCheck('ass'),
  },
};
