import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildConvertArgs,
  buildProbeArgs,
  buildRawCommandArgs,
  buildThumbnailArgs,
  CONTAINERS,
  expectedDuration,
  parseTime,
  scaleFilter,
  thumbnailTimes,
  type MediaOptions,
} from '../../workers/converters/ffmpeg/command.js';
import { AUDIO_OUTPUTS, MEDIA_OPTIONS, VIDEO_OUTPUTS } from '../../src/core/catalog/engines/media.js';
import { resolvePlan } from '../../src/core/catalog/resolve.js';
import type { Format } from '../../src/core/catalog/index.js';
import { AppError } from '../../src/core/errors.js';

const IN = '/work/job 1/in put.mp4';
const OUT = '/work/job 1/out.file';
const INPUT = { path: IN, format: 'mp4' } as const;
/** What every mp4 input gets before its -i: local files only, read by the QuickTime/MP4 demuxer only. */
const WHITELISTS = ['-protocol_whitelist', 'file', '-format_whitelist', 'mov'];

/** Every ffmpeg option null (as the catalog hands them over when not given), then the overrides. */
function options(overrides: Partial<MediaOptions> = {}): MediaOptions {
  const nulls = Object.fromEntries(Object.keys(MEDIA_OPTIONS).map((name) => [name, null]));
  return { ...nulls, ...overrides } as MediaOptions;
}

/** The typed options of a real request, as resolvePlan validates them. */
function planned(inputformat: string, outputformat: string, converteroptions: Record<string, unknown>): { format: Format; options: MediaOptions } {
  const plan = resolvePlan({ mode: 'convert', inputformat, outputformat, converteroptions });
  if (plan.mode !== 'convert' || plan.engine !== 'ffmpeg') throw new Error(`expected an ffmpeg conversion, got ${plan.mode}/${plan.engine}`);
  return { format: plan.outputFormat, options: plan.options };
}

const convert = (format: Format, overrides: Partial<MediaOptions> = {}): string[] => buildConvertArgs(INPUT, OUT, format, options(overrides));

/** The value following `flag`, or undefined when the flag is absent. */
function valueOf(args: readonly string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i === -1 ? undefined : args[i + 1];
}

const FLAGS_WITHOUT_VALUE = new Set(['-hide_banner', '-nostdin', '-y', '-nostats', '-vn', '-an']);
const FLAGS_WITH_VALUE = new Set([
  '-loglevel', '-progress', '-ss', '-to', '-i', '-map_metadata', '-c:v', '-c:a', '-vf', '-af', '-pix_fmt', '-crf', '-b:v', '-q:v', '-r',
  '-aspect', '-b:a', '-q:a', '-ac', '-ar', '-movflags', '-f', '-frames:v', '-update', '-protocol_whitelist', '-format_whitelist',
  '-c:s', '-strict', '-brand', '-mpegts_m2ts_mode',
]);

/**
 * Reads argv the way ffmpeg does: known flags, each with its value, then the output file last.
 * Throws when an entry sits where a flag is expected, so an option value that smuggled in an
 * extra argv entry (or a flag this test does not know) fails loudly.
 */
function parseArgv(args: readonly string[]): { pairs: Array<readonly [string, string | null]>; output: string } {
  const pairs: Array<readonly [string, string | null]> = [];
  let i = 0;
  while (i < args.length - 1) {
    const flag = args[i] ?? '';
    if (FLAGS_WITHOUT_VALUE.has(flag)) {
      pairs.push([flag, null]);
      i += 1;
    } else if (FLAGS_WITH_VALUE.has(flag) && i + 1 < args.length - 1) {
      pairs.push([flag, args[i + 1] ?? '']);
      i += 2;
    } else {
      throw new Error(`unexpected argv entry ${JSON.stringify(flag)} at ${i} in ${JSON.stringify(args)}`);
    }
  }
  const output = args[args.length - 1];
  if (output === undefined || i !== args.length - 1) throw new Error(`no output file in ${JSON.stringify(args)}`);
  return { pairs, output };
}

