// Office and PDF fixtures made at test time (plain text, CSV, HTML, a flat ODP written as a zip),
// and checks on PDFs with mutool: page count and extracted text.
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { promisify } from 'node:util';
import yazl from 'yazl';

const run = promisify(execFile);

/** Fails with a message saying how to install LibreOffice and mutool when they are missing. */
export async function requireOfficeTools(): Promise<void> {
  try {
    await run('/usr/lib/libreoffice/program/soffice.bin', ['--version']);
    await run('/usr/bin/python3', ['-c', 'import uno']);
    await run('mutool', ['-v']).catch((error: { stderr?: string }) => {
      if (!/mutool version/.test(error.stderr ?? '')) throw error;
    });
  } catch {
    throw new Error('LibreOffice, python3-uno or mutool is missing: run `bash scripts/setup.sh` (apt-get install libreoffice-writer-nogui ... mupdf-tools).');
  }
}

export async function pdfPages(file: string): Promise<number> {
  const { stdout } = await run('mutool', ['info', file]);
  const match = /Pages:\s*(\d+)/.exec(stdout);
  if (match === null) throw new Error(`mutool info gave no page count for ${file}`);
  return Number(match[1]);
}

export async function pdfText(file: string): Promise<string> {
  const { stdout } = await run('mutool', ['draw', '-q', '-F', 'txt', '-o', '-', file], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

const ODP_SLIDE = (title: string): string =>
  `<draw:page draw:name="${title}"><draw:frame svg:x="2cm" svg:y="2cm" svg:width="20cm" svg:height="3cm"><draw:text-box><text:p>${title}</text:p></draw:text-box></draw:frame></draw:page>`;

/** An OpenDocument presentation with one slide per title. */
export async function makeOdp(file: string, titles: readonly string[]): Promise<void> {
  const ns = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"';
  const content = `<?xml version="1.0" encoding="UTF-8"?><office:document-content ${ns} office:version="1.2"><office:body><office:presentation>${titles.map(ODP_SLIDE).join('')}</office:presentation></office:body></office:document-content>`;
  const manifest = `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.presentation"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`;
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from('application/vnd.oasis.opendocument.presentation'), 'mimetype', { compress: false });
  zip.addBuffer(Buffer.from(content), 'content.xml');
  zip.addBuffer(Buffer.from(manifest), 'META-INF/manifest.xml');
  zip.end();
  await new Promise<void>((resolve, reject) => {
    zip.outputStream.pipe(createWriteStream(file)).on('finish', resolve).on('error', reject);
  });
}

/** Plain text of `pages` pages: each page's marker line followed by a form feed. */
export function pagedText(pages: number): string {
  return Array.from({ length: pages }, (_, i) => `Page marker ${i + 1}`).join('\n\f');
}

/** A PDF of `pages` pages of `width` x `height` points, each with "Page <n> text" on it. */
export async function makePdf(file: string, pages: number, size: readonly [number, number] = [612, 792]): Promise<void> {
  const { PDFDocument, StandardFonts } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) doc.addPage([...size]).drawText(`Page ${i} text`, { x: 40, y: size[1] - 80, size: 24, font });
  const { writeFile } = await import('node:fs/promises');
  await writeFile(file, await doc.save());
}
