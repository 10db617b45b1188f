// Step `output`: put the output files into the file store; several files also as one ZIP.
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { splitFilename } from '../../../src/core/filenames.js';
import { storageKeys } from '../../../src/core/storage/file-store.js';
import type { OutputFile } from '../../converters/types.js';
import type { PipelineStep } from '../context.js';

/** Formats that are compressed already: deflating them again costs CPU and saves nothing. */
const COMPRESSED = /\.(?:png|jpe?g|webp|gif|avif|heif|tiff?|mp[34]|m4[av]|webm|mkv|ogg|opus|aac|flac|pdf|docx|xlsx|pptx|odt|ods|odp|zip)$/i;

async function zip(files: readonly OutputFile[], destination: string): Promise<void> {
  const archive = new yazl.ZipFile();
  for (const file of files) archive.addFile(file.path, file.name, { compress: !COMPRESSED.test(file.name) });
  archive.end();
  await pipeline(archive.outputStream, createWriteStream(destination));
}

export const storeOutput: PipelineStep = {
  step: 'output',
  message: () => 'Storing output files',
  skip: (ctx) => (ctx.state.outputs ?? []).length === 0, // mode=info without thumbnails
  async run(ctx) {
    const files = ctx.state.outputs ?? [];
    const { store } = ctx.services;
    const id = ctx.record.id;
    const sizes = await Promise.all(files.map((f) => store.putFile(storageKeys.output(id, f.name), f.path)));
    const single = files.length === 1 ? files[0] : undefined;
    if (single !== undefined) {
      ctx.state.stored = { filename: single.name, ext: splitFilename(single.name).ext, size: sizes[0]?.size ?? 0 };
      return;
    }
    const archivePath = path.join(ctx.workDir, 'output.zip');
    await zip(files, archivePath);
    const stored = await store.putFile(storageKeys.archive(id), archivePath);
    const name = ctx.record.input?.name ?? 'output';
    ctx.state.stored = { filename: `${name}.zip`, ext: 'zip', size: stored.size, files: files.map((f) => f.name) };
  },
};
