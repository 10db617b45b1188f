// Pure: ffmpeg and ffprobe argument lists from validated options. Every value has been checked
// against the catalog's schema and goes in as its own argv entry (no shell), and file paths are
// absolute `file:` URLs, so no option can inject an ffmpeg argument. Every input is read with
// the protocol and demuxer whitelists of its declared format (demuxers.ts).
import type { EngineOptions, Format } from '../../../src/core/catalog/index.js';
import { appError } from '../../../src/core/errors.js';
import type { InfoOptions } from '../../../src/core/catalog/resolve.js';
import { COMMAND_DEMUXERS, inputWhitelistArgs } from './demuxers.js';

/** An input file and the format the client declared for it. */
export interface MediaInput {
  readonly path: string;
  readonly format: Format;
}

export type MediaOptions = EngineOptions['ffmpeg'];
type VideoCodec = NonNullable<MediaOptions['video_codec']>;
type AudioCodec = NonNullable<MediaOptions['audio_codec']>;

/** Codecs a container may need that the options do not offer (they fit that container only). */
type FixedVideoCodec = 'dv' | 'raw';
type FixedAudioCodec = 'alac' | 'dts' | 'speex' | 'wavpack';

interface Container {
  readonly muxer: string;
  /** Default codecs; undefined means the format has no such stream. */
  readonly video?: VideoCodec | FixedVideoCodec;
  readonly audio?: AudioCodec | FixedAudioCodec;
  /** The subtitle encoder of a subtitle format. */
  readonly subtitle?: string;
  /** The MP4 family can move its index to the front (faststart). */
  readonly movFamily?: boolean;
  /** Muxer settings written after the streams (fixed values, never from options). */
  readonly muxerArgs?: readonly string[];
  /** The sample rate the format requires (MXF, DV) or expects (DVD), unless audio_frequency is set. */
  readonly sampleRate?: number;
  /** The frame rate used unless video_fps is set: MXF only takes broadcast rates. */
  readonly fps?: number;
  /** A frame size and rate the format fixes (DV: PAL 720x576 at 25 fps); the picture is fitted into it. */
  readonly frame?: { readonly width: number; readonly height: number; readonly fps: number };
}

