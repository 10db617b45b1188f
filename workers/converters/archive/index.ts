// The archive engine: packs files into zip/tar/7z archives or compresses one file (mode=archive),
// and unpacks archives, packages and disc images into their files (mode=extract), refusing unsafe
// entries and extraction bombs.
//
// Extraction never lets a tool write to disk. The archive is read as one tar stream twice: the
// first pass lists the entries (real sizes counted, limits enforced as the bytes arrive) and the
// pure checks in entries.ts decide; the second pass writes each regular file under its flat
// name, created exclusively in the output folder, no byte past its listed size. The written
// folder is then verified; on any refusal or failure it is emptied.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, link, lstat, mkdir, open, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { appError } from '../../../src/core/errors.js';
import { cleanFilename } from '../../../src/core/filenames.js';
import { ToolError } from '../../tools/run-tool.js';
import type { Archiver, ArchiveRequest, ConverterContext, ExtractRequest, OutputFile } from '../types.js';
import { buildPackArgs, hasSignature, headLength, isExtractFormat, isPackFormat, isSingleFileFormat, packListContents, tarSource, TOOL_ENV, type TarSource } from './command.js';
import { checkEntry, checkTotals, planExtraction, uniqueName, type ArchiveEntry, type ExtractLimits, type PlannedFile } from '../../archive-reading/entries.js';
import { compressOne, decompressOne } from './single-file.js';
import { readTarStream } from '../../archive-reading/tar-stream-reader.js';

export interface ArchiveEngineSettings extends ExtractLimits {
  /** bsdtar (libarchive-tools); `bsdtar` on PATH when not given. */
  readonly bsdtar?: string;
}

const changed = (): Error => appError('CONVERSION_FAILED', 'The archive was not extracted: it read differently the second time (a damaged or inconsistent archive).');

/** Pass 1: every entry with its real size; refuses at the first unsafe entry or limit passed. */
async function listEntries(source: TarSource, archive: string, archiveSize: number, limits: ExtractLimits, context: ConverterContext): Promise<ArchiveEntry[]> {
  const entries: ArchiveEntry[] = [];
  let total = 0;
  await readTarStream(source, archive, context, async (entry, data) => {
    checkEntry(entry);
    checkTotals(entries.length + 1, total, archiveSize, limits);
    let size = 0;
    for await (const chunk of data) {
      size += chunk.length;
      total += chunk.length;
      checkTotals(entries.length + 1, total, archiveSize, limits);
    }
    entries.push({ name: entry.name, type: entry.type, size, linkname: entry.linkname });
  });
  return entries;
}

/** Copies one entry's data to a new file, refusing more or fewer bytes than listed. */
async function writeEntry(data: AsyncIterable<Buffer>, file: string, size: number): Promise<void> {
  let written = 0;
  async function* limited(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      written += chunk.length;
      if (written > size) throw changed();
      yield chunk;
    }
  }
  // 'wx': created here and now, never an existing file or a link someone placed.
  await pipeline(data, limited, createWriteStream(file, { flags: 'wx', mode: 0o644 }));
  if (written !== size) throw changed();
}

/** Pass 2: writes the planned files, in archive order. */
async function writeFiles(source: TarSource, request: ExtractRequest, entries: readonly ArchiveEntry[], files: readonly PlannedFile[], context: ConverterContext): Promise<void> {
  const byIndex = new Map(files.map((f) => [f.index, f]));
  let index = 0;
  await readTarStream(source, request.inputPath, context, async (entry, data) => {
    const listed = entries[index];
    const file = byIndex.get(index);
    index += 1;
    if (listed === undefined || listed.name !== entry.name || listed.type !== entry.type) throw changed();
    if (file === undefined) {
      for await (const chunk of data) if (chunk.length > 0) throw changed(); // folders have no data
      return;
    }
    await writeEntry(data, path.join(request.outputDir, file.name), file.size);
    context.progress(50 + (50 * index) / entries.length);
  });
  if (index !== entries.length) throw changed();
}

