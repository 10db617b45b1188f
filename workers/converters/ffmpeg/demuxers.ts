// Pure: which of ffmpeg's demuxers may read an input of each declared format. ffmpeg picks a
// demuxer by probing the content, whatever the file is called: an HLS playlist named .mp4 is
// read as a playlist and makes ffmpeg open every local file it lists. So every input gets
// `-protocol_whitelist file` (no network, no other protocol) and a `-format_whitelist` of
// the demuxers of its format's container family, so misnamed but genuine media (an .mp4 that is
// a QuickTime file) still converts. Demuxers that open further files (hls, dash, concat, image2
// sequences, subfile, ffmetadata, tee, sdp, lavfi...) are on no list.
import type { Format } from '../../../src/core/catalog/index.js';

/**
 * ffmpeg matches each whitelist entry against every comma-separated part of a demuxer's name
 * (libavutil av_match_list; checked on ffmpeg 5.1): "mov" admits "mov,mp4,m4a,3gp,3g2,mj2",
 * "matroska" admits "matroska,webm". So one entry per demuxer is enough.
 */
const FAMILIES = {
  /** QuickTime / ISO media: mp4, m4v, m4a, mov, 3gp (drefs to other files stay off by default). */
  mov: ['mov'],
  matroska: ['matroska'],
  avi: ['avi'],
  flv: ['flv'],
  asf: ['asf', 'xwma'],
  ogg: ['ogg'],
  /** Program and transport streams, and the raw MPEG video they carry. */
  mpeg: ['mpeg', 'mpegts', 'mpegvideo'],
  /** Elementary audio streams, often named after one another. */
  mpegAudio: ['mp3', 'aac'],
  dolby: ['ac3', 'eac3'],
  flac: ['flac'],
  wav: ['wav', 'w64'],
  aiff: ['aiff'],
  amr: ['amr', 'amrnb', 'amrwb'],
  gif: ['gif'],
  caf: ['caf'],
  dts: ['dts', 'dtshd'],
  au: ['au'],
  wv: ['wv'],
  tta: ['tta'],
  mxf: ['mxf'],
  dv: ['dv'],
  y4m: ['yuv4mpegpipe'],
  h264: ['h264'],
  hevc: ['hevc'],
  realMedia: ['rm'],
  nut: ['nut'],
  w64: ['w64'],
  voc: ['voc'],
  lrc: ['lrc'],
  srt: ['srt'],
  webvtt: ['webvtt'],
  /** ASS and SSA share one reader. */
  ass: ['ass'],
  microdvd: ['microdvd'],
} as const satisfies Record<string, readonly string[]>;

/** The media inputs of the catalog (video, audio, subtitles and gif) and the demuxers each may use. */
export const INPUT_DEMUXERS: Readonly<Partial<Record<Format, readonly string[]>>> = {
  mp4: FAMILIES.mov,
  m4v: FAMILIES.mov,
  mov: FAMILIES.mov,
  '3gp': FAMILIES.mov,
  m4a: FAMILIES.mov,
  mkv: FAMILIES.matroska,
  webm: FAMILIES.matroska,
  avi: FAMILIES.avi,
  flv: FAMILIES.flv,
  wmv: FAMILIES.asf,
  wma: FAMILIES.asf,
  ogv: FAMILIES.ogg,
  ogg: FAMILIES.ogg,
  oga: FAMILIES.ogg,
  opus: FAMILIES.ogg,
  mpeg: FAMILIES.mpeg,
  ts: FAMILIES.mpeg,
  mp3: FAMILIES.mpegAudio,
  aac: FAMILIES.mpegAudio,
  ac3: FAMILIES.dolby,
  flac: FAMILIES.flac,
  wav: FAMILIES.wav,
  aiff: FAMILIES.aiff,
  amr: FAMILIES.amr,
  gif: FAMILIES.gif,
  m4b: FAMILIES.mov,
  f4v: FAMILIES.mov,
  mka: FAMILIES.matroska,
  asf: FAMILIES.asf,
  spx: FAMILIES.ogg,
  vob: FAMILIES.mpeg,
  mts: FAMILIES.mpeg,
  m2ts: FAMILIES.mpeg,
  /** ffmpeg's mp3 demuxer reads every MPEG audio layer. */
  mp2: FAMILIES.mpegAudio,
  caf: FAMILIES.caf,
  dts: FAMILIES.dts,
  au: FAMILIES.au,
  wv: FAMILIES.wv,
  tta: FAMILIES.tta,
  mxf: FAMILIES.mxf,
  dv: FAMILIES.dv,
  y4m: FAMILIES.y4m,
  h264: FAMILIES.h264,
  hevc: FAMILIES.hevc,
  rm: FAMILIES.realMedia,
  rmvb: FAMILIES.realMedia,
  srt: FAMILIES.srt,
  vtt: FAMILIES.webvtt,
  ass: FAMILIES.ass,
  sub: FAMILIES.microdvd,
  nut: FAMILIES.nut,
  w64: FAMILIES.w64,
  voc: FAMILIES.voc,
  lrc: FAMILIES.lrc,
};

/** The options that go before an input's `-i` (ffmpeg) or its path (ffprobe). */
export function inputWhitelistArgs(format: Format): string[] {
  const demuxers = INPUT_DEMUXERS[format];
  if (demuxers === undefined) throw new Error(`ffmpeg has no demuxer list for ${format} inputs`);
  return ['-protocol_whitelist', 'file', '-format_whitelist', demuxers.join(',')];
}

/**
 * The client's message when ffmpeg refused the input's real format ("[hls @ 0x...] Format not
 * on whitelist 'mov'"), or undefined for another failure.
 */
export function describeFormatRefusal(stderr: string, format: Format): string | undefined {
  const match = /\[([^\]@]+?) @ [^\]]*\] Format not on whitelist/.exec(stderr);
  if (match === null) return undefined;
  const found = (match[1] ?? '').split(',')[0] ?? 'another format';
  return `The file is not a ${format} file: ffmpeg reads it as ${found}, which is not read for inputformat ${format} (playlists and other files that name further files are never read). Give the inputformat of the file's real format.`;
}

/**
 * The demuxers a `command` input may use: every one of the catalog's media inputs, single
 * images (not image2's sequences of further files), subtitles and lavfi's generated sources;
 * never hls, dash, concat or others that open the files a playlist names.
 */
export const COMMAND_DEMUXERS: readonly string[] = [
  ...new Set([...Object.values(INPUT_DEMUXERS).flat(), 'png_pipe', 'jpeg_pipe', 'webp_pipe', 'bmp_pipe', 'tiff_pipe', 'gif_pipe', 'srt', 'ass', 'webvtt', 'lavfi']),
];
