// What the convert step does for each mode: one function per mode, each writing its result
// (outputs, info, a message) into the pipeline state.
import type { PipelineContext } from '../context.js';
import { archiveFiles, extractArchive } from './archive.js';
import { combineFiles } from './combine.js';
import { compressFile } from './compress.js';
import { convertFile, readInfo } from './convert.js';
import { runPdfTool } from './pdf-tool.js';
import type { ModeTarget } from './target.js';
import { transferFiles } from './transfer.js';
import { readMetadata, watermarkFile, writeMetadata } from './edit.js';
import { runCommand } from './command.js';

export type { ModeTarget } from './target.js';

export function runMode(ctx: PipelineContext, target: ModeTarget): Promise<void> {
  const plan = ctx.plan;
  switch (plan.mode) {
    case 'convert':
      return convertFile(ctx, plan, target);
    case 'info':
      return readInfo(ctx, plan, target);
    case 'compress':
      return compressFile(ctx, plan, target);
    case 'combine':
      return combineFiles(ctx, plan, target);
    case 'archive':
      return archiveFiles(ctx, plan, target);
    case 'extract':
      return extractArchive(ctx, plan, target);
    case 'pdftool':
      return runPdfTool(ctx, plan, target);
    case 'transfer':
      return transferFiles(ctx);
    case 'watermark':
      return watermarkFile(ctx, plan, target);
    case 'metadata-write':
      return writeMetadata(ctx, plan, target);
    case 'metadata':
      return readMetadata(ctx, plan, target);
    case 'command':
      return runCommand(ctx, plan, target);
  }
}
