// The video formats: each one's media type, and the other spellings users send for them.
import type { FormatInfo } from './format-info.js';

export const VIDEO_FORMATS = {
  mp4: { group: 'video', mime: 'video/mp4' },
  webm: { group: 'video', mime: 'video/webm' },
  mkv: { group: 'video', mime: 'video/x-matroska' },
  mov: { group: 'video', mime: 'video/quicktime' },
  avi: { group: 'video', mime: 'video/x-msvideo' },
  flv: { group: 'video', mime: 'video/x-flv' },
  wmv: { group: 'video', mime: 'video/x-ms-wmv' },
  ogv: { group: 'video', mime: 'video/ogg' },
  m4v: { group: 'video', mime: 'video/x-m4v' },
  mpeg: { group: 'video', mime: 'video/mpeg' },
  '3gp': { group: 'video', mime: 'video/3gpp' },
  ts: { group: 'video', mime: 'video/mp2t' },
} as const satisfies Record<string, FormatInfo>;

export const VIDEO_ALIASES = { mpg: 'mpeg', mka: 'mkv', qt: 'mov' } as const;
