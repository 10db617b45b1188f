// The formats issue 18 added to the ffmpeg engine: which pairs the catalog lists (no sound out of
// a silent input), the containers' fixed settings, thumbnails of formats without a keyframe index,
// and the length of raw video streams.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findConversionType, listConversionTypes } from '../../src/core/catalog/index.js';
import { AUDIO_OUTPUTS } from '../../src/core/catalog/engines/media.js';
import { AppError } from '../../src/core/errors.js';
import { buildConvertArgs, buildProbeArgs, buildThumbnailArgs, thumbnailSeek, type MediaOptions } from '../../workers/converters/ffmpeg/command.js';
import { mediaFacts } from '../../workers/converters/ffmpeg/probe.js';
import { MEDIA_OPTIONS } from '../../src/core/catalog/engines/media.js';
import type { Format } from '../../src/core/catalog/index.js';

const OUT = '/w/out.file';
const options = (overrides: Partial<MediaOptions> = {}): MediaOptions => ({ ...Object.fromEntries(Object.keys(MEDIA_OPTIONS).map((k) => [k, null])), ...overrides }) as MediaOptions;
const convert = (input: Format, output: Format, overrides: Partial<MediaOptions> = {}): string[] => buildConvertArgs({ path: `/w/in.${input}`, format: input }, OUT, output, options(overrides));
const valueOf = (args: readonly string[], flag: string): string | undefined => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
/** The arguments between the input's -i and the muxer's -f. */
const streamArgs = (args: readonly string[]): readonly string[] => args.slice(args.indexOf('-i') + 2, args.lastIndexOf('-f'));

describe('ffmpeg catalog: only pairs that can succeed', () => {
  it('offers no audio output of a GIF, a YUV4MPEG file or a raw video stream (they never carry sound)', () => {
    for (const input of ['gif', 'y4m', 'h264', 'hevc'] as const) {
      for (const output of AUDIO_OUTPUTS) assert.equal(findConversionType(input, output), undefined, `${input} → ${output}`);
    }
    assert.equal(findConversionType('gif', 'mp4')?.engine, 'ffmpeg');
    assert.equal(findConversionType('mp4', 'mp3')?.engine, 'ffmpeg');
    assert.equal(findConversionType('rm', 'mp3')?.engine, 'ffmpeg');
  });

  it('reads but does not write AMR, TTA, raw streams, RealMedia and MicroDVD', () => {
    for (const format of ['amr', 'tta', 'h264', 'hevc', 'rm', 'rmvb', 'sub'] as const) {
      assert.ok(listConversionTypes({ inputformat: format }).length > 0, `${format} in`);
      assert.deepEqual(listConversionTypes({ outputformat: format }), [], `${format} out`);
    }
  });

  it('converts subtitles among each other, and never to or from audio or video', () => {
    assert.deepEqual(listConversionTypes({ inputformat: 'srt' }).map((t) => t.outputformat).sort(), ['ass', 'lrc', 'vtt']);
    assert.equal(findConversionType('srt', 'mp4'), undefined);
    assert.equal(findConversionType('mp4', 'srt'), undefined);
    assert.equal(findConversionType('ssa' as Format, 'srt'), undefined, 'ssa is an alias, resolved before the catalog');
  });
});

describe('buildConvertArgs: the second round of formats', () => {
  it('writes NUT with its default codecs, and LRC as plain text', () => {
    assert.deepEqual([valueOf(convert('mp4', 'nut'), '-c:v'), valueOf(convert('mp4', 'nut'), '-c:a'), valueOf(convert('mp4', 'nut'), '-f')], ['mpeg4', 'libvorbis', 'nut']);
    assert.deepEqual([valueOf(convert('srt', 'lrc'), '-c:s'), valueOf(convert('srt', 'lrc'), '-f')], ['text', 'lrc']);
  });
});

