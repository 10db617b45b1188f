// The audio/video engine: ffmpeg and ffprobe from the OS package, run as child processes.
// Conversions between the common formats, thumbnails, and mode=info (with optional thumbnails).
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Format } from '../../../src/core/catalog/index.js';
import { appError, AppError } from '../../../src/core/errors.js';
import { ToolError } from '../../tools/run-tool.js';
import type { CommandRunner, ConvertRequest, Converter, ConverterContext, InfoReader, InfoRequest, InfoResult, OutputFile } from '../types.js';
import { buildConvertArgs, buildProbeArgs, buildRawCommandArgs, buildThumbnailArgs, fileOnlyCommandArgs, expectedDuration, parseTime, thumbnailSeek, thumbnailTimes, type MediaInput } from './command.js';
import { describeFormatRefusal } from './demuxers.js';
import { describeMedia, mediaFacts, type MediaFacts, type ProbeJson } from './probe.js';
import { ProgressParser } from './progress.js';

export interface MediaEngineSettings {
  readonly ffmpeg: string;
  readonly ffprobe: string;
  /** The raw `command` option runs only when the operator enabled it. */
  readonly allowCommand: boolean;
  readonly maxDurationSeconds: number;
  readonly maxWidth: number;
  readonly maxHeight: number;
}

/** The most stdout a command's result keeps (capture_output). */
const COMMAND_OUTPUT_BYTES = 64 * 1024;

const reason = (error: ToolError): string => {
  const lines = error.stderrTail.trim().split('\n').filter((l) => l.trim() !== '');
  return (lines.pop() ?? `exit code ${error.exitCode}`).replace(/^\S*file:[^:]*:\s*/, '').slice(0, 300);
};

function failure(error: unknown, what: string, signal: AbortSignal, input: MediaInput): unknown {
  if (signal.aborted || error instanceof AppError) return error;
  if (error instanceof ToolError) return appError('CONVERSION_FAILED', describeFormatRefusal(error.stderrTail, input.format) ?? `${what}: ${reason(error)}`);
  return error;
}

interface ThumbnailJob {
  readonly input: MediaInput;
  readonly facts: MediaFacts;
  readonly count: number;
  readonly size: string | null;
  readonly format: 'png' | 'jpg';
  readonly from: string | null;
  readonly to: string | null;
  readonly outputDir: string;
  readonly outputName: string;
}

