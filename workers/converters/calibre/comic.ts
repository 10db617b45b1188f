// Comic book archives (cbz, cbr, cb7), read the way the archive engine extracts: libarchive turns
// the archive into a tar stream, each entry is checked as its bytes arrive (no absolute path, "..",
// link or device; entry count and expanded size within the archive limits), and only the image
// pages are written, under names chosen here. Each page's pixel size is read from its header
// before anything decodes it. calibre then reads a cbz packed here, never the upload.
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import sharp from 'sharp';
import { appError } from '../../../src/core/errors.js';
import { checkEntry, checkTotals, type ExtractLimits } from '../../archive-reading/entries.js';
import { TOOL_ENV } from '../../archive-reading/tar-source.js';
import { readTarStream } from '../../archive-reading/tar-stream-reader.js';
import { ToolError } from '../../tools/run-tool.js';
import type { ConverterContext } from '../types.js';
import { comicPackArgs, comicPageExtension, comicPageName, comicPageOrder, comicReadArgs, hasComicSignature, type ComicFormat } from './command.js';

export interface ComicLimits {
  /** bsdtar (libarchive-tools), which reads zip, rar and 7z and writes zip and 7z. */
  readonly bsdtar: string;
  /** The archive engine's limits (ARCHIVE_MAX_ENTRIES, ARCHIVE_MAX_TOTAL_MB, ARCHIVE_MAX_RATIO). */
  readonly archive: ExtractLimits;
  /** A page with more pixels is refused (MAX_IMAGE_PIXELS). */
  readonly maxPixels: number;
  /** A comic with more pages is refused (PDF_MAX_PAGES). */
  readonly maxPages: number;
}

interface Page {
  readonly entryName: string;
  readonly file: string;
  readonly ext: string;
}

async function fileHead(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Every entry checked; image entries written to `folder` as they come, the rest only counted. */
async function writePages(archive: string, format: ComicFormat, folder: string, limits: ComicLimits, context: ConverterContext): Promise<Page[]> {
  const archiveSize = (await stat(archive)).size;
  const pages: Page[] = [];
  let entries = 0;
  let total = 0;
  const source = { kind: 'tool', binary: 'setsid', args: comicReadArgs(archive, limits.bsdtar), label: 'bsdtar' } as const;
  await readTarStream(source, archive, context, async (entry, data) => {
    entries += 1;
    checkEntry(entry);
    checkTotals(entries, total, archiveSize, limits.archive);
    const ext = entry.type === 'file' || entry.type === 'contiguous-file' ? comicPageExtension(entry.name) : undefined;
    async function* counted(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
      for await (const chunk of source) {
        total += chunk.length;
        checkTotals(entries, total, archiveSize, limits.archive);
        yield chunk;
      }
    }
    if (ext === undefined) {
      for await (const chunk of counted(data)) void chunk;
      return;
    }
    if (pages.length >= limits.maxPages) throw appError('CONVERSION_FAILED', `The ${format} archive holds more than ${limits.maxPages} pages (limit PDF_MAX_PAGES = ${limits.maxPages}).`);
    const file = path.join(folder, `entry-${entries}.${ext}`);
    // 'wx': created here and now, never an existing file or a link; readable by the tools' user.
    await pipeline(data, counted, createWriteStream(file, { flags: 'wx', mode: 0o644 }));
    pages.push({ entryName: entry.name, file, ext });
  });
  return pages;
}

/** Refuses a page that is not an image sharp can read the header of, or one over MAX_IMAGE_PIXELS. */
async function assertPageFits(page: Page, maxPixels: number): Promise<void> {
  const meta = await sharp(page.file, { limitInputPixels: false }).metadata().catch(() => undefined);
  const shown = JSON.stringify(page.entryName.slice(0, 120));
  if (meta?.width === undefined || meta.height === undefined) throw appError('CONVERSION_FAILED', `Page ${shown} of the comic is not a readable ${page.ext} image.`);
  if (meta.width * meta.height > maxPixels) {
    throw appError('CONVERSION_FAILED', `Page ${shown} of the comic is ${meta.width}x${meta.height} pixels, more than the limit of ${maxPixels} (MAX_IMAGE_PIXELS).`);
  }
}

/**
 * The comic's pages in `folder`, checked, in reading order, named 0001.jpg, 0002.png...; returns
 * their names. Throws CONVERSION_FAILED naming the refused entry or limit.
 */
export async function unpackComicPages(archive: string, format: ComicFormat, folder: string, limits: ComicLimits, context: ConverterContext): Promise<string[]> {
  if (!hasComicSignature(format, await fileHead(archive))) {
    throw appError('CONVERSION_FAILED', `The file is not a ${format} comic archive (its first bytes do not match). Give the inputformat the file really has.`);
  }
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const pages = (await writePages(archive, format, folder, limits, context)).sort((a, b) => comicPageOrder(a.entryName, b.entryName));
  if (pages.length === 0) throw appError('CONVERSION_FAILED', `The ${format} archive holds no page images (jpg, png, gif or webp).`);
  for (const page of pages) await assertPageFits(page, limits.maxPixels);
  const names = pages.map((page, i) => comicPageName(i, pages.length, page.ext));
  for (const [i, page] of pages.entries()) await rename(page.file, path.join(folder, names[i] ?? ''));
  context.progress(30, `Read ${pages.length} pages`);
  return names;
}

/** Packs the pages of `folder` (in order) into a cbz or cb7 at `output`. */
export async function packComic(format: 'cbz' | 'cb7', output: string, folder: string, names: readonly string[], limits: ComicLimits, context: ConverterContext): Promise<void> {
  const listFile = `${folder}.list`;
  await writeFile(listFile, names.map((name) => `${name}\0`).join(''));
  await context.tools.run(limits.bsdtar, comicPackArgs(format, output, folder, listFile), { signal: context.signal, env: TOOL_ENV }).catch((error: unknown) => {
    if (error instanceof ToolError) {
      const line = error.stderrTail.split('\n').find((l) => l.trim() !== '' && !/Error exit delayed/.test(l)) ?? `exit code ${error.exitCode}`;
      throw appError('CONVERSION_FAILED', `bsdtar could not write the ${format} archive: ${line.trim().slice(0, 200)}`);
    }
    throw error;
  });
}
