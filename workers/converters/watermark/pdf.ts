// Watermarks on PDF pages with pdf-lib: text in a PDF standard font (Helvetica, Times, Courier:
// the metrics of the font_name asked for; no font file is embedded) or an image, on the chosen
// pages, with opacity and rotation. `layer: below` moves the watermark's content stream before
// the page's own, so the page paints over it (a page with an opaque background then hides it).
import { readFile, writeFile } from 'node:fs/promises';
import { degrees, PDFArray, PDFDocument, rgb, type PDFFont, type PDFImage, type PDFPage } from 'pdf-lib';
import { watermarkImageMetadata } from './watermark-image.js';
import sharp from 'sharp';
import { appError } from '../../../src/core/errors.js';
import { selectPages, WATERMARK_FONTS, type WatermarkOptions } from '../../../src/core/catalog/edit-plans.js';
import { imageBox, linesOf, placeBox, rgbOf, rotatedOrigin, type Size } from './layout.js';

export interface PdfWatermarkRequest {
  readonly inputPath: string;
  readonly options: WatermarkOptions;
  readonly imagePath: string | undefined;
  readonly outputPath: string;
  readonly maxPixels: number;
  /** PDFs with more pages are refused (PDF_MAX_PAGES): pdf-lib works in the worker's own thread. */
  readonly maxPages: number;
}

const firstLine = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';

/** The watermark image as pdf-lib embeds it: jpg as it is, anything else through sharp as PNG. */
async function embedImage(pdf: PDFDocument, imagePath: string, maxPixels: number): Promise<PDFImage> {
  const meta = await watermarkImageMetadata(imagePath, maxPixels);
  if (meta.format === 'jpeg') return pdf.embedJpg(await readFile(imagePath));
  return pdf.embedPng(await sharp(imagePath, { limitInputPixels: maxPixels }).png().toBuffer());
}

/** Draws the text's lines, each aligned within the block, the block turned about its centre. */
function drawText(page: PDFPage, font: PDFFont, options: WatermarkOptions): void {
  const page_ = page.getSize();
  const lines = linesOf(options.text ?? '');
  const widest = Math.max(...lines.map((l) => font.widthOfTextAtSize(l, options.fontSize)), 1);
  const size = options.fontWidthPercent === null ? options.fontSize : (options.fontSize * page_.width * options.fontWidthPercent) / 100 / widest;
  const lineHeight = size * 1.2;
  const block = { width: Math.max(...lines.map((l) => font.widthOfTextAtSize(l, size)), 1), height: lineHeight * lines.length };
  const at = placeBox(page_, block, options);
  const color = rgbOf(options.fontColor);
  lines.forEach((line, i) => {
    const width = font.widthOfTextAtSize(line, size);
    const indent = options.fontAlign === 'left' ? 0 : options.fontAlign === 'right' ? block.width - width : (block.width - width) / 2;
    // Line i's baseline, in PDF space (y up), before the block turns about its centre.
    const x = at.left + indent;
    const y = page_.height - at.top - (i + 1) * lineHeight + (lineHeight - size);
    const centre = { x: at.left + block.width / 2, y: page_.height - at.top - block.height / 2 };
    const turned = turnAbout(centre, { x, y }, options.rotation);
    page.drawText(line, { x: turned.x, y: turned.y, size, font, color: rgb(color.r, color.g, color.b), opacity: options.opacity / 100, rotate: degrees(options.rotation) });
  });
}

/** `point` turned by `deg` (counter-clockwise) about `centre`. */
function turnAbout(centre: { x: number; y: number }, point: { x: number; y: number }, deg: number): { x: number; y: number } {
  const rad = (deg * Math.PI) / 180;
  const dx = point.x - centre.x;
  const dy = point.y - centre.y;
  return { x: centre.x + dx * Math.cos(rad) - dy * Math.sin(rad), y: centre.y + dx * Math.sin(rad) + dy * Math.cos(rad) };
}

function drawImage(page: PDFPage, image: PDFImage, options: WatermarkOptions): void {
  const page_: Size = page.getSize();
  const box = imageBox(page_, { width: image.width, height: image.height }, options);
  const at = placeBox(page_, box, options);
  const origin = rotatedOrigin(at.left, page_.height - at.top - box.height, box, options.rotation);
  page.drawImage(image, { ...origin, width: box.width, height: box.height, opacity: options.opacity / 100, rotate: degrees(options.rotation) });
}

/** Moves the stream pdf-lib just appended (the watermark) in front of the page's own content. */
function moveUnder(page: PDFPage): void {
  const contents = page.node.Contents();
  if (!(contents instanceof PDFArray) || contents.size() < 2) return;
  const ours = contents.get(contents.size() - 1);
  contents.remove(contents.size() - 1);
  contents.insert(0, ours);
}

export async function watermarkPdf(request: PdfWatermarkRequest): Promise<void> {
  const pdf = await PDFDocument.load(await readFile(request.inputPath), { updateMetadata: false }).catch((error: unknown) => {
    throw appError('CONVERSION_FAILED', `Could not read the PDF: ${firstLine(error)}. An encrypted PDF must be decrypted first.`);
  });
  const { options } = request;
  if (pdf.getPageCount() > request.maxPages) throw appError('CONVERSION_FAILED', `The PDF has ${pdf.getPageCount()} pages, more than the limit of ${request.maxPages} (PDF_MAX_PAGES).`);
  const pages = selectPages(options.pages, pdf.getPageCount());
  if (pages === undefined || pages.length === 0) throw appError('INVALID_OPTION', `The pages "${options.pages ?? ''}" select no page of this ${pdf.getPageCount()}-page PDF. Give pages such as "1", "1,3" or "2-4".`);
  const image = request.imagePath === undefined ? undefined : await embedImage(pdf, request.imagePath, request.maxPixels);
  const font = image === undefined ? await pdf.embedFont(WATERMARK_FONTS[options.fontName].pdf) : undefined;
  for (const number of pages) {
    const page = pdf.getPage(number - 1);
    try {
      if (image !== undefined) drawImage(page, image, options);
      else if (font !== undefined) drawText(page, font, options);
    } catch (error) {
      // The standard fonts encode WinAnsi only: other scripts cannot be drawn with them.
      throw appError('INVALID_OPTION', `The text cannot be drawn on a PDF: ${firstLine(error)}. Use Latin characters, or watermark an image instead.`);
    }
    if (options.layer === 'below') moveUnder(page);
  }
  await writeFile(request.outputPath, await pdf.save());
}
