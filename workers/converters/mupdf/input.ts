// What mutool is given to open. mutool picks its document handler from the file name (an
// upload named .xhtml runs MuPDF's HTML engine, which loads local files by relative path), so
// an input is staged under a fixed name with its declared format's extension, and must start
// like that format before mutool sees it.
import { copyFile, link, mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { appError } from '../../../src/core/errors.js';
import { notLikeMessage, readHead, startsLike, type SignedFormat } from '../../../src/core/file-signatures.js';

/** Refuses a file that does not start like `format`, naming what was expected. */
export async function assertStartsLike(file: string, format: SignedFormat, label?: string): Promise<void> {
  if (!startsLike(format, await readHead(file))) throw appError('CONVERSION_FAILED', notLikeMessage(format, label));
}

/**
 * The input, checked, under `input.<format>` in a folder of its own inside the job's folder
 * (several inputs of one job, as in mode=combine, each get theirs).
 */
export async function stageInput(inputPath: string, format: SignedFormat, workDir: string): Promise<string> {
  await assertStartsLike(inputPath, format);
  const staged = path.join(await mkdtemp(path.join(workDir, 'mutool-')), `input.${format}`);
  await link(inputPath, staged).catch(() => copyFile(inputPath, staged));
  return staged;
}
