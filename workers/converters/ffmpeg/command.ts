// Pure: ffmpeg and ffprobe argument lists from validated options. Every value has been checked
// against the catalog's schema and goes in as its own argv entry (no shell), and file paths are
// absolute `file:` URLs, so no option can inject an ffmpeg argument. Every input is read with
// the protocol and demuxer whitelists of its declared format (demuxers.ts).
import type { EngineOptions, Format } from '../../../src/core/catalog/index.js';
import { appError } from '../../../src/core/errors.js';
import type { InfoOptions } from '../../../src/core/catalog/resolve.js';
import { inputWhitelistArgs } from './demuxers.js';

/** An input file and the format the client declared for it. */
export interface MediaInput {
  readonly path: string;
  readonly format: Format;
}

export type MediaOptions = EngineOptions['ffmpeg'];
type VideoCodec = NonNullable<MediaOptions['video_codec']>;
type AudioCodec = NonNullable<MediaOptions['audio_codec']>;

interface Container {
  readonly muxer: string;
  /** Default codecs; undefined means the format has no such stream. */
  readonly video?: VideoCodec;
  readonly audio?: AudioCodec;
  /** The MP4 family can move its index to the front (faststart). */
  readonly movFamily?: boolean;
}

/** The container each output format is written as, with its default codecs. */
export const CONTAINERS: Readonly<Record<string, Container>> = {
  mp4: { muxer: 'mp4', video: 'h264', audio: 'aac', movFamily: true },
  m4v: { muxer: 'ipod', video: 'h264', audio: 'aac', movFamily: true },
  mov: { muxer: 'mov', video: 'h264', audio: 'aac', movFamily: true },
  '3gp': { muxer: '3gp', video: 'h264', audio: 'aac', movFamily: true },
  webm: { muxer: 'webm', video: 'vp9', audio: 'opus' },
  mkv: { muxer: 'matroska', video: 'h264', audio: 'aac' },
  avi: { muxer: 'avi', video: 'mpeg4', audio: 'mp3' },
  flv: { muxer: 'flv', video: 'h264', audio: 'aac' },
  wmv: { muxer: 'asf', video: 'wmv2', audio: 'wma' },
  ogv: { muxer: 'ogg', video: 'theora', audio: 'vorbis' },
  mpeg: { muxer: 'mpeg', video: 'mpeg2', audio: 'mp2' },
  ts: { muxer: 'mpegts', video: 'h264', audio: 'aac' },
  gif: { muxer: 'gif', video: 'gif' },
  mp3: { muxer: 'mp3', audio: 'mp3' },
  aac: { muxer: 'adts', audio: 'aac' },
  m4a: { muxer: 'ipod', audio: 'aac', movFamily: true },
  ogg: { muxer: 'ogg', audio: 'vorbis' },
  oga: { muxer: 'oga', audio: 'vorbis' },
  opus: { muxer: 'opus', audio: 'opus' },
  wav: { muxer: 'wav', audio: 'pcm' },
  flac: { muxer: 'flac', audio: 'flac' },
  wma: { muxer: 'asf', audio: 'wma' },
  aiff: { muxer: 'aiff', audio: 'pcm' },
  ac3: { muxer: 'ac3', audio: 'ac3' },
};

const VIDEO_ENCODERS: Readonly<Record<Exclude<VideoCodec, 'copy' | 'none'>, string>> = {
  h264: 'libx264', h265: 'libx265', vp8: 'libvpx', vp9: 'libvpx-vp9', av1: 'libsvtav1', mpeg4: 'mpeg4',
  mpeg2: 'mpeg2video', mpeg1: 'mpeg1video', theora: 'libtheora', wmv2: 'wmv2', flv1: 'flv', gif: 'gif',
};
const AUDIO_ENCODERS: Readonly<Record<Exclude<AudioCodec, 'copy' | 'none'>, string>> = {
  aac: 'aac', mp3: 'libmp3lame', mp2: 'mp2', opus: 'libopus', vorbis: 'libvorbis', flac: 'flac', pcm: 'pcm_s16le', ac3: 'ac3', wma: 'wmav2',
};

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

function videoArgs(o: MediaOptions, container: Container): string[] {
  const codec = o.video_codec ?? container.video;
  if (codec === undefined || codec === 'none') return ['-vn'];
  if (codec === 'copy') return ['-c:v', 'copy'];
  const args = ['-c:v', VIDEO_ENCODERS[codec]];
  const filters: string[] = [];
  if (o.video_resolution !== null) filters.push(scaleFilter(o.video_resolution, codec === 'h264' || codec === 'h265'));
  if (codec === 'gif') filters.push('split[a][b];[a]palettegen[p];[b][p]paletteuse');
  if (filters.length > 0) args.push('-vf', filters.join(','));
  if (codec === 'h264' || codec === 'h265') args.push('-pix_fmt', 'yuv420p');
  if (o.video_crf !== null) args.push('-crf', String(o.video_crf));
  if (o.video_bitrate !== null) args.push('-b:v', `${o.video_bitrate}k`);
  else if (o.video_crf !== null && (codec === 'vp8' || codec === 'vp9')) args.push('-b:v', '0'); // constant quality mode
  if (o.video_qscale !== null) args.push('-q:v', String(o.video_qscale));
  if (o.video_fps !== null) args.push('-r', String(o.video_fps));
  if (o.video_ratio !== null) args.push('-aspect', o.video_ratio);
  return args;
}

function audioArgs(o: MediaOptions, container: Container): string[] {
  const codec = o.audio_codec ?? container.audio;
  if (codec === undefined || codec === 'none') return ['-an'];
  if (codec === 'copy') return ['-c:a', 'copy'];
  const encoder = codec === 'pcm' && container.muxer === 'aiff' ? 'pcm_s16be' : AUDIO_ENCODERS[codec];
  const args = ['-c:a', encoder];
  if (o.audio_bitrate !== null) args.push('-b:a', `${o.audio_bitrate}k`);
  if (o.audio_qscale !== null) args.push('-q:a', String(o.audio_qscale));
  if (o.audio_channels !== null) args.push('-ac', String(o.audio_channels));
  if (o.audio_frequency !== null) args.push('-ar', String(o.audio_frequency));
  if (o.audio_normalize !== null) args.push('-af', `volume=${o.audio_normalize.replace(/^\+/, '').replace(/db$/i, 'dB')}`);
  return args;
}

/** A whole conversion: input (trimmed), streams, output container. */
export function buildConvertArgs(input: MediaInput, output: string, outputFormat: Format, options: MediaOptions): string[] {
  const container = CONTAINERS[outputFormat];
  if (container === undefined) throw new Error(`No container for ${outputFormat}`);
  const faststart = options.faststart === true && container.movFamily === true ? ['-movflags', '+faststart'] : [];
  return [...COMMON, ...trimArgs(options), ...inputArgs(input), '-map_metadata', '0', ...videoArgs(options, container), ...audioArgs(options, container), ...faststart, '-f', container.muxer, fileUrl(output)];
}

/** One thumbnail at `seconds`: a fast seek, one frame, optionally scaled. */
export function buildThumbnailArgs(input: MediaInput, output: string, seconds: number, format: 'png' | 'jpg', size: string | null): string[] {
  return [
    ...COMMON, '-ss', seconds.toFixed(3), ...inputArgs(input), '-frames:v', '1', '-an',
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

export const buildProbeArgs = (input: MediaInput): string[] => ['-v', 'error', ...inputWhitelistArgs(input.format), '-print_format', 'json', '-show_format', '-show_streams', fileUrl(input.path)];

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
