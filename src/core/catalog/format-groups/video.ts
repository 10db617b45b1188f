// The video formats: each one's media type, and the other spellings users send for them.
import type { FormatInfo } from './format-info.js';
import { ASF, EBML, ISO_MEDIA, OGG } from './signatures.js';

export const VIDEO_FORMATS = {
  mp4: { group: 'video', mime: 'video/mp4', signature: ISO_MEDIA },
  webm: { group: 'video', mime: 'video/webm', signature: EBML },
  mkv: { group: 'video', mime: 'video/x-matroska', signature: EBML },
  mov: { group: 'video', mime: 'video/quicktime', signature: ISO_MEDIA },
  avi: { group: 'video', mime: 'video/x-msvideo', signature: { magic: [{ at: 8, ascii: 'AVI ' }] } },
  flv: { group: 'video', mime: 'video/x-flv', signature: { magic: [{ ascii: 'FLV' }] } },
  wmv: { group: 'video', mime: 'video/x-ms-wmv', signature: ASF },
  ogv: { group: 'video', mime: 'video/ogg', signature: OGG },
  m4v: { group: 'video', mime: 'video/x-m4v', signature: ISO_MEDIA },
  mpeg: { group: 'video', mime: 'video/mpeg', signature: { magic: [{ hex: '000001ba' }, { hex: '000001b3' }] } },
  '3gp': { group: 'video', mime: 'video/3gpp', signature: ISO_MEDIA },
  ts: { group: 'video', mime: 'video/mp2t', signature: { magic: [{ hex: '47' }] } },
} as const satisfies Record<string, FormatInfo>;

export const VIDEO_ALIASES = { mpg: 'mpeg', mka: 'mkv', qt: 'mov' } as const;