function assertPathsOnce(args: readonly string[]): void {
  assert.equal(args.filter((a) => a === `file:${IN}`).length, 1, 'input path exactly once');
  assert.equal(args.filter((a) => a === `file:${OUT}`).length, 1, 'output path exactly once');
  assert.equal(args.filter((a) => a.includes(IN) || a.includes(OUT)).length, 2, 'paths appear nowhere else');
  assert.equal(valueOf(args, '-i'), `file:${IN}`);
  assert.equal(args.at(-1), `file:${OUT}`);
}

describe('buildConvertArgs: default codecs per container', () => {
  it('mp4: libx264 + yuv420p + aac, muxer mp4', () => {
    const args = convert('mp4');
    assert.equal(valueOf(args, '-c:v'), 'libx264');
    assert.equal(valueOf(args, '-pix_fmt'), 'yuv420p');
    assert.equal(valueOf(args, '-c:a'), 'aac');
    assert.equal(valueOf(args, '-f'), 'mp4');
    assert.ok(!args.includes('-vn') && !args.includes('-an'));
  });

  it('webm: libvpx-vp9 + libopus, muxer webm', () => {
    const args = convert('webm');
    assert.equal(valueOf(args, '-c:v'), 'libvpx-vp9');
    assert.equal(valueOf(args, '-c:a'), 'libopus');
    assert.equal(valueOf(args, '-f'), 'webm');
    assert.ok(!args.includes('-pix_fmt'), 'pix_fmt is forced only for h264/h265');
  });

  it('avi: mpeg4 + libmp3lame', () => {
    const args = convert('avi');
    assert.equal(valueOf(args, '-c:v'), 'mpeg4');
    assert.equal(valueOf(args, '-c:a'), 'libmp3lame');
    assert.equal(valueOf(args, '-f'), 'avi');
  });

  it('wmv: wmv2 + wmav2 in the asf muxer', () => {
    const args = convert('wmv');
    assert.equal(valueOf(args, '-c:v'), 'wmv2');
    assert.equal(valueOf(args, '-c:a'), 'wmav2');
    assert.equal(valueOf(args, '-f'), 'asf');
  });

  it('mkv, mov, m4v, ogv and mpeg use their muxers and encoders', () => {
    assert.equal(valueOf(convert('mkv'), '-f'), 'matroska');
    assert.equal(valueOf(convert('m4v'), '-f'), 'ipod');
    assert.equal(valueOf(convert('mov'), '-c:v'), 'libx264');
    const ogv = convert('ogv');
    assert.deepEqual([valueOf(ogv, '-c:v'), valueOf(ogv, '-c:a'), valueOf(ogv, '-f')], ['libtheora', 'libvorbis', 'ogg']);
    const mpeg = convert('mpeg');
    assert.deepEqual([valueOf(mpeg, '-c:v'), valueOf(mpeg, '-c:a'), valueOf(mpeg, '-f')], ['mpeg2video', 'mp2', 'mpeg']);
  });

  it('every audio-only output has no video stream: -vn and no -c:v', () => {
    for (const format of AUDIO_OUTPUTS) {
      const args = convert(format);
      assert.ok(args.includes('-vn'), `${format}: -vn`);
      assert.ok(!args.includes('-c:v'), `${format}: no -c:v`);
      assert.ok(!args.includes('-vf'), `${format}: no video filter`);
      assert.ok(args.includes('-c:a'), `${format}: an audio codec`);
    }
  });

  it('mp3: libmp3lame in the mp3 muxer', () => {
    const args = convert('mp3');
    assert.equal(valueOf(args, '-c:a'), 'libmp3lame');
    assert.equal(valueOf(args, '-f'), 'mp3');
  });

  it('aiff: big-endian PCM; wav: little-endian PCM', () => {
    assert.equal(valueOf(convert('aiff'), '-c:a'), 'pcm_s16be');
    assert.equal(valueOf(convert('aiff'), '-f'), 'aiff');
    assert.equal(valueOf(convert('wav'), '-c:a'), 'pcm_s16le');
    assert.equal(valueOf(convert('wav'), '-f'), 'wav');
    assert.equal(valueOf(convert('aiff', { audio_codec: 'pcm' }), '-c:a'), 'pcm_s16be', 'explicit pcm in aiff is big-endian too');
  });

  it('wma, m4a, aac, flac, opus, ogg, oga, ac3 audio encoders and muxers', () => {
    const expected: Array<readonly [Format, string, string]> = [
      ['wma', 'wmav2', 'asf'], ['m4a', 'aac', 'ipod'], ['aac', 'aac', 'adts'], ['flac', 'flac', 'flac'],
      ['opus', 'libopus', 'opus'], ['ogg', 'libvorbis', 'ogg'], ['oga', 'libvorbis', 'oga'], ['ac3', 'ac3', 'ac3'],
    ];
    for (const [format, encoder, muxer] of expected) {
      const args = convert(format);
      assert.deepEqual([valueOf(args, '-c:a'), valueOf(args, '-f')], [encoder, muxer], format);
    }
  });

  it('gif: the gif encoder with a palette filter and no audio', () => {
    const args = convert('gif');
    assert.equal(valueOf(args, '-c:v'), 'gif');
    assert.equal(valueOf(args, '-vf'), 'split[a][b];[a]palettegen[p];[b][p]paletteuse');
    assert.ok(args.includes('-an'));
    assert.ok(!args.includes('-c:a'));
    assert.equal(valueOf(args, '-f'), 'gif');
  });

  it('gif: scaling comes before the palette in one filter chain', () => {
    const args = convert('gif', { video_resolution: '320x' });
    assert.equal(args.filter((a) => a === '-vf').length, 1);
    assert.equal(valueOf(args, '-vf'), 'scale=320:-2,split[a][b];[a]palettegen[p];[b][p]paletteuse');
  });

  it('has a container for every output the catalog offers and refuses other formats', () => {
    for (const format of [...VIDEO_OUTPUTS, ...AUDIO_OUTPUTS]) assert.ok(Object.hasOwn(CONTAINERS, format), `container for ${format}`);
    assert.throws(() => convert('png'), /No container for png/);
  });

  it('copies the metadata and keeps a fixed order: common flags, input, streams, muxer, output', () => {
    const args = convert('mp4');
    assert.deepEqual(args.slice(0, 8), ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-progress', 'pipe:1', '-nostats']);
    assert.equal(valueOf(args, '-map_metadata'), '0');
    assert.ok(args.indexOf('-i') < args.indexOf('-c:v'));
    assert.ok(args.indexOf('-c:v') < args.indexOf('-f'));
    assert.deepEqual(args.slice(args.indexOf('-i') - 4, args.indexOf('-i')), WHITELISTS, 'the input\'s whitelists come right before its -i');
    assert.equal(args.length, 25);
  });
});

describe('buildConvertArgs: each option maps to its flag', () => {
  it('video_resolution becomes a scale filter; a missing side keeps the ratio with an even size', () => {
    assert.equal(valueOf(convert('mp4', { video_resolution: '1280x720' }), '-vf'), 'scale=1280:720');
    assert.equal(valueOf(convert('mp4', { video_resolution: '1280x' }), '-vf'), 'scale=1280:-2');
    assert.equal(valueOf(convert('mp4', { video_resolution: 'x720' }), '-vf'), 'scale=-2:720');
  });

  it('video_crf → -crf, without a -b:v for x264', () => {
    const args = convert('mp4', { video_crf: 23 });
    assert.equal(valueOf(args, '-crf'), '23');
    assert.ok(!args.includes('-b:v'));
  });

  it('vp9 (and vp8) crf without a bitrate adds -b:v 0 for constant quality', () => {
    const vp9 = convert('webm', { video_crf: 31 });
    assert.equal(valueOf(vp9, '-crf'), '31');
    assert.equal(valueOf(vp9, '-b:v'), '0');
    const vp8 = convert('webm', { video_codec: 'vp8', video_crf: 10 });
    assert.equal(valueOf(vp8, '-c:v'), 'libvpx');
    assert.equal(valueOf(vp8, '-b:v'), '0');
  });

  it('vp9 crf with a bitrate keeps the bitrate (constrained quality), once', () => {
    const args = convert('webm', { video_crf: 31, video_bitrate: 2000 });
    assert.equal(args.filter((a) => a === '-b:v').length, 1);
    assert.equal(valueOf(args, '-b:v'), '2000k');
  });

  it('video_bitrate → -b:v Nk; video_qscale → -q:v; video_fps → -r; video_ratio → -aspect', () => {
    const args = convert('avi', { video_bitrate: 1500, video_qscale: 4, video_fps: 29.97, video_ratio: '16:9' });
    assert.equal(valueOf(args, '-b:v'), '1500k');
    assert.equal(valueOf(args, '-q:v'), '4');
    assert.equal(valueOf(args, '-r'), '29.97');
    assert.equal(valueOf(args, '-aspect'), '16:9');
  });

  it('chosen video codecs map to their encoders', () => {
    const encoders: Array<readonly [NonNullable<MediaOptions['video_codec']>, string]> = [
      ['h265', 'libx265'], ['av1', 'libsvtav1'], ['mpeg2', 'mpeg2video'], ['mpeg1', 'mpeg1video'], ['flv1', 'flv'], ['theora', 'libtheora'],
    ];
    for (const [codec, encoder] of encoders) assert.equal(valueOf(convert('mkv', { video_codec: codec }), '-c:v'), encoder, codec);
    assert.equal(valueOf(convert('mkv', { video_codec: 'h265' }), '-pix_fmt'), 'yuv420p');
  });

  it('audio bitrate, channels, frequency and qscale', () => {
    const args = convert('mp3', { audio_bitrate: 192, audio_channels: 2, audio_frequency: 44100, audio_qscale: 2 });
    assert.equal(valueOf(args, '-b:a'), '192k');
    assert.equal(valueOf(args, '-ac'), '2');
    assert.equal(valueOf(args, '-ar'), '44100');
    assert.equal(valueOf(args, '-q:a'), '2');
  });

  it('audio_normalize becomes a volume filter in dB', () => {
    assert.equal(valueOf(convert('mp3', { audio_normalize: '+20db' }), '-af'), 'volume=20dB');
    assert.equal(valueOf(convert('mp3', { audio_normalize: '-3.5DB' }), '-af'), 'volume=-3.5dB');
    assert.equal(valueOf(convert('mp3', { audio_normalize: '6dB' }), '-af'), 'volume=6dB');
  });

  it('trim_from / trim_to become -ss / -to before -i', () => {
    const args = convert('mp4', { trim_from: '12.5', trim_to: '1:02:03.250' });
    assert.equal(valueOf(args, '-ss'), '12.5');
    assert.equal(valueOf(args, '-to'), '1:02:03.250');
    assert.ok(args.indexOf('-ss') < args.indexOf('-i'));
    assert.ok(args.indexOf('-to') < args.indexOf('-i'));
    const onlyEnd = convert('mp4', { trim_to: '30' });
    assert.ok(!onlyEnd.includes('-ss'));
    assert.ok(onlyEnd.indexOf('-to') < onlyEnd.indexOf('-i'));
    assert.ok(!convert('mp4').includes('-ss') && !convert('mp4').includes('-to'));
  });

  it('faststart only for the MP4 family', () => {
    for (const format of ['mp4', 'mov', 'm4v', '3gp', 'm4a'] as const) {
      assert.equal(valueOf(convert(format, { faststart: true }), '-movflags'), '+faststart', format);
    }
    for (const format of ['webm', 'mkv', 'avi', 'mp3'] as const) assert.ok(!convert(format, { faststart: true }).includes('-movflags'), format);
    assert.ok(!convert('mp4', { faststart: false }).includes('-movflags'));
    assert.ok(!convert('mp4').includes('-movflags'));
  });

  it('codec none drops the stream: -vn / -an', () => {
    const noVideo = convert('mp4', { video_codec: 'none', video_resolution: '640x', video_crf: 20 });
    assert.ok(noVideo.includes('-vn'));
    assert.ok(!noVideo.includes('-c:v') && !noVideo.includes('-vf') && !noVideo.includes('-crf'));
    const noAudio = convert('mp4', { audio_codec: 'none', audio_bitrate: 128, audio_normalize: '+3db' });
    assert.ok(noAudio.includes('-an'));
    assert.ok(!noAudio.includes('-c:a') && !noAudio.includes('-b:a') && !noAudio.includes('-af'));
  });

  it('codec copy passes the stream through without filters or encoder settings', () => {
    const args = convert('mkv', {
      video_codec: 'copy', video_resolution: '1280x720', video_crf: 20, video_bitrate: 900, video_fps: 25,
      audio_codec: 'copy', audio_normalize: '+2db', audio_bitrate: 128, audio_frequency: 48000,
    });
    assert.equal(valueOf(args, '-c:v'), 'copy');
    assert.equal(valueOf(args, '-c:a'), 'copy');
    for (const flag of ['-vf', '-af', '-crf', '-b:v', '-r', '-pix_fmt', '-b:a', '-ar']) assert.ok(!args.includes(flag), `no ${flag}`);
  });
});

describe('buildConvertArgs: argv safety', () => {
  it('writes paths as file: URLs, exactly once each', () => {
    for (const format of ['mp4', 'gif', 'mp3', 'wav'] as const) {
      const args = convert(format, { trim_from: '1', trim_to: '2' });
      assertPathsOnce(args);
    }
  });

  it('a path that looks like a flag or shell syntax stays one file: entry', () => {
    const input = '/tmp/-i evil; rm -rf ~ $(x) "q".mp4';
    const output = '/tmp/-f null -y.webm';
    const args = buildConvertArgs({ path: input, format: 'mp4' }, output, 'webm', options());
    assert.equal(valueOf(args, '-i'), `file:${input}`);
    assert.equal(args.at(-1), `file:${output}`);
    assert.equal(args.filter((a) => a.includes('evil')).length, 1);
    parseArgv(args);
  });

  it('every option set through resolvePlan yields only known flags, each with its own value', () => {
    const { format, options: o } = planned('mp4', 'mp4', {
      video_codec: 'H264', video_bitrate: '+2500', video_resolution: ' 1280x ', video_ratio: '16:9', video_fps: '29.97', video_crf: '0',
      video_qscale: '31', faststart: 'yes', audio_codec: 'AAC', audio_bitrate: '128', audio_channels: '2', audio_frequency: '48000',
      audio_normalize: '-3.5DB', audio_qscale: '0', trim_from: '00:00:01.5', trim_to: '2:00',
    });
    const args = buildConvertArgs(INPUT, OUT, format, o);
    const { pairs, output } = parseArgv(args);
    assert.equal(output, `file:${OUT}`);
    assert.deepEqual(pairs, [
      ['-hide_banner', null], ['-nostdin', null], ['-y', null], ['-loglevel', 'error'], ['-progress', 'pipe:1'], ['-nostats', null],
      ['-ss', '00:00:01.5'], ['-to', '2:00'], ['-protocol_whitelist', 'file'], ['-format_whitelist', 'mov'], ['-i', `file:${IN}`], ['-map_metadata', '0'],
      ['-c:v', 'libx264'], ['-vf', 'scale=1280:-2'], ['-pix_fmt', 'yuv420p'], ['-crf', '0'], ['-b:v', '2500k'], ['-q:v', '31'], ['-r', '29.97'], ['-aspect', '16:9'],
      ['-c:a', 'aac'], ['-b:a', '128k'], ['-q:a', '0'], ['-ac', '2'], ['-ar', '48000'], ['-af', 'volume=-3.5dB'],
      ['-movflags', '+faststart'], ['-f', 'mp4'],
    ]);
    assert.equal(args.length, 53);
    assertPathsOnce(args);
    const known = new Set([...FLAGS_WITH_VALUE, ...FLAGS_WITHOUT_VALUE]);
    for (const arg of args) assert.ok(!arg.startsWith('-') || known.has(arg), `unexpected flag-like entry ${arg}`);
  });

  it('every output format parses into flag/value pairs with defaults and with all options', () => {
    for (const format of [...VIDEO_OUTPUTS, ...AUDIO_OUTPUTS]) {
      parseArgv(convert(format));
      // DV fixes its frame: video_resolution and video_fps are refused for it (ffmpeg-formats.test.ts).
      const frame = CONTAINERS[format]?.frame === undefined ? { video_resolution: 'x480', video_fps: 24 } : {};
      const args = convert(format, {
        ...frame, video_crf: 30, video_bitrate: 800, video_qscale: 5, video_ratio: '4:3', faststart: true,
        audio_bitrate: 96, audio_channels: 1, audio_frequency: 22050, audio_qscale: 3, audio_normalize: '-12db', trim_from: '5', trim_to: '10',
      });
      parseArgv(args);
      assertPathsOnce(args);
    }
  });
});

describe('resolvePlan refuses values that could reach ffmpeg as extra arguments', () => {
  const refused: ReadonlyArray<readonly [string, string]> = [
    ['video_codec', 'h264 -f null'],
    ['video_resolution', '1280x720;rm'],
    ['video_resolution', '1280x720 -vf x'],
    ['video_ratio', '16:9 -y'],
    ['audio_normalize', '20'],
    ['audio_normalize', '20db -af x'],
    ['trim_from', '-1'],
    ['trim_to', '10 -i /etc/passwd'],
    ['video_bitrate', '100k'],
    ['video_fps', '1e2'],
  ];
  for (const [name, value] of refused) {
    it(`${name} = ${JSON.stringify(value)} is INVALID_OPTION`, () => {
      assert.throws(
        () => resolvePlan({ mode: 'convert', inputformat: 'mp4', outputformat: 'webm', converteroptions: { [name]: value } }),
        (error: unknown) => {
          assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
          assert.equal(error.code, 'INVALID_OPTION');
          assert.ok(error.message.includes(name), error.message);
          return true;
        },
      );
    });
  }

  it('hands every ffmpeg option key to the converter, null when not given', () => {
    const { options: o } = planned('mp4', 'webm', { video_crf: '33' });
    assert.deepEqual(Object.keys(o).sort(), Object.keys(MEDIA_OPTIONS).sort());
    assert.equal(o.video_crf, 33);
    assert.equal(o.video_resolution, null);
    const args = buildConvertArgs(INPUT, OUT, 'webm', o);
    assert.equal(valueOf(args, '-crf'), '33');
    assert.equal(valueOf(args, '-b:v'), '0');
  });

  it('an audio output of a video drops the video even when resolved from a request', () => {
    const { format, options: o } = planned('mp4', 'mp3', { audio_bitrate: '320' });
    const args = buildConvertArgs(INPUT, OUT, format, o);
    assert.ok(args.includes('-vn'));
    assert.equal(valueOf(args, '-b:a'), '320k');
    parseArgv(args);
  });
});

describe('buildThumbnailArgs', () => {
  it('seeks before -i, takes one frame without audio, and writes one image', () => {
    const args = buildThumbnailArgs(INPUT, OUT, 3, 'png', null);
    assert.equal(valueOf(args, '-ss'), '3.000');
    assert.ok(args.indexOf('-ss') < args.indexOf('-i'));
    assert.equal(valueOf(args, '-i'), `file:${IN}`);
    assert.equal(valueOf(args, '-frames:v'), '1');
    assert.ok(args.includes('-an'));
    assert.equal(valueOf(args, '-f'), 'image2');
    assert.equal(valueOf(args, '-update'), '1');
    assert.ok(!args.includes('-vf'));
    assert.ok(!args.includes('-q:v'), 'png has no quality setting');
    assertPathsOnce(args);
    parseArgv(args);
  });

  it('scales when a size is given and sets the jpg quality', () => {
    const args = buildThumbnailArgs(INPUT, OUT, 1.23456, 'jpg', '320x');
    assert.equal(valueOf(args, '-ss'), '1.235');
    assert.equal(valueOf(args, '-vf'), 'scale=320:-2');
    assert.equal(valueOf(args, '-q:v'), '2');
    parseArgv(args);
  });
});

describe('thumbnailTimes', () => {
  it('one thumbnail sits in the middle', () => {
    assert.deepEqual(thumbnailTimes(10, 1, 0, undefined), [5]);
  });
  it('three over 0..6 are at 1, 3, 5', () => {
    assert.deepEqual(thumbnailTimes(6, 3, 0, undefined), [1, 3, 5]);
  });
  it('stays inside the trim window', () => {
    assert.deepEqual(thumbnailTimes(100, 2, 2, 6), [3, 5]);
    assert.deepEqual(thumbnailTimes(100, 1, 10, undefined), [55]);
  });
  it('clamps the window to the duration', () => {
    assert.deepEqual(thumbnailTimes(4, 2, 0, 100), [1, 3]);
    assert.deepEqual(thumbnailTimes(4, 1, 10, undefined), [3.9], 'a start past the end moves to just before the end');
    assert.deepEqual(thumbnailTimes(10, 1, 6, 2), [6], 'an inverted window collapses to its start');
  });
  it('never picks an instant at or past the end, where ffmpeg writes no image', () => {
    // `ffmpeg -ss <duration> -i in -frames:v 1 out.png` exits 0 without creating out.png.
    for (const [from, to] of [[30, undefined], [20, undefined], [25, 40]] as const) {
      for (const t of thumbnailTimes(20, 2, from, to)) assert.ok(t < 20, `trim ${from}..${String(to)} gave ${t} on a 20 s file`);
    }
  });
  it('gives count instants', () => {
    assert.equal(thumbnailTimes(60, 100, 0, undefined).length, 100);
  });
});

describe('expectedDuration', () => {
  const trims = (trim_from: string | null, trim_to: string | null): { trim_from: string | null; trim_to: string | null } => ({ trim_from, trim_to });
  it('is the whole duration without trims', () => {
    assert.equal(expectedDuration(42, trims(null, null)), 42);
  });
  it('subtracts trims and clamps to the file', () => {
    assert.equal(expectedDuration(60, trims('10', null)), 50);
    assert.equal(expectedDuration(60, trims(null, '00:20')), 20);
    assert.equal(expectedDuration(60, trims('10', '30.5')), 20.5);
    assert.equal(expectedDuration(60, trims('10', '2:00')), 50, 'trim_to beyond the end stops at the end');
  });
  it('is never negative', () => {
    assert.equal(expectedDuration(60, trims('90', null)), 0);
    assert.equal(expectedDuration(60, trims('30', '10')), 0);
  });
});

describe('parseTime', () => {
  it('reads seconds, MM:SS and HH:MM:SS.mmm', () => {
    assert.equal(parseTime('12.5'), 12.5);
    assert.equal(parseTime('01:02'), 62);
    assert.equal(parseTime('1:02:03.250'), 3723.25);
    assert.equal(parseTime('0'), 0);
  });
});

describe('scaleFilter', () => {
  it('fills a missing side with -2', () => {
    assert.equal(scaleFilter('640x480'), 'scale=640:480');
    assert.equal(scaleFilter('640x'), 'scale=640:-2');
    assert.equal(scaleFilter('x480'), 'scale=-2:480');
  });
});

describe('buildProbeArgs', () => {
  it('asks for JSON format and streams of the file: URL', () => {
    assert.deepEqual(buildProbeArgs(INPUT), ['-v', 'error', ...WHITELISTS, '-print_format', 'json', '-show_format', '-show_streams', `file:${IN}`]);
  });
});

describe('buildRawCommandArgs', () => {
  it('splits on whitespace, replaces the placeholders and adds the common flags', () => {
    const args = buildRawCommandArgs('-i {INPUTFILE}   -c:v libx264 -crf 20 {OUTPUTFILE}', INPUT, OUT);
    assert.deepEqual(args.slice(0, 8), ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-progress', 'pipe:1', '-nostats']);
    assert.deepEqual(args.slice(8), [...WHITELISTS, '-i', `file:${IN}`, '-c:v', 'libx264', '-crf', '20', `file:${OUT}`]);
  });

  it('quotes group words, without a shell', () => {
    const args = buildRawCommandArgs(`-i {INPUTFILE} -vf "scale=640:-2, fps=10" -metadata 'comment=a $(b) c' {OUTPUTFILE}`, INPUT, OUT);
    assert.deepEqual(args.slice(8), [...WHITELISTS, '-i', `file:${IN}`, '-vf', 'scale=640:-2, fps=10', '-metadata', 'comment=a $(b) c', `file:${OUT}`]);
  });

  it('a quote inside a word groups like a shell: title="My Movie" is one argument without the quotes', () => {
    // The documented contract is shell word splitting; sh gives `-metadata` `title=My Movie`.
    const args = buildRawCommandArgs('-i {INPUTFILE} -metadata title="My Movie" -vf drawtext=text=\'Hello World\' {OUTPUTFILE}', INPUT, OUT);
    assert.deepEqual(args.slice(8), [...WHITELISTS, '-i', `file:${IN}`, '-metadata', 'title=My Movie', '-vf', 'drawtext=text=Hello World', `file:${OUT}`]);
  });

  it('replaces quoted placeholders, and every occurrence', () => {
    const args = buildRawCommandArgs('-i "{INPUTFILE}" -i {INPUTFILE} {OUTPUTFILE}', INPUT, OUT);
    assert.deepEqual(args.slice(8), [...WHITELISTS, '-i', `file:${IN}`, ...WHITELISTS, '-i', `file:${IN}`, `file:${OUT}`]);
  });

  it('a path with spaces stays one argument', () => {
    const args = buildRawCommandArgs('-i {INPUTFILE} {OUTPUTFILE}', { path: '/a b/c d.mp4', format: 'mp4' }, '/e f/g.mp3');
    assert.deepEqual(args.slice(8), [...WHITELISTS, '-i', 'file:/a b/c d.mp4', 'file:/e f/g.mp3']);
  });

  it('throws when a placeholder is missing or only part of a word', () => {
    assert.throws(() => buildRawCommandArgs('-i {INPUTFILE} out.mp4', INPUT, OUT), /\{INPUTFILE\} and \{OUTPUTFILE\}/);
    assert.throws(() => buildRawCommandArgs('-i in.mp4 {OUTPUTFILE}', INPUT, OUT), /\{INPUTFILE\} and \{OUTPUTFILE\}/);
    assert.throws(() => buildRawCommandArgs('-i x{INPUTFILE} {OUTPUTFILE}', INPUT, OUT), /\{INPUTFILE\} and \{OUTPUTFILE\}/);
    assert.throws(() => buildRawCommandArgs('', INPUT, OUT));
  });
});

describe('scaleFilter with even sizes', () => {
  it('rounds odd explicit sides down to even for 4:2:0 codecs only', () => {
    assert.equal(scaleFilter('161x121', true), 'scale=160:120');
    assert.equal(scaleFilter('161x', true), 'scale=160:-2');
    assert.equal(scaleFilter('161x121'), 'scale=161:121');
  });
});
