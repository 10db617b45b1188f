// Step `input`: bring the input file(s) into the job's folder. Several inputs (mode=combine,
// archive) are fetched in the client's order, each into a folder of its own, within one size
// limit for all of them together. A listing (API v2's prefix imports) is listed first and then
// fetched like several inputs.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { normalizeFormat } from '../../../src/core/catalog/index.js';
import { appError } from '../../../src/core/errors.js';
import { cleanFilename, splitFilename } from '../../../src/core/filenames.js';
import type { NamedInput } from '../../../src/core/process/record.js';
import { describeListing } from '../../../src/core/remote/listings.js';
import { carriesCredentials, describeTarget } from '../../../src/core/remote/locations.js';
import type { InputFile } from '../../converters/types.js';
import { expandListing, fetchInputFile } from '../../inputs/index.js';
import type { PipelineContext, PipelineStep } from '../context.js';
import { assertInputSignatures } from '../input-signatures.js';

function describeSource(ctx: PipelineContext): string {
  const source = ctx.record.inputSource;
  if (source?.kind === 'listing') return `Fetching the files ${describeListing(source)}`;
  if (source?.kind === 'many') return `Fetching ${source.files.length} input files`;
  if (source !== undefined && carriesCredentials(source)) return `Downloading input file from ${describeTarget(source)}`;
  return source?.kind === 'download' ? 'Downloading input file' : 'Preparing input file';
}

export const fetchInput: PipelineStep = {
  step: 'input',
  message: describeSource,
  async run(ctx) {
    const source = ctx.record.inputSource;
    if (source === undefined) throw appError('INPUT_UNAVAILABLE', 'The process has no input file.');
    const dir = path.join(ctx.workDir, 'input');
    await mkdir(dir);
    const single: NamedInput | undefined = source.kind === 'many' || source.kind === 'listing' ? undefined : { source, filename: cleanFilename(ctx.record.input?.filename ?? '', ctx.plan.inputFormat === undefined ? 'file' : `file.${ctx.plan.inputFormat}`) };
    // Credentials of S3, FTP, SFTP and cloud inputs live beside the record, not in it.
    const remote = source.kind === 'listing' || (source.kind === 'many' ? source.files.some((e) => carriesCredentials(e.source)) : single !== undefined && carriesCredentials(single.source));
    const secret = remote ? (await ctx.services.secrets.get(ctx.record.id)).input : undefined;
    const entries =
      source.kind === 'listing' ? await expandListing(ctx.services.listers, source, { signal: ctx.signal, maxBytes: ctx.maxInputBytes, ...(secret === undefined ? {} : { secret }) })
      : source.kind === 'many' ? source.files
      : single === undefined ? [] : [single];
    const inputs: InputFile[] = [];
    let budget = ctx.maxInputBytes;
    for (const [index, entry] of entries.entries()) {
      ctx.signal.throwIfAborted();
      const folder = single === undefined ? path.join(dir, String(index + 1)) : dir;
      if (single === undefined) await mkdir(folder);
      const name = cleanFilename(entry.filename, `file-${index + 1}`);
      const destination = path.join(folder, name);
      const context = { signal: ctx.signal, maxBytes: budget, ...(secret === undefined ? {} : { secret }) };
      // A website is captured by its engine, not downloaded here: its "file" holds the URL.
      if (ctx.plan.inputFormat === 'website' && entry.source.kind === 'download') await writeFile(destination, entry.source.url);
      else budget -= await fetchInputFile(ctx.services.inputs, entry.source, destination, context);
      inputs.push({ path: destination, name, format: normalizeFormat(splitFilename(name).ext) });
      if (entries.length > 1) ctx.progress(((index + 1) / entries.length) * 100);
    }
    await assertInputSignatures(ctx.plan, inputs);
    ctx.state.inputs = inputs;
    ctx.state.inputPath = inputs[0]?.path;
  },
};
