// The audio formats: each one's media type, how its files start, and the other spellings users
// send for them.
import type { FormatInfo } from './format-info.js';
import { ASF, ISO_MEDIA, OGG } from './signatures.js';

/** An ID3v2 tag, which may precede the frames of raw audio streams. */
const ID3 = { ascii: 'ID3' } as const;

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
  /** Audiobook: AAC in an ISO media file (the `ftyp` box at byte 4). */
  m4b: { group: 'audio', mime: 'audio/mp4', signature: { magic: [{ at: 4, ascii: 'ftyp' }] } },
  caf: { group: 'audio', mime: 'audio/x-caf', signature: { magic: [{ ascii: 'caff' }] } },
  /** Matroska audio: the EBML header. */
  mka: { group: 'audio', mime: 'audio/x-matroska', signature: { magic: [{ hex: '1a45dfa3' }] } },
  /** MPEG-1/2 Layer II frames (sync word with layer bits 10), or an ID3 tag first. */
  mp2: { group: 'audio', mime: 'audio/mpeg', signature: { magic: [ID3, ...['fffd', 'fffc', 'fff5', 'fff4', 'ffe5', 'ffe4'].map((hex) => ({ hex }))] } },
  /** DTS core sync words: 16-bit and 14-bit, big- and little-endian; or a DTS-HD file header. */
  dts: { group: 'audio', mime: 'audio/vnd.dts', signature: { magic: [{ hex: '7ffe8001' }, { hex: 'fe7f0180' }, { hex: '1fffe800' }, { hex: 'ff1f00e8' }, { ascii: 'DTSHDHDR' }] } },
  /** Speex in Ogg. */
  spx: { group: 'audio', mime: 'audio/ogg', signature: { magic: [{ ascii: 'OggS' }] } },
  au: { group: 'audio', mime: 'audio/basic', signature: { magic: [{ ascii: '.snd' }] } },
  wv: { group: 'audio', mime: 'audio/x-wavpack', signature: { magic: [{ ascii: 'wvpk' }] } },
  /** True Audio; read only. */
  tta: { group: 'audio', mime: 'audio/x-tta', signature: { magic: [{ ascii: 'TTA1' }, ID3] } },
  /** Sony Wave64: RIFF with 64-bit sizes (its header GUID), PCM. */
  w64: { group: 'audio', mime: 'audio/x-w64', signature: { magic: [{ hex: '726966662e91cf11a5d628db04c10000' }] } },
  /** Creative Voice: 8-bit PCM. */
  voc: { group: 'audio', mime: 'audio/x-voc', signature: { magic: [{ ascii: 'Creative Voice File\x1a' }] } },
} as const satisfies Record<string, FormatInfo>;

/** AIFF-C (aifc) files are read by the AIFF reader (the aiff signature admits both), so aifc is served as aiff. */
export const AUDIO_ALIASES = { aif: 'aiff', aifc: 'aiff', snd: 'au', m2a: 'mp2' } as const;