describe('buildConvertArgs: the added containers', () => {
  it('m4b: AAC in the iPod muxer with the M4B brand; caf: ALAC; mka: Matroska without video', () => {
    const m4b = convert('wav', 'm4b');
    assert.deepEqual([valueOf(m4b, '-c:a'), valueOf(m4b, '-brand'), valueOf(m4b, '-f')], ['aac', 'M4B ', 'ipod']);
    assert.deepEqual([valueOf(convert('wav', 'caf'), '-c:a'), valueOf(convert('wav', 'caf'), '-f')], ['alac', 'caf']);
    const mka = convert('mp4', 'mka');
    assert.ok(mka.includes('-vn'));
    assert.equal(valueOf(mka, '-f'), 'matroska');
  });

  it('dts uses the experimental DCA encoder explicitly; spx libspeex; wv wavpack; au big-endian PCM; mp2', () => {
    const dts = convert('wav', 'dts');
    assert.deepEqual(streamArgs(dts).slice(-4), ['-c:a', 'dca', '-strict', 'experimental']);
    assert.equal(valueOf(convert('wav', 'spx'), '-c:a'), 'libspeex');
    assert.equal(valueOf(convert('wav', 'wv'), '-c:a'), 'wavpack');
    assert.equal(valueOf(convert('wav', 'au'), '-c:a'), 'pcm_s16be');
    assert.equal(valueOf(convert('wav', 'au', { audio_codec: 'pcm' }), '-c:a'), 'pcm_s16be');
    assert.deepEqual([valueOf(convert('wav', 'mp2'), '-c:a'), valueOf(convert('wav', 'mp2'), '-f')], ['mp2', 'mp2']);
  });

  it('mts and m2ts: H.264 and AC-3 in 192-byte BDAV packets; vob: MPEG-2 and AC-3 at 48 kHz', () => {
    for (const format of ['mts', 'm2ts'] as const) {
      const args = convert('mp4', format);
      assert.deepEqual([valueOf(args, '-c:v'), valueOf(args, '-c:a'), valueOf(args, '-mpegts_m2ts_mode'), valueOf(args, '-f')], ['libx264', 'ac3', '1', 'mpegts'], format);
    }
    const vob = convert('mp4', 'vob');
    assert.deepEqual([valueOf(vob, '-c:v'), valueOf(vob, '-c:a'), valueOf(vob, '-ar'), valueOf(vob, '-f')], ['mpeg2video', 'ac3', '48000', 'vob']);
    assert.equal(valueOf(convert('mp4', 'vob', { audio_frequency: 44100 }), '-ar'), '44100', 'the option wins');
  });

  it('mxf: MPEG-2 and PCM at 48 kHz and 25 fps unless set; y4m: raw 4:2:0 frames without sound', () => {
    const mxf = convert('mp4', 'mxf');
    assert.deepEqual([valueOf(mxf, '-c:v'), valueOf(mxf, '-c:a'), valueOf(mxf, '-ar'), valueOf(mxf, '-r')], ['mpeg2video', 'pcm_s16le', '48000', '25']);
    assert.equal(valueOf(convert('mp4', 'mxf', { video_fps: 30 }), '-r'), '30');
    const y4m = convert('mp4', 'y4m');
    assert.deepEqual([valueOf(y4m, '-c:v'), valueOf(y4m, '-pix_fmt'), valueOf(y4m, '-f')], ['wrapped_avframe', 'yuv420p', 'yuv4mpegpipe']);
    assert.ok(y4m.includes('-an'));
  });

  it('spx: the Speex channels get a named layout (the AAC encoder refuses "2 channels")', () => {
    assert.equal(valueOf(convert('spx', 'aac'), '-af'), 'aformat=channel_layouts=mono|stereo');
    assert.equal(valueOf(convert('mp3', 'aac'), '-af'), undefined);
  });

  it('dv: the picture fitted into PAL 720x576 at 25 fps, stereo 48 kHz PCM', () => {
    const dv = convert('mp4', 'dv');
    assert.equal(valueOf(dv, '-c:v'), 'dvvideo');
    assert.equal(valueOf(dv, '-vf'), 'scale=720:576:force_original_aspect_ratio=decrease,pad=720:576:-1:-1,setsar=1');
    assert.deepEqual([valueOf(dv, '-r'), valueOf(dv, '-pix_fmt'), valueOf(dv, '-ac'), valueOf(dv, '-ar')], ['25', 'yuv420p', '2', '48000']);
    // The sound starts with the picture (a webm's Opus starts before 0: the DV muxer refused it).
    assert.equal(valueOf(dv, '-af'), 'aresample=async=1:first_pts=0');
  });

  it('dv refuses the options that would break its fixed frame, naming them', () => {
    for (const [name, value] of [['video_resolution', '320x240'], ['video_fps', 30], ['video_codec', 'h264']] as const) {
      assert.throws(() => convert('mp4', 'dv', { [name]: value }), (e: unknown) => e instanceof AppError && e.code === 'INVALID_OPTION' && e.message.includes(`converteroptions[${name}]`), name);
    }
  });

  it('subtitles: the target\'s subtitle encoder, no picture, no sound, the target\'s muxer', () => {
    const expected = { srt: ['srt', 'srt'], vtt: ['webvtt', 'webvtt'], ass: ['ass', 'ass'] } as const;
    for (const [format, [encoder, muxer]] of Object.entries(expected)) {
      const args = convert('sub', format as Format);
      assert.deepEqual(streamArgs(args), ['-map_metadata', '0', '-vn', '-an', '-c:s', encoder], format);
      assert.equal(valueOf(args, '-f'), muxer);
      assert.equal(valueOf(args, '-format_whitelist'), 'microdvd');
    }
  });
});

