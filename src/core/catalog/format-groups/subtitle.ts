// The subtitle formats: each one's media type, how its files start, and the other spellings users
// send for them. All are text; WebVTT and ASS have a fixed first line (after an optional UTF-8 BOM).
import type { FormatInfo } from './format-info.js';

const BOM = 'efbbbf';
const hexOf = (text: string): string => Buffer.from(text, 'latin1').toString('hex');

export const SUBTITLE_FORMATS = {
  srt: { group: 'subtitle', mime: 'application/x-subrip', signature: { text: true } },
  vtt: { group: 'subtitle', mime: 'text/vtt', signature: { magic: [{ ascii: 'WEBVTT' }, { hex: BOM + hexOf('WEBVTT') }] } },
  ass: { group: 'subtitle', mime: 'text/x-ssa', signature: { magic: [{ ascii: '[Script Info]' }, { hex: BOM + hexOf('[Script Info]') }] } },
  /** MicroDVD ({start frame}{end frame}text); read only: ffmpeg has no MicroDVD encoder. */
  sub: { group: 'subtitle', mime: 'text/x-microdvd', signature: { text: true } },
  /** LRC lyrics ([mm:ss.xx]text lines, [tag:value] headers). */
  lrc: { group: 'subtitle', mime: 'application/x-lrc', signature: { text: true } },
} as const satisfies Record<string, FormatInfo>;

/**
 * SSA (SubStation Alpha v4) is read by the same reader as ASS, and ffmpeg writes only ASS (v4.00+),
 * so an `ssa` request is served as `ass`.
 */
export const SUBTITLE_ALIASES = { ssa: 'ass', webvtt: 'vtt' } as const;
