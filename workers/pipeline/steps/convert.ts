// Step `convert`: run the engine the plan chose (or its info reader for mode=info).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { appError } from '../../../src/core/errors.js';
import { cleanFilename } from '../../../src/core/filenames.js';
import type { ConverterContext } from '../../converters/types.js';
import type { PipelineStep } from '../context.js';

export const convert: PipelineStep = {
  step: 'convert',
  message: (ctx) => (ctx.plan.mode === 'info' ? 'Reading file information' : `Converting file to ${ctx.plan.outputFormat}`),
  async run(ctx) {
    const inputPath = ctx.state.inputPath;
    if (inputPath === undefined) throw new Error('convert ran before input');
    const context: ConverterContext = { workDir: ctx.workDir, signal: ctx.signal, log: ctx.log, progress: ctx.progress };
    const plan = ctx.plan;
    const outputDir = path.join(ctx.workDir, 'output');
    await mkdir(outputDir);
    const outputName = cleanFilename(ctx.record.input?.name ?? '', 'file');
    const request = { inputPath, inputFormat: plan.inputFormat, outputDir, outputName };
    const { converters, infoReaders } = ctx.services.engines;
    // Each engine is its own case, so the compiler checks that its options type matches.
    if (plan.mode === 'info') {
      const result =
        plan.engine === 'sharp' ? await infoReaders.sharp.info({ ...request, options: plan.options }, context) : await infoReaders.ffmpeg.info({ ...request, options: plan.options }, context);
      ctx.state.info = result.info;
      ctx.state.outputs = result.outputs;
      return;
    }
    switch (plan.engine) {
      case 'sharp':
        ctx.state.outputs = await converters.sharp.convert({ ...request, outputFormat: plan.outputFormat, options: plan.options }, context);
        break;
      case 'ffmpeg':
        ctx.state.outputs = await converters.ffmpeg.convert({ ...request, outputFormat: plan.outputFormat, options: plan.options }, context);
        break;
      case 'libreoffice':
        ctx.state.outputs = await converters.libreoffice.convert({ ...request, outputFormat: plan.outputFormat, options: plan.options }, context);
        break;
      case 'mupdf':
        ctx.state.outputs = await converters.mupdf.convert({ ...request, outputFormat: plan.outputFormat, options: plan.options }, context);
        break;
    }
    if (ctx.state.outputs === undefined || ctx.state.outputs.length === 0) throw appError('CONVERSION_FAILED', 'The converter produced no output file.');
  },
};
