// The audio/video engine (ffmpeg): formats, the container each writes, and its options.
import type { EngineCatalog } from '../engine-record.js';
import type { OptionSpecs } from '../options.js';

export const VIDEO_FORMATS = ['mp4', 'webm', 'mkv', 'mov', 'avi', 'flv', 'wmv', 'ogv', 'm4v', 'mpeg', '3gp', 'ts'] as const;
export const AUDIO_FORMATS = ['mp3', 'aac', 'm4a', 'ogg', 'oga', 'opus', 'wav', 'flac', 'wma', 'aiff', 'ac3', 'amr'] as const;
/** Debian's ffmpeg decodes AMR but has no AMR encoder (libopencore-amrnb is not built in). */
export const AUDIO_OUTPUTS = AUDIO_FORMATS.filter((f) => f !== 'amr');
/** Video outputs: the video formats plus animated gif. */
export const VIDEO_OUTPUTS = [...VIDEO_FORMATS, 'gif'] as const;
/** Still-image outputs of a video: thumbnails. */
export const THUMBNAIL_OUTPUTS = ['png', 'jpg'] as const;

const TIME = /^(?:\d{1,6}(?:\.\d{1,3})?|(?:\d{1,3}:)?[0-5]?\d:[0-5]?\d(?:\.\d{1,3})?)$/;
const SIZE = /^(?:\d{1,5}x\d{0,5}|x\d{1,5})$/;

export const VIDEO_CODECS = ['h264', 'h265', 'vp8', 'vp9', 'av1', 'mpeg4', 'mpeg2', 'mpeg1', 'theora', 'wmv2', 'flv1', 'gif', 'copy', 'none'] as const;
export const AUDIO_CODECS = ['aac', 'mp3', 'mp2', 'opus', 'vorbis', 'flac', 'pcm', 'ac3', 'wma', 'copy', 'none'] as const;

export const AUDIO_OPTIONS = {
  audio_codec: { type: 'enum', values: AUDIO_CODECS, default: null, description: 'Audio codec (null: the format default; none: no audio).' },
  audio_bitrate: { type: 'integer', min: 8, max: 1536, default: null, description: 'Audio bit rate in kbit/s.' },
  audio_channels: { type: 'integer', min: 1, max: 8, default: null, description: 'Number of audio channels.' },
  audio_frequency: { type: 'integer', min: 8000, max: 192000, default: null, description: 'Sample rate in Hz.' },
  audio_normalize: { type: 'pattern', pattern: /^[+-]?\d{1,2}(?:\.\d)?db$/i, form: 'a gain such as +20db or -3.5db', default: null, description: 'Change the volume by this gain.' },
  audio_qscale: { type: 'integer', min: 0, max: 10, default: null, description: 'Variable bit rate quality (codec-specific scale).' },
  trim_from: { type: 'pattern', pattern: TIME, form: 'seconds (12.5) or HH:MM:SS(.mmm)', default: null, description: 'Start of the part to keep.' },
  trim_to: { type: 'pattern', pattern: TIME, form: 'seconds (12.5) or HH:MM:SS(.mmm)', default: null, description: 'End of the part to keep.' },
  command: { type: 'pattern', pattern: /^[^\u0000-\u001f]{1,2000}$/, form: 'an ffmpeg argument list with {INPUTFILE} and {OUTPUTFILE}; only when the operator enables FFMPEG_ALLOW_COMMAND', default: null, description: 'Raw ffmpeg arguments (disabled unless the operator enables it).' },
} as const satisfies OptionSpecs;

export const VIDEO_OPTIONS = {
  video_codec: { type: 'enum', values: VIDEO_CODECS, default: null, description: 'Video codec (null: the format default; none: no video).' },
  video_bitrate: { type: 'integer', min: 16, max: 200000, default: null, description: 'Video bit rate in kbit/s.' },
  video_resolution: { type: 'pattern', pattern: SIZE, form: 'WIDTHxHEIGHT such as 1280x720, 1280x or x720', default: null, description: 'Output size; leave one side empty to keep the aspect ratio.' },
  video_ratio: { type: 'pattern', pattern: /^\d{1,4}:\d{1,4}$/, form: 'a ratio such as 16:9', default: null, description: 'Display aspect ratio.' },
  video_fps: { type: 'number', min: 1, max: 240, default: null, description: 'Frames per second.' },
  video_crf: { type: 'integer', min: 0, max: 63, default: null, description: 'Constant rate factor (quality; lower is better).' },
  video_qscale: { type: 'integer', min: 1, max: 31, default: null, description: 'Fixed quantizer (mpeg4 and similar codecs).' },
  faststart: { type: 'boolean', default: false, description: 'Move the MP4/MOV index to the front for progressive playback.' },
  ...AUDIO_OPTIONS,
} as const satisfies OptionSpecs;

export const THUMBNAIL_OPTIONS = {
  thumbnail_count: { type: 'integer', min: 1, max: 100, default: 1, description: 'Number of thumbnails, spread over the duration.' },
  thumbnail_size: { type: 'pattern', pattern: SIZE, form: 'WIDTHxHEIGHT such as 320x180, 320x or x180', default: null, description: 'Thumbnail size (null: the video size).' },
  trim_from: AUDIO_OPTIONS.trim_from,
  trim_to: AUDIO_OPTIONS.trim_to,
} as const satisfies OptionSpecs;

/** Options of `mode=info` on a video: thumbnails besides the information, as CloudConvert did. */
export const MEDIA_INFO_OPTIONS = {
  thumbnail_count: { type: 'integer', min: 1, max: 100, default: null, description: 'Also make this many thumbnails (null: none).' },
  thumbnail_size: THUMBNAIL_OPTIONS.thumbnail_size,
  thumbnail_format: { type: 'enum', values: THUMBNAIL_OUTPUTS, default: 'jpg', description: 'Format of the thumbnails made with mode=info.' },
} as const satisfies OptionSpecs;

/** Every ffmpeg option: what a converter may receive (a pair shows its subset). */
export const MEDIA_OPTIONS = {
  ...VIDEO_OPTIONS,
  ...THUMBNAIL_OPTIONS,
  thumbnail_format: MEDIA_INFO_OPTIONS.thumbnail_format,
} as const satisfies OptionSpecs;

const VIDEO_INPUTS = [...VIDEO_FORMATS, 'gif'] as const;
// Pairs of a format with itself re-encode it (mp4 → mp4 at another size or bit rate): kept.

export const MEDIA_ENGINE = {
  convert: {
    options: MEDIA_OPTIONS,
    pairs: [
      { inputs: VIDEO_INPUTS, outputs: VIDEO_OUTPUTS, options: VIDEO_OPTIONS, sameFormat: true },
      { inputs: VIDEO_INPUTS, outputs: AUDIO_OUTPUTS, options: AUDIO_OPTIONS, sameFormat: true },
      { inputs: AUDIO_FORMATS, outputs: AUDIO_OUTPUTS, options: AUDIO_OPTIONS, sameFormat: true },
      { inputs: VIDEO_FORMATS, outputs: THUMBNAIL_OUTPUTS, options: THUMBNAIL_OPTIONS, note: 'Thumbnails: thumbnail_count frames spread over the duration; several are one file each.' },
    ],
  },
  info: { inputs: [...VIDEO_FORMATS, ...AUDIO_FORMATS], options: MEDIA_INFO_OPTIONS },
} as const satisfies EngineCatalog;