/** The container each output format is written as, with its default codecs. */
export const CONTAINERS: Readonly<Record<string, Container>> = {
  mp4: { muxer: 'mp4', video: 'h264', audio: 'aac', movFamily: true },
  m4v: { muxer: 'ipod', video: 'h264', audio: 'aac', movFamily: true },
  mov: { muxer: 'mov', video: 'h264', audio: 'aac', movFamily: true },
  '3gp': { muxer: '3gp', video: 'h264', audio: 'aac', movFamily: true },
  f4v: { muxer: 'f4v', video: 'h264', audio: 'aac' },
  webm: { muxer: 'webm', video: 'vp9', audio: 'opus' },
  mkv: { muxer: 'matroska', video: 'h264', audio: 'aac' },
  avi: { muxer: 'avi', video: 'mpeg4', audio: 'mp3' },
  flv: { muxer: 'flv', video: 'h264', audio: 'aac' },
  wmv: { muxer: 'asf', video: 'wmv2', audio: 'wma' },
  asf: { muxer: 'asf', video: 'wmv2', audio: 'wma' },
  ogv: { muxer: 'ogg', video: 'theora', audio: 'vorbis' },
  mpeg: { muxer: 'mpeg', video: 'mpeg2', audio: 'mp2' },
  vob: { muxer: 'vob', video: 'mpeg2', audio: 'ac3', sampleRate: 48000 },
  ts: { muxer: 'mpegts', video: 'h264', audio: 'aac' },
  // AVCHD and Blu-ray: 192-byte packets with a time code, H.264 with AC-3.
  mts: { muxer: 'mpegts', video: 'h264', audio: 'ac3', muxerArgs: ['-mpegts_m2ts_mode', '1'] },
  m2ts: { muxer: 'mpegts', video: 'h264', audio: 'ac3', muxerArgs: ['-mpegts_m2ts_mode', '1'] },
  mxf: { muxer: 'mxf', video: 'mpeg2', audio: 'pcm', sampleRate: 48000, fps: 25 },
  dv: { muxer: 'dv', video: 'dv', audio: 'pcm', sampleRate: 48000, frame: { width: 720, height: 576, fps: 25 } },
  y4m: { muxer: 'yuv4mpegpipe', video: 'raw' },
  // NUT takes any codec: ffmpeg's own defaults for it.
  nut: { muxer: 'nut', video: 'mpeg4', audio: 'vorbis' },
  w64: { muxer: 'w64', audio: 'pcm' },
  voc: { muxer: 'voc', audio: 'pcm' },
  gif: { muxer: 'gif', video: 'gif' },
  mp3: { muxer: 'mp3', audio: 'mp3' },
  mp2: { muxer: 'mp2', audio: 'mp2' },
  aac: { muxer: 'adts', audio: 'aac' },
  m4a: { muxer: 'ipod', audio: 'aac', movFamily: true },
  m4b: { muxer: 'ipod', audio: 'aac', movFamily: true, muxerArgs: ['-brand', 'M4B '] },
  caf: { muxer: 'caf', audio: 'alac' },
  mka: { muxer: 'matroska', audio: 'aac' },
  ogg: { muxer: 'ogg', audio: 'vorbis' },
  oga: { muxer: 'oga', audio: 'vorbis' },
  opus: { muxer: 'opus', audio: 'opus' },
  spx: { muxer: 'spx', audio: 'speex' },
  wav: { muxer: 'wav', audio: 'pcm' },
  flac: { muxer: 'flac', audio: 'flac' },
  wv: { muxer: 'wv', audio: 'wavpack' },
  wma: { muxer: 'asf', audio: 'wma' },
  aiff: { muxer: 'aiff', audio: 'pcm' },
  au: { muxer: 'au', audio: 'pcm' },
  ac3: { muxer: 'ac3', audio: 'ac3' },
  dts: { muxer: 'dts', audio: 'dts' },
  srt: { muxer: 'srt', subtitle: 'srt' },
  vtt: { muxer: 'webvtt', subtitle: 'webvtt' },
  ass: { muxer: 'ass', subtitle: 'ass' },
  // LRC lines are plain text with a start time (no end time: each line lasts until the next).
  lrc: { muxer: 'lrc', subtitle: 'text' },
};

const VIDEO_ENCODERS: Readonly<Record<Exclude<VideoCodec, 'copy' | 'none'> | FixedVideoCodec, string>> = {
  h264: 'libx264', h265: 'libx265', vp8: 'libvpx', vp9: 'libvpx-vp9', av1: 'libsvtav1', mpeg4: 'mpeg4',
  mpeg2: 'mpeg2video', mpeg1: 'mpeg1video', theora: 'libtheora', wmv2: 'wmv2', flv1: 'flv', gif: 'gif',
  dv: 'dvvideo', raw: 'wrapped_avframe',
};
const AUDIO_ENCODERS: Readonly<Record<Exclude<AudioCodec, 'copy' | 'none'> | FixedAudioCodec, string>> = {
  aac: 'aac', mp3: 'libmp3lame', mp2: 'mp2', opus: 'libopus', vorbis: 'libvorbis', flac: 'flac', pcm: 'pcm_s16le', ac3: 'ac3', wma: 'wmav2',
  alac: 'alac', dts: 'dca', speex: 'libspeex', wavpack: 'wavpack',
};
/** Formats whose PCM is big-endian. */
const BIG_ENDIAN_PCM: readonly string[] = ['aiff', 'au'];

/** `12.5`, `01:02`, `1:02:03.250` → seconds. */
export function parseTime(value: string): number {
  return value.split(':').reduce((total, part) => total * 60 + Number(part), 0);
}

/**
 * `1280x720` → `scale=1280:720`; a missing side keeps the aspect ratio (rounded to even). With
 * `even`, for 4:2:0 codecs that need it, odd sizes are rounded down to even (161x → 160).
 */
export function scaleFilter(size: string, even = false): string {
  const side = (value: string): number => (value === '' ? -2 : even ? Math.max(2, Number(value) - (Number(value) % 2)) : Number(value));
  const [w = '', h = ''] = size.split('x');
  return `scale=${side(w)}:${side(h)}`;
}

