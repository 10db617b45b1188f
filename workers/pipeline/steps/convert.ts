// Step `convert`: run what the plan's mode asks for (workers/pipeline/modes/), then check that it
// made something.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { appError } from '../../../src/core/errors.js';
import { outputBaseName } from '../../../src/core/filenames.js';
import type { ConverterContext } from '../../converters/types.js';
import type { PipelineStep } from '../context.js';
import { jobTools } from '../job-tools.js';
import { runMode } from '../modes/index.js';

const MESSAGES = {
  convert: (format: string) => `Converting file to ${format}`,
  info: () => 'Reading file information',
  compress: () => 'Compressing file',
  combine: () => 'Combining files into one PDF',
  archive: (format: string) => `Creating ${format} archive`,
  extract: () => 'Extracting files from the archive',
  transfer: () => 'Transferring files',
  pdftool: () => 'Processing PDF',
  watermark: () => 'Adding the watermark',
  'metadata-write': () => 'Writing metadata',
  metadata: () => 'Reading metadata',
  command: () => 'Running the command',
} as const;

export const convert: PipelineStep = {
  step: 'convert',
  message: (ctx) => MESSAGES[ctx.plan.mode](ctx.plan.outputFormat ?? ''),
  async run(ctx) {
    if (ctx.state.inputPath === undefined) throw new Error('convert ran before input');
    const outputDir = path.join(ctx.workDir, 'output');
    await mkdir(outputDir);
    const context: ConverterContext = { workDir: ctx.workDir, signal: ctx.signal, log: ctx.log, progress: ctx.progress, tools: jobTools(ctx) };
    const outputName = outputBaseName(ctx.record.outputName ?? ctx.record.input?.name ?? '', 'file');
    await runMode(ctx, { outputDir, outputName, context });
    // A command may only print (ffprobe, identify with capture_output); info and metadata write no file.
    if (ctx.plan.mode !== 'info' && ctx.plan.mode !== 'metadata' && !(ctx.plan.mode === 'command' && ctx.plan.options.captureOutput) && (ctx.state.outputs === undefined || ctx.state.outputs.length === 0)) {
      throw appError('CONVERSION_FAILED', 'The converter produced no output file.');
    }
  },
};
