// The audio/video engine (ffmpeg): formats, the container each writes, and its options.
import type { EngineCatalog } from '../engine-record.js';
import type { OptionSpecs } from '../options.js';

export const VIDEO_FORMATS = ['mp4', 'webm', 'mkv', 'mov', 'avi', 'flv', 'wmv', 'ogv', 'm4v', 'mpeg', '3gp', 'ts', 'vob', 'mts', 'm2ts', 'f4v', 'asf', 'mxf', 'dv', 'y4m', 'nut'] as const;
/** Video formats ffmpeg reads but does not write: raw elementary streams and RealMedia (its muxer only takes RealVideo 1/2, which no player expects). */
export const VIDEO_READ_ONLY = ['h264', 'hevc', 'rm', 'rmvb'] as const;
/** Inputs whose files never carry sound (YUV4MPEG, raw video streams): no audio output is offered. */
const SILENT_VIDEO = ['y4m', 'h264', 'hevc'] as const;
export const AUDIO_FORMATS = ['mp3', 'aac', 'm4a', 'ogg', 'oga', 'opus', 'wav', 'flac', 'wma', 'aiff', 'ac3', 'amr', 'm4b', 'caf', 'mka', 'mp2', 'dts', 'spx', 'au', 'wv', 'tta', 'w64', 'voc'] as const;
/**
 * Debian's ffmpeg decodes AMR but has no AMR encoder (libopencore-amrnb is not built in); TTA is
 * offered as an input only, as the issue asks. Monkey's Audio (ape) is left out: ffmpeg reads it
 * but nothing in Debian writes it, so no sample can prove the reading.
 */
const AUDIO_READ_ONLY: readonly string[] = ['amr', 'tta'];
export const AUDIO_OUTPUTS = AUDIO_FORMATS.filter((f): f is Exclude<(typeof AUDIO_FORMATS)[number], 'amr' | 'tta'> => !AUDIO_READ_ONLY.includes(f));
/** Video outputs: the video formats plus animated gif. */
export const VIDEO_OUTPUTS = [...VIDEO_FORMATS, 'gif'] as const;
/** Still-image outputs of a video: thumbnails. */
export const THUMBNAIL_OUTPUTS = ['png', 'jpg'] as const;
/**
 * Subtitle formats; MicroDVD (sub) is read only: ffmpeg has no encoder for it. TTML is left out:
 * ffmpeg 5.1 writes it but has no reader, so nothing in Debian proves what it writes.
 */
export const SUBTITLE_FORMATS = ['srt', 'vtt', 'ass', 'sub', 'lrc'] as const;
export const SUBTITLE_OUTPUTS = ['srt', 'vtt', 'ass', 'lrc'] as const;

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

/** DV fixes its frame (PAL 720x576 at 25 fps) and its codec: the options that would change them are not offered. */
const { video_codec: _codec, video_resolution: _resolution, video_fps: _fps, ...DV_OPTIONS } = VIDEO_OPTIONS;
/** Formats whose frame the format fixes. */
const FIXED_FRAME_OUTPUTS = ['dv'] as const;

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

/** Every video input: the formats ffmpeg writes, the read-only ones, and animated gif. */
const VIDEO_INPUTS = [...VIDEO_FORMATS, ...VIDEO_READ_ONLY, 'gif'] as const;
/** Video inputs that may carry sound (a GIF, a YUV4MPEG file or a raw video stream never do). */
const VIDEO_WITH_SOUND = [...VIDEO_FORMATS, ...VIDEO_READ_ONLY].filter((f): f is Exclude<(typeof VIDEO_INPUTS)[number], 'gif' | (typeof SILENT_VIDEO)[number]> => !(SILENT_VIDEO as readonly string[]).includes(f));
// Pairs of a format with itself re-encode it (mp4 → mp4 at another size or bit rate): kept.

export const MEDIA_ENGINE = {
  convert: {
    options: MEDIA_OPTIONS,
    pairs: [
      { inputs: VIDEO_INPUTS, outputs: VIDEO_OUTPUTS.filter((f) => !(FIXED_FRAME_OUTPUTS as readonly string[]).includes(f)), options: VIDEO_OPTIONS, sameFormat: true },
      { inputs: VIDEO_INPUTS, outputs: FIXED_FRAME_OUTPUTS, options: DV_OPTIONS, sameFormat: true, note: 'DV is PAL 720x576 at 25 fps: the picture is fitted into that frame.' },
      { inputs: VIDEO_WITH_SOUND, outputs: AUDIO_OUTPUTS, options: AUDIO_OPTIONS, sameFormat: true },
      { inputs: AUDIO_FORMATS, outputs: AUDIO_OUTPUTS, options: AUDIO_OPTIONS, sameFormat: true },
      { inputs: [...VIDEO_FORMATS, ...VIDEO_READ_ONLY], outputs: THUMBNAIL_OUTPUTS, options: THUMBNAIL_OPTIONS, note: 'Thumbnails: thumbnail_count frames spread over the duration; several are one file each.' },
      { inputs: SUBTITLE_FORMATS, outputs: SUBTITLE_OUTPUTS, options: {}, note: 'Cues keep their times and text; styling the target format lacks is dropped.' },
    ],
  },
  info: { inputs: [...VIDEO_FORMATS, ...VIDEO_READ_ONLY, ...AUDIO_FORMATS, ...SUBTITLE_FORMATS], options: MEDIA_INFO_OPTIONS },
} as const satisfies EngineCatalog;