export const fileUrl = (path: string): string => `file:${path}`;

/** An input for ffmpeg: its whitelists, then `-i` and its file URL. */
const inputArgs = (input: MediaInput): string[] => [...inputWhitelistArgs(input.format), '-i', fileUrl(input.path)];

const COMMON = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-progress', 'pipe:1', '-nostats'];

function trimArgs(options: { trim_from: string | null; trim_to: string | null }): string[] {
  return [...(options.trim_from === null ? [] : ['-ss', options.trim_from]), ...(options.trim_to === null ? [] : ['-to', options.trim_to])];
}

/** DV fixes its frame: the options that would change it are refused, not silently ignored. */
function checkFixedFrame(o: MediaOptions, format: string, container: Container): void {
  const frame = container.frame;
  if (frame === undefined) return;
  const fixed = `${format} has a fixed frame of ${frame.width}x${frame.height} at ${frame.fps} fps`;
  if (o.video_resolution !== null) throw appError('INVALID_OPTION', `converteroptions[video_resolution] cannot be set for ${format}: ${fixed}. Leave it out; the picture is fitted into that frame.`);
  if (o.video_fps !== null) throw appError('INVALID_OPTION', `converteroptions[video_fps] cannot be set for ${format}: ${fixed}. Leave it out.`);
  if (o.video_codec !== null) throw appError('INVALID_OPTION', `converteroptions[video_codec] cannot be set for ${format}: it holds DV video only. Leave it out.`);
}

function videoArgs(o: MediaOptions, container: Container): string[] {
  const codec = o.video_codec ?? container.video;
  if (codec === undefined || codec === 'none') return ['-vn'];
  if (codec === 'copy') return ['-c:v', 'copy'];
  const args = ['-c:v', VIDEO_ENCODERS[codec]];
  const filters: string[] = [];
  const frame = container.frame;
  if (frame !== undefined) filters.push(`scale=${frame.width}:${frame.height}:force_original_aspect_ratio=decrease,pad=${frame.width}:${frame.height}:-1:-1,setsar=1`);
  if (o.video_resolution !== null) filters.push(scaleFilter(o.video_resolution, codec === 'h264' || codec === 'h265'));
  if (codec === 'gif') filters.push('split[a][b];[a]palettegen[p];[b][p]paletteuse');
  if (filters.length > 0) args.push('-vf', filters.join(','));
  if (codec === 'h264' || codec === 'h265' || codec === 'raw' || codec === 'dv') args.push('-pix_fmt', 'yuv420p');
  if (o.video_crf !== null) args.push('-crf', String(o.video_crf));
  if (o.video_bitrate !== null) args.push('-b:v', `${o.video_bitrate}k`);
  else if (o.video_crf !== null && (codec === 'vp8' || codec === 'vp9')) args.push('-b:v', '0'); // constant quality mode
  if (o.video_qscale !== null) args.push('-q:v', String(o.video_qscale));
  const fps = o.video_fps ?? frame?.fps ?? container.fps;
  if (fps !== undefined) args.push('-r', String(fps));
  if (o.video_ratio !== null) args.push('-aspect', o.video_ratio);
  return args;
}

function audioArgs(o: MediaOptions, container: Container, inputFormat: Format): string[] {
  const codec = o.audio_codec ?? container.audio;
  if (codec === undefined || codec === 'none') return ['-an'];
  if (codec === 'copy') return ['-c:a', 'copy'];
  const encoder = codec === 'pcm' && BIG_ENDIAN_PCM.includes(container.muxer) ? 'pcm_s16be' : AUDIO_ENCODERS[codec];
  const args = ['-c:a', encoder];
  // ffmpeg's DTS encoder is marked experimental; it is the only one there is.
  if (codec === 'dts') args.push('-strict', 'experimental');
  if (o.audio_bitrate !== null) args.push('-b:a', `${o.audio_bitrate}k`);
  if (o.audio_qscale !== null) args.push('-q:a', String(o.audio_qscale));
  const channels = o.audio_channels ?? (container.frame === undefined ? null : 2);
  if (channels !== null) args.push('-ac', String(channels));
  const rate = o.audio_frequency ?? container.sampleRate ?? null;
  if (rate !== null) args.push('-ar', String(rate));
  const filters: string[] = [];
  // ffmpeg's Speex decoder gives its channels no layout ("2 channels"), which the AAC encoder
  // refuses: name it (mono or stereo: all Speex has).
  if (inputFormat === 'spx') filters.push('aformat=channel_layouts=mono|stereo');
  if (o.audio_normalize !== null) filters.push(`volume=${o.audio_normalize.replace(/^\+/, '').replace(/db$/i, 'dB')}`);
  // DV puts a fixed amount of sound into every frame, from the first: the sound must start where
  // the picture does (Opus, Vorbis and WMA inputs start before or after 0, and the muxer refuses).
  if (container.frame !== undefined) filters.push('aresample=async=1:first_pts=0');
  if (filters.length > 0) args.push('-af', filters.join(','));
  return args;
}

