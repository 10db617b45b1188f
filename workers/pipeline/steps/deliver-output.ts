// Step `output` (second part): upload the output files to where the `output` parameter says
// (S3, FTP, a cloud drive), after they are stored here, so output.url keeps working too. The
// status then says where they went (output.storage).
import { stat } from 'node:fs/promises';
import { carriesCredentials, describeTarget } from '../../../src/core/remote/locations.js';
import { deliverOutputs } from '../../outputs/index.js';
import type { PipelineStep } from '../context.js';

export const deliverOutput: PipelineStep = {
  step: 'output',
  message: (ctx) => (ctx.record.outputTarget === undefined ? '' : `Uploading output files to ${describeTarget(ctx.record.outputTarget)}`),
  skip: (ctx) => ctx.record.outputTarget === undefined || (ctx.state.outputs ?? []).length === 0,
  async run(ctx) {
    const target = ctx.record.outputTarget;
    const stored = ctx.state.stored;
    if (target === undefined || stored === undefined) throw new Error('deliver-output ran before store-output');
    const files = await Promise.all((ctx.state.outputs ?? []).map(async (f) => ({ name: f.name, path: f.path, size: (await stat(f.path)).size })));
    const total = files.reduce((sum, f) => sum + f.size, 0);
    // Credentials of S3 and FTP targets live beside the record, not in it.
    const secret = carriesCredentials(target) ? (await ctx.services.secrets.get(ctx.record.id)).output : undefined;
    const delivered = await deliverOutputs(ctx.services.outputs, target, files, {
      signal: ctx.signal,
      ...(secret === undefined ? {} : { secret }),
      progress: (bytes) => ctx.progress(total === 0 ? 100 : (bytes / total) * 100),
      log: ctx.log,
    });
    ctx.state.stored = { ...stored, storage: delivered };
    ctx.log.info({ target: delivered.type, files: delivered.files.length }, 'outputs delivered');
  },
};