export function createMediaEngine(settings: MediaEngineSettings): Converter<'ffmpeg'> & InfoReader<'ffmpeg'> & CommandRunner {
  async function probe(input: MediaInput, context: ConverterContext): Promise<ProbeJson> {
    try {
      const { stdout } = await context.tools.run(settings.ffprobe, buildProbeArgs(input), { signal: context.signal });
      return JSON.parse(stdout) as ProbeJson;
    } catch (error) {
      throw failure(error, 'The file could not be read as audio or video', context.signal, input);
    }
  }

  function checkLimits(facts: MediaFacts): void {
    if (facts.duration > settings.maxDurationSeconds) {
      throw appError('CONVERSION_FAILED', `The file is ${Math.round(facts.duration)} s long; this server converts at most ${settings.maxDurationSeconds} s (MEDIA_MAX_DURATION_SECONDS).`);
    }
    if ((facts.width ?? 0) > settings.maxWidth || (facts.height ?? 0) > settings.maxHeight) {
      throw appError('CONVERSION_FAILED', `The video is ${facts.width}x${facts.height}; this server accepts at most ${settings.maxWidth}x${settings.maxHeight} (MEDIA_MAX_WIDTH, MEDIA_MAX_HEIGHT).`);
    }
  }

  /** Runs ffmpeg; `duration()` gives the expected output length for progress once known. */
  async function ffmpeg(args: string[], signal: AbortSignal, context: ConverterContext, duration: () => number): Promise<void> {
    const parser = new ProgressParser();
    const onStdout = (chunk: string): void => {
      const seconds = parser.push(chunk);
      const total = duration();
      if (seconds !== undefined && total > 0) context.progress(Math.min(99, (seconds / total) * 100));
    };
    await context.tools.run(settings.ffmpeg, args, { signal, onStdout });
  }

  async function thumbnails(job: ThumbnailJob, context: ConverterContext): Promise<OutputFile[]> {
    if (!job.facts.hasVideo) throw appError('CONVERSION_FAILED', 'The file has no video stream to take thumbnails from.');
    const times = thumbnailTimes(job.facts.duration, job.count, job.from === null ? 0 : parseTime(job.from), job.to === null ? undefined : parseTime(job.to));
    const outputs: OutputFile[] = [];
    for (const [i, seconds] of times.entries()) {
      const name = times.length === 1 ? `${job.outputName}.${job.format}` : `${job.outputName}-${i + 1}.${job.format}`;
      const file = path.join(job.outputDir, name);
      // ffmpeg exits 0 without writing when there is no frame at that instant; a jump that
      // landed past the last keyframe is retried decoding from the start.
      const wrote = async (fromStart: boolean): Promise<boolean> => {
        await context.tools.run(settings.ffmpeg, buildThumbnailArgs(job.input, file, seconds, job.format, job.size, fromStart), { signal: context.signal });
        return stat(file).then((s) => s.size > 0, () => false);
      };
      const jumped = thumbnailSeek(job.input.format, seconds).input > 0;
      if (!(await wrote(false)) && !(jumped && (await wrote(true)))) throw appError('CONVERSION_FAILED', `ffmpeg found no video frame at ${seconds.toFixed(2)} s for a thumbnail.`);
      outputs.push({ path: file, name });
      context.progress(((i + 1) / times.length) * 100);
    }
    return outputs;
  }

  return {
    async convert(request: ConvertRequest<'ffmpeg'>, context: ConverterContext): Promise<readonly OutputFile[]> {
      const o = request.options;
      const format: Format = request.outputFormat;
      const input: MediaInput = { path: request.inputPath, format: request.inputFormat };
      if (format === 'png' || format === 'jpg') {
        const facts = mediaFacts(await probe(input, context));
        checkLimits(facts);
        const job = { input, facts, count: o.thumbnail_count ?? 1, size: o.thumbnail_size, format, from: o.trim_from, to: o.trim_to, outputDir: request.outputDir, outputName: request.outputName } as const;
        return thumbnails(job, context).catch((error: unknown) => Promise.reject(failure(error, 'ffmpeg could not take thumbnails', context.signal, input)));
      }
      if (o.command !== null && !settings.allowCommand) throw appError('INVALID_OPTION', 'The command option is disabled on this server (the operator can enable it with FFMPEG_ALLOW_COMMAND=true).');
      const name = `${request.outputName}.${format}`;
      const output = path.join(request.outputDir, name);
      const args = o.command !== null ? buildRawCommandArgs(o.command, input, output) : buildConvertArgs(input, output, format, o);
      // ffprobe runs beside ffmpeg, not before it: its duration only feeds progress, and a file
      // over the limits stops ffmpeg as soon as the probe says so.
      const overLimit = new AbortController();
      const signal = AbortSignal.any([context.signal, overLimit.signal]);
      let expected = 0;
      const probing = probe(input, context).then((probed) => {
        const facts = mediaFacts(probed);
        try {
          checkLimits(facts);
        } catch (error) {
          overLimit.abort(error);
        }
        expected = expectedDuration(facts.duration, o);
      });
      probing.catch(() => undefined); // awaited below; no unhandled rejection meanwhile
      try {
        await ffmpeg(args, signal, context, () => expected);
      } catch (error) {
        if (overLimit.signal.aborted) throw overLimit.signal.reason;
        // A file ffprobe cannot read fails here too; the probe's reason is the clearer one.
        await probing;
        throw failure(error, 'ffmpeg could not convert the file', context.signal, input);
      }
      await probing.catch(() => undefined);
      if (overLimit.signal.aborted) throw overLimit.signal.reason;
      // ffmpeg succeeds with an empty file when the input had nothing to write (a subtitle file without a cue).
      if ((await stat(output).then((s) => s.size, () => 0)) === 0) throw appError('CONVERSION_FAILED', `ffmpeg wrote an empty ${format} file: the input has no ${format === 'srt' || format === 'vtt' || format === 'ass' ? 'subtitle cue' : 'stream'} it could read. Check that the file has content in its declared format.`);
      return [{ path: output, name }];
    },

    async info(request: InfoRequest<'ffmpeg'>, context: ConverterContext): Promise<InfoResult> {
      const input: MediaInput = { path: request.inputPath, format: request.inputFormat };
      const probed = await probe(input, context);
      const info = describeMedia(probed);
      const count = request.options.thumbnail_count;
      if (count === null) return { info };
      const job = { input, facts: mediaFacts(probed), count, size: request.options.thumbnail_size, format: request.options.thumbnail_format ?? 'jpg', from: null, to: null, outputDir: request.outputDir, outputName: request.outputName } as const;
      try {
        return { info, outputs: await thumbnails(job, context) };
      } catch (error) {
        throw failure(error, 'ffmpeg could not take thumbnails', context.signal, input);
      }
    },
    async runCommand(request, context) {
      const binary = request.command === 'ffprobe' ? settings.ffprobe : settings.ffmpeg;
      try {
        const result = await context.tools.run(binary, fileOnlyCommandArgs(request.command, request.args), { signal: context.signal, maxStdout: COMMAND_OUTPUT_BYTES });
        return { stdout: result.stdout, stderr: result.stderrTail };
      } catch (error) {
        if (context.signal.aborted || !(error instanceof ToolError)) throw error;
        throw appError('CONVERSION_FAILED', `${request.command} failed: ${reason(error)}`);
      }
    },
  };
}
