// The audio formats: each one's media type, and the other spellings users send for them.
import type { FormatInfo } from './format-info.js';

export const AUDIO_FORMATS = {
  mp3: { group: 'audio', mime: 'audio/mpeg' },
  aac: { group: 'audio', mime: 'audio/aac' },
  m4a: { group: 'audio', mime: 'audio/mp4' },
  ogg: { group: 'audio', mime: 'audio/ogg' },
  oga: { group: 'audio', mime: 'audio/ogg' },
  opus: { group: 'audio', mime: 'audio/opus' },
  wav: { group: 'audio', mime: 'audio/wav' },
  flac: { group: 'audio', mime: 'audio/flac' },
  wma: { group: 'audio', mime: 'audio/x-ms-wma' },
  aiff: { group: 'audio', mime: 'audio/aiff' },
  ac3: { group: 'audio', mime: 'audio/ac3' },
  amr: { group: 'audio', mime: 'audio/amr' },
} as const satisfies Record<string, FormatInfo>;

export const AUDIO_ALIASES = { aif: 'aiff' } as const;