describe('thumbnails of formats whose demuxer has no keyframe index', () => {
  it('MPEG-TS decodes up to the instant: no jump before -i within the pre-roll, an exact seek after it', () => {
    assert.deepEqual(thumbnailSeek('ts', 1.01), { input: 0, output: 1.01 });
    const args = buildThumbnailArgs({ path: '/w/in.ts', format: 'ts' }, OUT, 1.01, 'png', null);
    assert.ok(!args.slice(0, args.indexOf('-i')).includes('-ss'), 'no seek before -i');
    assert.equal(valueOf(args.slice(args.indexOf('-i')), '-ss'), '1.010');
  });

  it('jumps by timestamp to 30 s before the instant in long files, then decodes the rest', () => {
    assert.deepEqual(thumbnailSeek('mts', 100), { input: 70, output: 30 });
    const args = buildThumbnailArgs({ path: '/w/in.mts', format: 'mts' }, OUT, 100, 'jpg', null);
    assert.ok(args.indexOf('-ss') < args.indexOf('-i'));
    assert.equal(args[args.indexOf('-ss') + 1], '70.000');
    assert.equal(args[args.lastIndexOf('-ss') + 1], '30.000');
  });

  it('indexed containers keep the fast seek before -i; the retry decodes from the start', () => {
    assert.deepEqual(thumbnailSeek('mp4', 3), { input: 3, output: 0 });
    assert.deepEqual(thumbnailSeek('mp4', 3, true), { input: 0, output: 3 });
    const retry = buildThumbnailArgs({ path: '/w/in.mp4', format: 'mp4' }, OUT, 3, 'png', null, true);
    assert.ok(retry.indexOf('-ss') > retry.indexOf('-i'));
  });
});

describe('raw video streams have no duration: their frames are counted', () => {
  it('asks ffprobe to count packets of h264 and hevc only', () => {
    assert.ok(buildProbeArgs({ path: '/w/in.h264', format: 'h264' }).includes('-count_packets'));
    assert.ok(!buildProbeArgs({ path: '/w/in.mp4', format: 'mp4' }).includes('-count_packets'));
  });
  it('derives the length from the counted frames and the frame rate, so the duration limit applies', () => {
    const facts = mediaFacts({ format: { duration: 'N/A' }, streams: [{ codec_type: 'video', width: 160, height: 120, r_frame_rate: '25/1', nb_read_packets: '50' }] });
    assert.equal(facts.duration, 2);
    assert.equal(mediaFacts({ format: { duration: '3.5' }, streams: [] }).duration, 3.5);
    // The MPEG video reader guesses a duration from the header's bit rate: the count wins.
    assert.equal(mediaFacts({ format: { duration: '0.002' }, streams: [{ codec_type: 'video', r_frame_rate: '25/1', nb_read_packets: '25' }] }).duration, 1);
  });
});
