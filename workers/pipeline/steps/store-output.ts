// Step `output`: put the output files into the file store; several files also as one ZIP. The ZIP
// is written by the archive engine (bsdtar, a child process, so the worker's event loop stays
// free), stored without compression when every file is in a compressed format already.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { normalizeFormat } from '../../../src/core/catalog/index.js';
import { splitFilename } from '../../../src/core/filenames.js';
import { storageKeys } from '../../../src/core/storage/file-store.js';
import type { InputFile, OutputFile } from '../../converters/types.js';
import type { PipelineContext, PipelineStep } from '../context.js';
import { jobTools } from '../job-tools.js';

/** Formats that are compressed already: deflating them again costs CPU and saves nothing. */
const COMPRESSED = /\.(?:png|jpe?g|webp|gif|avif|heif|tiff?|mp[34]|m4[av]|webm|mkv|ogg|opus|aac|flac|pdf|docx|xlsx|pptx|odt|ods|odp|epub|zip|7z|gz|bz2|xz)$/i;

/** The outputs as one ZIP in a folder of its own; returns its path. */
async function zip(ctx: PipelineContext, files: readonly OutputFile[]): Promise<string> {
  const outputDir = path.join(ctx.workDir, 'zip');
  await mkdir(outputDir);
  const inputs: InputFile[] = files.map((f) => ({ path: f.path, name: f.name, format: normalizeFormat(splitFilename(f.name).ext) }));
  // Level 0 is "stored" in libarchive's zip writer; null keeps its default deflate.
  const level = files.every((f) => COMPRESSED.test(f.name)) ? 0 : null;
  const context = { workDir: ctx.workDir, signal: ctx.signal, log: ctx.log, progress: () => undefined, tools: jobTools(ctx) };
  const archive = await ctx.services.engines.archiver.archive({ inputs, outputFormat: 'zip', options: { compression_level: level }, outputDir, outputName: 'output' }, context);
  return archive.path;
}

export const storeOutput: PipelineStep = {
  step: 'output',
  message: () => 'Storing output files',
  skip: (ctx) => (ctx.state.outputs ?? []).length === 0, // mode=info without thumbnails
  async run(ctx) {
    const files = ctx.state.outputs ?? [];
    const { store } = ctx.services;
    const id = ctx.record.id;
    const single = files.length === 1 ? files[0] : undefined;
    if (single !== undefined) {
      const { size } = await store.putFile(storageKeys.output(id, single.name), single.path);
      ctx.state.stored = { filename: single.name, ext: splitFilename(single.name).ext, size };
      return;
    }
    // The ZIP is made while the files are being stored; both finish (or fail) before the step
    // ends, so nothing still writes after a failure has removed the job's folder.
    const zipping = zip(ctx, files);
    const settled = await Promise.allSettled([zipping, ...files.map((f) => store.putFile(storageKeys.output(id, f.name), f.path))]);
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    const archivePath = await zipping;
    const archive = await store.putFile(storageKeys.archive(id), archivePath);
    const name = ctx.record.outputName ?? ctx.record.input?.name ?? 'output';
    ctx.state.stored = { filename: `${name}.zip`, ext: 'zip', size: archive.size, files: files.map((f) => f.name) };
  },
};
