// What mutool is given to open. mutool picks its document handler from the file name (an
// upload named .xhtml runs MuPDF's HTML engine, which loads local files by relative path), so
// an input is staged under a fixed name with its declared format's extension, and must start
// like that format before mutool sees it.
import { copyFile, link, mkdtemp, open } from 'node:fs/promises';
import path from 'node:path';
import { appError } from '../../../src/core/errors.js';
import { SIGNATURE_BYTES, startsLike, type SignedFormat } from '../../../src/core/file-signatures.js';

const DESCRIPTION: Readonly<Record<SignedFormat, string>> = {
  pdf: 'a PDF (with %PDF- in its first 1024 bytes, and no PostScript before it)',
  png: 'a PNG image',
  jpg: 'a JPEG image',
  gif: 'a GIF image',
  tiff: 'a TIFF image',
};

async function readHead(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(SIGNATURE_BYTES), 0, SIGNATURE_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Refuses a file that does not start like `format`, naming what was expected. */
export async function assertStartsLike(file: string, format: SignedFormat, label = `The ${format} file`): Promise<void> {
  if (startsLike(format, await readHead(file))) return;
  throw appError('CONVERSION_FAILED', `${label} is not ${DESCRIPTION[format]}. Check that the file really is ${format} and that inputformat says so.`);
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
