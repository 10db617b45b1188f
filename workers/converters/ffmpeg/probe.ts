// Pure: ffprobe's JSON to the `info` object of the status, and the facts the engine checks.
export interface ProbeJson {
  readonly format?: Record<string, unknown>;
  readonly streams?: ReadonlyArray<Record<string, unknown>>;
}

const num = (value: unknown): number | null => {
  if (value === undefined || value === null || value === '' || value === 'N/A') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
};

/** "30000/1001" → 29.97 */
function rate(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const [a, b] = value.split('/').map(Number);
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return num(value);
  return a === 0 ? null : Math.round((a / b) * 1000) / 1000;
}

export interface MediaFacts {
  readonly duration: number;
  readonly hasVideo: boolean;
  readonly width: number | null;
  readonly height: number | null;
}

export function mediaFacts(probe: ProbeJson): MediaFacts {
  const video = probe.streams?.find((s) => s['codec_type'] === 'video' && (s['disposition'] as Record<string, unknown> | undefined)?.['attached_pic'] !== 1);
  // A counted length (raw streams, probed with -count_packets) comes first: the MPEG video reader's
  // own duration is a guess from the header's bit rate (0.002 s for a 1 s MPEG-1 stream).
  return { duration: countedDuration(video) ?? num(probe.format?.['duration']) ?? 0, hasVideo: video !== undefined, width: num(video?.['width']), height: num(video?.['height']) };
}

/** A raw video stream's length from its counted frames (ffprobe -count_packets) and frame rate. */
function countedDuration(video: Record<string, unknown> | undefined): number | null {
  const frames = num(video?.['nb_read_packets']);
  const fps = rate(video?.['r_frame_rate']) ?? rate(video?.['avg_frame_rate']);
  return frames === null || fps === null ? null : frames / fps;
}

export function describeMedia(probe: ProbeJson): Record<string, unknown> {
  const format = probe.format ?? {};
  return {
    format: format['format_name'] ?? null,
    duration: num(format['duration']),
    bit_rate: num(format['bit_rate']),
    size: num(format['size']),
    streams: (probe.streams ?? []).map((s) => ({
      index: num(s['index']),
      type: s['codec_type'] ?? null,
      codec: s['codec_name'] ?? null,
      width: num(s['width']),
      height: num(s['height']),
      fps: s['codec_type'] === 'video' ? rate(s['avg_frame_rate']) ?? rate(s['r_frame_rate']) : null,
      sample_rate: num(s['sample_rate']),
      channels: num(s['channels']),
      bit_rate: num(s['bit_rate']),
      duration: num(s['duration']),
    })),
  };
}
