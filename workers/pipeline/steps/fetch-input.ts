// Step `input`: bring the input file into the job's folder.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { appError } from '../../../src/core/errors.js';
import { cleanFilename } from '../../../src/core/filenames.js';
import type { PipelineStep } from '../context.js';

export const fetchInput: PipelineStep = {
  step: 'input',
  message: (ctx) => (ctx.record.inputSource?.kind === 'download' ? 'Downloading input file' : 'Preparing input file'),
  async run(ctx) {
    const source = ctx.record.inputSource;
    if (source === undefined) throw appError('INPUT_UNAVAILABLE', 'The process has no input file.');
    const dir = path.join(ctx.workDir, 'input');
    await mkdir(dir);
    const filename = cleanFilename(ctx.record.input?.filename ?? '', `file.${ctx.plan.inputFormat}`);
    const destination = path.join(dir, filename);
    const context = { signal: ctx.signal, maxBytes: ctx.maxInputBytes };
    if (source.kind === 'stored') await ctx.services.inputs.stored.fetch(source, destination, context);
    else await ctx.services.inputs.download.fetch(source, destination, context);
    ctx.state.inputPath = destination;
  },
};