/** A subtitle format: its encoder, no picture, no sound. */
const subtitleArgs = (container: Container): string[] => (container.subtitle === undefined ? [] : ['-c:s', container.subtitle]);

/** A whole conversion: input (trimmed), streams, output container. */
export function buildConvertArgs(input: MediaInput, output: string, outputFormat: Format, options: MediaOptions): string[] {
  const container = CONTAINERS[outputFormat];
  if (container === undefined) throw new Error(`No container for ${outputFormat}`);
  checkFixedFrame(options, outputFormat, container);
  const faststart = options.faststart === true && container.movFamily === true ? ['-movflags', '+faststart'] : [];
  const streams = container.subtitle === undefined ? [...videoArgs(options, container), ...audioArgs(options, container, input.format)] : ['-vn', '-an', ...subtitleArgs(container)];
  return [...COMMON, ...trimArgs(options), ...inputArgs(input), '-map_metadata', '0', ...streams, ...faststart, ...(container.muxerArgs ?? []), '-f', container.muxer, fileUrl(output)];
}

/**
 * Formats whose demuxer seeks by timestamps alone, without a keyframe index: MPEG transport and
 * program streams and raw video streams. A seek lands wherever the timestamp is, often past the
 * last keyframe before it (with one keyframe at the start, as ffmpeg writes short files, always),
 * and the decoder then has no picture to give. Their thumbnails decode up to the instant instead.
 */
export const DECODE_SEEK_FORMATS: readonly Format[] = ['ts', 'mts', 'm2ts', 'mpeg', 'vob', 'h264', 'hevc'];
/** How far before the instant a decode-seek may jump by timestamp: more than a usual keyframe interval. */
export const PRE_ROLL_SECONDS = 30;

/**
 * Where a thumbnail at `seconds` seeks: `input` before -i (fast: the demuxer jumps; ffmpeg counts
 * it from the file's start time, so MPEG-TS's 1.4 s offset needs nothing here), `output` after it
 * (exact: frames are decoded and dropped up to it). `fromStart` decodes from the start: the retry
 * when a jump found no frame.
 */
export function thumbnailSeek(format: Format, seconds: number, fromStart = false): { input: number; output: number } {
  if (fromStart) return { input: 0, output: seconds };
  if (!DECODE_SEEK_FORMATS.includes(format)) return { input: seconds, output: 0 };
  const jump = Math.max(0, seconds - PRE_ROLL_SECONDS);
  return { input: jump, output: seconds - jump };
}

/** One thumbnail at `seconds`: a seek (see thumbnailSeek), one frame, optionally scaled. */
export function buildThumbnailArgs(input: MediaInput, output: string, seconds: number, format: 'png' | 'jpg', size: string | null, fromStart = false): string[] {
  const seek = thumbnailSeek(input.format, seconds, fromStart);
  return [
    ...COMMON, ...(seek.input > 0 ? ['-ss', seek.input.toFixed(3)] : []), ...inputArgs(input),
    ...(seek.output > 0 ? ['-ss', seek.output.toFixed(3)] : []), '-frames:v', '1', '-an',
    ...(size === null ? [] : ['-vf', scaleFilter(size)]),
    ...(format === 'jpg' ? ['-q:v', '2'] : []),
    '-f', 'image2', '-update', '1', fileUrl(output),
  ];
}

/** Seeking this close to the end gives ffmpeg no frame to write, so instants stay before it. */
const END_MARGIN_SECONDS = 0.1;

