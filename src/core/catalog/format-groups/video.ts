// The video formats: each one's media type, how its files start, and the other spellings users
// send for them.
import type { FormatInfo } from './format-info.js';
import { ASF, EBML, ISO_MEDIA, OGG } from './signatures.js';

/** ISO media (MP4 family): the `ftyp` box at byte 4. */
const FTYP = { magic: [{ at: 4, ascii: 'ftyp' }] } as const;
/** MPEG program stream: a pack header. */
const MPEG_PS = { magic: [{ hex: '000001ba' }] } as const;
/** BDAV MPEG-2 transport stream: 188-byte packets (sync byte 0x47) after a 4-byte time code. */
const BDAV = { magic: [{ at: 4, hex: '47' }] } as const;
/**
 * Annex B elementary streams: a start code (four or three bytes), then the first NAL unit's
 * header, which is what tells them from an MPEG program stream (000001ba): an access unit
 * delimiter or the parameter set a stream starts with.
 */
const annexB = (headers: readonly string[]): { readonly magic: readonly { readonly hex: string }[] } => ({ magic: headers.flatMap((h) => [{ hex: `00000001${h}` }, { hex: `000001${h}` }]) });
/** H.264: access unit delimiter (9), or a sequence parameter set (7) with nal_ref_idc 1 to 3. */
const H264 = annexB(['09', '27', '47', '67']);
/** HEVC: access unit delimiter (35) or video parameter set (32), two-byte headers. */
const HEVC = annexB(['4601', '4001']);
const REALMEDIA = { magic: [{ ascii: '.RMF' }] } as const;

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
  vob: { group: 'video', mime: 'video/dvd', signature: MPEG_PS },
  /** AVCHD / Blu-ray transport streams (192-byte packets). */
  mts: { group: 'video', mime: 'video/mp2t', signature: BDAV },
  m2ts: { group: 'video', mime: 'video/mp2t', signature: BDAV },
  f4v: { group: 'video', mime: 'video/x-f4v', signature: FTYP },
  asf: { group: 'video', mime: 'video/x-ms-asf', signature: { magic: [{ hex: '3026b2758e66cf11a6d900aa0062ce6c' }] } },
  /** MXF: the SMPTE universal label that starts its header partition. */
  mxf: { group: 'video', mime: 'application/mxf', signature: { magic: [{ hex: '060e2b34' }] } },
  /** DV: the DIF header block of the first sequence. */
  dv: { group: 'video', mime: 'video/x-dv', signature: { magic: [{ hex: '1f0700' }] } },
  y4m: { group: 'video', mime: 'video/x-yuv4mpeg', signature: { magic: [{ ascii: 'YUV4MPEG2' }] } },
  /** Raw H.264 / HEVC elementary streams (Annex B); read only. */
  h264: { group: 'video', mime: 'video/h264', signature: H264 },
  hevc: { group: 'video', mime: 'video/h265', signature: HEVC },
  /** RealMedia (rmvb: the same container with variable bit rate); read only. */
  rm: { group: 'video', mime: 'application/vnd.rn-realmedia', signature: REALMEDIA },
  rmvb: { group: 'video', mime: 'application/vnd.rn-realmedia-vbr', signature: REALMEDIA },
  /** NUT: its main startcode's file id string. */
  nut: { group: 'video', mime: 'video/x-nut', signature: { magic: [{ ascii: 'nut/multimedia container\0' }] } },
} as const satisfies Record<string, FormatInfo>;

export const VIDEO_ALIASES = { mpg: 'mpeg', qt: 'mov', h265: 'hevc' } as const;
