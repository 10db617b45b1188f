// Audio/video fixtures made at test time with ffmpeg's lavfi sources, and ffprobe for checks.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Fails with a message saying how to install ffmpeg when it is missing. */
export async function requireFfmpeg(): Promise<void> {
  try {
    await run('ffmpeg', ['-version']);
    await run('ffprobe', ['-version']);
  } catch {
    throw new Error('ffmpeg/ffprobe are not installed: run `bash scripts/setup.sh` (apt-get install ffmpeg).');
  }
}

/** A test-pattern video with a sine tone: `seconds` long, WxH, H.264/AAC in MP4 by default. */
export async function makeVideo(file: string, options: { seconds?: number; size?: string; fps?: number; audio?: boolean; args?: string[] } = {}): Promise<void> {
  const { seconds = 2, size = '320x240', fps = 25, audio = true, args = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac'] } = options;
  await run('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc=duration=${seconds}:size=${size}:rate=${fps}`,
    ...(audio ? ['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}:sample_rate=44100`, '-ac', '2'] : []),
    ...args, '-shortest', file,
  ]);
}

/** A sine tone: `seconds` long, stereo 44.1 kHz, in the format of the file's extension. */
export async function makeAudio(file: string, seconds = 2): Promise<void> {
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}:sample_rate=44100`, '-ac', '2', file]);
}

export interface Probe {
  readonly format: { format_name: string; duration: string; bit_rate?: string };
  readonly streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number; channels?: number; sample_rate?: string; bit_rate?: string; avg_frame_rate?: string }>;
}

export async function probe(file: string): Promise<Probe> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]);
  return JSON.parse(stdout) as Probe;
}

export const stream = (p: Probe, type: 'video' | 'audio') => p.streams.find((s) => s.codec_type === type);