/** `count` instants spread evenly over [from, to), each in the middle of its slice, all before the end. */
export function thumbnailTimes(duration: number, count: number, from: number, to: number | undefined): number[] {
  const last = Math.max(0, duration - END_MARGIN_SECONDS);
  const start = Math.min(from, last);
  const end = Math.max(start, Math.min(to ?? duration, duration));
  return Array.from({ length: count }, (_, i) => Math.min(last, start + ((end - start) * (i + 0.5)) / count));
}

/** The seconds of output a conversion will produce, for progress. */
export function expectedDuration(duration: number, options: { trim_from: string | null; trim_to: string | null }): number {
  const from = options.trim_from === null ? 0 : parseTime(options.trim_from);
  const to = options.trim_to === null ? duration : Math.min(duration, parseTime(options.trim_to));
  return Math.max(0, to - from);
}

/** Raw video streams have no duration: ffprobe counts their frames (a demux pass, no decoding). */
const COUNTED_FORMATS: readonly Format[] = ['h264', 'hevc'];

export const buildProbeArgs = (input: MediaInput): string[] => [
  '-v', 'error', ...inputWhitelistArgs(input.format), ...(COUNTED_FORMATS.includes(input.format) ? ['-count_packets'] : []),
  '-print_format', 'json', '-show_format', '-show_streams', fileUrl(input.path),
];

/**
 * The operator-enabled raw `command` option: split like a shell would split words (quotes
 * group, no expansion, no shell), {INPUTFILE} and {OUTPUTFILE} replaced by the job's paths. An
 * `-i {INPUTFILE}` gets the input's whitelists right before it (later options win, so the
 * command cannot widen them for that input); the rest of the command stays the operator's risk.
 */
export function buildRawCommandArgs(command: string, input: MediaInput, output: string): string[] {
  const words = splitWords(command);
  if (!words.includes('{INPUTFILE}') || !words.includes('{OUTPUTFILE}')) throw appError('INVALID_OPTION', 'converteroptions[command] must contain {INPUTFILE} and {OUTPUTFILE}, e.g. "-i {INPUTFILE} -c:v libx264 {OUTPUTFILE}".');
  return [
    ...COMMON,
    ...words.flatMap((w, i) => {
      if (w === '-i' && words[i + 1] === '{INPUTFILE}') return [...inputWhitelistArgs(input.format), w];
      return [w === '{INPUTFILE}' ? fileUrl(input.path) : w === '{OUTPUTFILE}' ? fileUrl(output) : w];
    }),
  ];
}

export type ThumbnailInfoOptions = InfoOptions['ffmpeg'];

/**
 * POSIX-shell word splitting without expansion: whitespace separates words; '...' is literal;
 * "..." groups with \" and \\ escapes; a backslash outside quotes escapes the next character;
 * quotes may start in the middle of a word (title="My Movie" is one word, title=My Movie).
 */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    const next = text[i + 1] ?? '';
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && (next === '"' || next === '\\')) word += text[++i] ?? '';
      else word += c;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      inWord = true;
      if (c === '"' || c === "'") quote = c;
      else if (c === '\\' && next !== '') word += text[++i] ?? '';
      else word += c;
    }
  }
  if (quote !== undefined) throw appError('INVALID_OPTION', `converteroptions[command] has an unclosed ${quote} quote. Close it, or escape the quote with a backslash.`);
  if (inWord) words.push(word);
  return words;
}

/**
 * The `command` operation's argv for ffmpeg or ffprobe: no stdin, and every input limited to the
 * file protocol and to demuxers that open no further files (ffprobe's one input; ffmpeg's before
 * each `-i`: later options win), so no input can be a URL or a playlist of files outside the job.
 */
export function fileOnlyCommandArgs(command: 'ffmpeg' | 'ffprobe' | 'convert' | 'identify', args: readonly string[]): string[] {
  const limits = ['-protocol_whitelist', 'file', '-format_whitelist', COMMAND_DEMUXERS.join(',')];
  if (command === 'ffprobe') return [...limits, ...args];
  return ['-nostdin', ...args.flatMap((arg) => (arg === '-i' ? [...limits, arg] : [arg]))];
}
