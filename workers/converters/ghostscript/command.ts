// Ghostscript arguments for mode=compress of a PDF: pure, so the tests can check them.
import type { PDF_PRESETS } from '../../../src/core/catalog/engines/compress.js';

export type PdfPreset = (typeof PDF_PRESETS)[number];

/**
 * pdfwrite with a preset. -dSAFER keeps PostScript in the file from touching other files; the
 * paths are absolute (they start with "/"), so neither can be read as an option.
 */
export function buildCompressArgs(input: string, output: string, preset: PdfPreset): string[] {
  if (!input.startsWith('/') || !output.startsWith('/')) throw new Error('ghostscript paths must be absolute');
  return [
    '-dSAFER',
    '-dBATCH',
    '-dNOPAUSE',
    '-dQUIET',
    '-sDEVICE=pdfwrite',
    '-dCompatibilityLevel=1.6',
    `-dPDFSETTINGS=/${preset}`,
    '-dDetectDuplicateImages=true',
    '-dCompressFonts=true',
    `-sOutputFile=${output}`,
    input,
  ];
}