/** The output folder must hold exactly the planned files: regular, unlinked, of their sizes. */
async function verifyFolder(outputDir: string, files: readonly PlannedFile[]): Promise<void> {
  const present = (await readdir(outputDir)).sort();
  const expected = files.map((f) => f.name).sort();
  if (present.length !== expected.length || present.some((name, i) => name !== expected[i])) throw changed();
  for (const file of files) {
    const info = await lstat(path.join(outputDir, file.name));
    if (!info.isFile() || info.nlink !== 1 || info.size !== file.size) throw changed();
  }
}

async function emptyFolder(folder: string): Promise<void> {
  for (const name of await readdir(folder).catch(() => [])) await rm(path.join(folder, name), { recursive: true, force: true });
}

async function fileHead(file: string, bytes: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Puts the inputs into `folder` under their entry names (hard links where possible: no copy). */
async function stageInputs(request: ArchiveRequest, folder: string): Promise<string[]> {
  const names: string[] = [];
  const taken = new Set<string>();
  const inodes = new Set<string>();
  for (const [i, input] of request.inputs.entries()) {
    const info = await lstat(input.path);
    if (!info.isFile()) throw appError('CONVERSION_FAILED', `Input ${JSON.stringify(input.name)} is not a regular file; only files are packed.`);
    const name = uniqueName(cleanFilename(input.name, `file-${i + 1}`), taken);
    taken.add(name.toLowerCase());
    const staged = path.join(folder, name);
    // The same file twice would become a hard-link entry in a tar: the repeat is copied instead.
    const inode = `${info.dev}:${info.ino}`;
    const linked = !inodes.has(inode) && (await link(input.path, staged).then(() => true, () => false));
    if (!linked) await copyFile(input.path, staged);
    inodes.add(inode);
    names.push(name);
  }
  return names;
}

export function createArchiveEngine(settings: ArchiveEngineSettings): Archiver {
  const bsdtar = settings.bsdtar ?? 'bsdtar';

  async function archive(request: ArchiveRequest, context: ConverterContext): Promise<OutputFile> {
    const format = request.outputFormat;
    if (isSingleFileFormat(format)) return compressOne(format, request, context);
    if (!isPackFormat(format)) throw appError('UNSUPPORTED_CONVERSION', `mode=archive cannot write ${format}.`);
    const folder = path.join(context.workDir, `archive-${randomUUID()}`);
    const listFile = `${folder}.list`;
    await mkdir(folder);
    try {
      const names = await stageInputs(request, folder);
      await writeFile(listFile, packListContents(names));
      const name = `${request.outputName}.${format}`;
      const output = path.join(request.outputDir, name);
      await context.tools.run(bsdtar, buildPackArgs({ format, output, folder, listFile, level: request.options.compression_level }), { signal: context.signal, env: TOOL_ENV }).catch((error: unknown) => {
        if (error instanceof ToolError) throw appError('CONVERSION_FAILED', `bsdtar could not write the ${format} archive: ${error.stderrTail.trim().split('\n').pop() ?? ''}`);
        throw error;
      });
      return { path: output, name };
    } finally {
      await rm(folder, { recursive: true, force: true });
      await rm(listFile, { force: true });
    }
  }

  async function extract(request: ExtractRequest, context: ConverterContext): Promise<readonly OutputFile[]> {
    const format = request.inputFormat;
    if (!isExtractFormat(format)) throw appError('UNSUPPORTED_CONVERSION', `mode=extract cannot read ${format}.`);
    if (!hasSignature(format, await fileHead(request.inputPath, headLength(format)))) {
      throw appError('CONVERSION_FAILED', `The file is not a ${format} ${isSingleFileFormat(format) ? 'file' : 'archive'} (its first bytes do not match). Give the inputformat the file really has.`);
    }
    if (isSingleFileFormat(format)) return decompressOne(format, request, settings, context);
    const source = tarSource(format, request.inputPath, bsdtar);
    const archiveSize = (await stat(request.inputPath)).size;
    const entries = await listEntries(source, request.inputPath, archiveSize, settings, context);
    const files = planExtraction(entries, archiveSize, settings);
    context.progress(50, `Extracting ${files.length} files`);
    try {
      await writeFiles(source, request, entries, files, context);
      await verifyFolder(request.outputDir, files);
    } catch (error) {
      await emptyFolder(request.outputDir);
      throw error;
    }
    return files.map((f) => ({ path: path.join(request.outputDir, f.name), name: f.name }));
  }

  return { archive, extract };
}
