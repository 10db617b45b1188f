// The format matrix's part for the second round of ffmpeg formats (issue 18): samples of 1 s made by
// ffmpeg at test time, and checks by content with ffprobe (the container's format name, its streams
// against the sample's, the codec the format fixes, the cue count of LRC), as in media-extra.ts.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FormatPart, OutputCheck, SampleMaker } from '../types.js';
import { assertStartsWith } from '../content.js';
import { ffmpegSample, mediaCheck } from './media-extra.js';

const run = promisify(execFile);

const PICTURE = ['-f', 'lavfi', '-i', 'testsrc=duration=1:size=160x120:rate=25'];
const TONE = ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1:sample_rate=44100', '-ac', '2'];

const audio = (name: string, args: readonly string[]): SampleMaker => ffmpegSample(name, TONE, args);
const video = (name: string, args: readonly string[]): SampleMaker => ffmpegSample(name, [...PICTURE, ...TONE], [...args, '-shortest']);

/** Three cues, written as SubRip and turned into LRC by ffmpeg. */
const SRT = '1\n00:00:00,000 --> 00:00:01,000\nHello\n\n2\n00:00:01,200 --> 00:00:02,000\nWorld\n\n3\n00:00:02,500 --> 00:00:03,000\nThird line\n';

const lrcSample: SampleMaker = async (dir) => {
  const srt = path.join(dir, 'lyrics-source.srt');
  await writeFile(srt, SRT);
  return ffmpegSample('lyrics.lrc', ['-i', srt], ['-c:s', 'text', '-f', 'lrc'])(dir);
};

/** The file starts with these bytes (the signature the catalog declares). */
const starts = (bytes: string | Buffer) => async (file: string): Promise<void> => {
  await assertStartsWith(file, bytes);
};

/** LRC: text whose cue lines ffprobe reads back, as many as the sample had. */
const lrcCheck: OutputCheck = async (files, pair) => {
  assert.equal(files.length, 1, 'one output file');
  const file = files[0] ?? '';
  const text = (await readFile(file)).toString('utf8');
  assert.ok(!text.includes('\0'), 'LRC is text');
  assert.match(text, /^\[\d{2}:\d{2}\.\d{2}\]\S/m, 'a timed lyrics line');
  const cues = async (f: string): Promise<number> => {
    const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', 's:0', '-show_packets', '-print_format', 'json', f]);
    return ((JSON.parse(stdout) as { packets?: unknown[] }).packets ?? []).length;
  };
  const { stdout } = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', file]);
  assert.equal((JSON.parse(stdout) as { format: { format_name: string } }).format.format_name, 'lrc');
  const [got, expected] = await Promise.all([cues(file), cues(pair.sample)]);
  assert.ok(got > 0 && got === expected, `cue count ${got}, expected ${expected}`);
};

const VIDEO = { video: true, audio: true } as const;
const AUDIO = { video: false, audio: true } as const;

export const MEDIA_MORE_PART: FormatPart = {
  name: 'media-more (more ffmpeg containers, LRC)',
  tools: ['ffmpeg', 'ffprobe'],
  samples: {
    nut: video('clip.nut', ['-c:v', 'ffv1', '-c:a', 'pcm_s16le', '-f', 'nut']),
    lrc: lrcSample,
    w64: audio('tone.w64', ['-c:a', 'pcm_s16le', '-f', 'w64']),
    voc: audio('tone.voc', ['-c:a', 'pcm_u8', '-f', 'voc']),
  },
  checks: {
    nut: mediaCheck({ format: 'nut', ...VIDEO, extra: starts('nut/multimedia container\0') }),
    lrc: lrcCheck,
    w64: mediaCheck({ format: 'w64', ...AUDIO, extra: starts(Buffer.from('726966662e91cf11a5d628db04c10000', 'hex')) }),
    voc: mediaCheck({ format: 'voc', ...AUDIO, extra: starts('Creative Voice File\x1a') }),
  },
};
