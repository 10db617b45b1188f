// The audio formats: each one's media type, and the other spellings users send for them.
import type { FormatInfo } from './format-info.js';
import { ASF, ISO_MEDIA, OGG } from './signatures.js';

export const AUDIO_FORMATS = {
  mp3: { group: 'audio', mime: 'audio/mpeg', signature: { magic: [{ ascii: 'ID3' }, { hex: 'fffb' }, { hex: 'fff3' }, { hex: 'fff2' }, { hex: 'ffe3' }, { hex: 'ffe2' }] } },
  aac: { group: 'audio', mime: 'audio/aac', signature: { magic: [{ hex: 'fff1' }, { hex: 'fff9' }, { ascii: 'ADIF' }, { ascii: 'ID3' }] } },
  m4a: { group: 'audio', mime: 'audio/mp4', signature: ISO_MEDIA },
  ogg: { group: 'audio', mime: 'audio/ogg', signature: OGG },
  oga: { group: 'audio', mime: 'audio/ogg', signature: OGG },
  opus: { group: 'audio', mime: 'audio/opus', signature: OGG },
  wav: { group: 'audio', mime: 'audio/wav', signature: { magic: [{ at: 8, ascii: 'WAVE' }] } },
  flac: { group: 'audio', mime: 'audio/flac', signature: { magic: [{ ascii: 'fLaC' }, { ascii: 'ID3' }] } },
  wma: { group: 'audio', mime: 'audio/x-ms-wma', signature: ASF },
  aiff: { group: 'audio', mime: 'audio/aiff', signature: { magic: [{ at: 8, ascii: 'AIFF' }, { at: 8, ascii: 'AIFC' }] } },
  ac3: { group: 'audio', mime: 'audio/ac3', signature: { magic: [{ hex: '0b77' }] } },
  amr: { group: 'audio', mime: 'audio/amr', signature: { magic: [{ ascii: '#!AMR' }] } },
} as const satisfies Record<string, FormatInfo>;

export const AUDIO_ALIASES = { aif: 'aiff' } as const;
