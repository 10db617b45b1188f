// Step `input`: bring the input file into the job's folder.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { appError } from '../../../src/core/errors.js';
import { cleanFilename } from '../../../src/core/filenames.js';
import { describeTarget } from '../../../src/core/remote/locations.js';
import { fetchInputFile } from '../../inputs/index.js';
import type { PipelineStep } from '../context.js';

export const fetchInput: PipelineStep = {
  step: 'input',
  message: (ctx) => {
    const source = ctx.record.inputSource;
    if (source?.kind === 's3' || source?.kind === 'ftp') return `Downloading input file from ${describeTarget(source)}`;
    return source?.kind === 'download' ? 'Downloading input file' : 'Preparing input file';
  },
  async run(ctx) {
    const source = ctx.record.inputSource;
    if (source === undefined) throw appError('INPUT_UNAVAILABLE', 'The process has no input file.');
    const dir = path.join(ctx.workDir, 'input');
    await mkdir(dir);
    const filename = cleanFilename(ctx.record.input?.filename ?? '', `file.${ctx.plan.inputFormat}`);
    const destination = path.join(dir, filename);
    // Credentials of S3 and FTP inputs live beside the record, not in it.
    const secret = source.kind === 's3' || source.kind === 'ftp' ? (await ctx.services.secrets.get(ctx.record.id)).input : undefined;
    const context = { signal: ctx.signal, maxBytes: ctx.maxInputBytes, ...(secret === undefined ? {} : { secret }) };
    // A website is captured by its engine, not downloaded here: its "file" holds the URL.
    if (ctx.plan.inputFormat === 'website' && source.kind === 'download') await writeFile(destination, source.url);
    else await fetchInputFile(ctx.services.inputs, source, destination, context);
    ctx.state.inputPath = destination;
  },
};
