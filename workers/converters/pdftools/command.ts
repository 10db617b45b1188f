// Pure builders for the PDF tools: qpdf, Ghostscript (PDF/A, PDF/X) and ocrmypdf argument lists,
// the PDF/A and PDF/X definition files, page ranges checked against the page count, and the qpdf
// argument file that carries passwords (a file in the job's folder, so no password is on a
// command line that other processes can read in /proc).
import { appError } from '../../../src/core/errors.js';
import type { PdfToolOptions } from '../../../src/core/catalog/engines/pdf-tools.js';

/**
 * The pages of `spec` ("1-3,5"), 1-based, in the order given; every page must exist. Refused
 * with INVALID_OPTION naming `pages` and the page count.
 */
export function parsePages(spec: string, count: number): number[] {
  const pages: number[] = [];
  for (const part of spec.split(',')) {
    const [from, to = from] = part.split('-').map(Number);
    if (from === undefined || to === undefined || from < 1 || to < from || to > count) {
      throw appError('INVALID_OPTION', `The pages "${spec.slice(0, 100)}" do not fit this PDF: it has ${count} page${count === 1 ? '' : 's'}. Give pages from 1 to ${count}, e.g. pages=1-${count}, each range ascending.`);
    }
    for (let page = from; page <= to; page++) pages.push(page);
  }
  return pages;
}

/** qpdf's page range for a list of pages. */
export const qpdfRange = (pages: readonly number[]): string => pages.join(',');

/** `qpdf --show-npages`: the page count on stdout. */
export function buildPageCountArgs(input: string): string[] {
  return ['--show-npages', input];
}

/** Reads `qpdf --show-npages` output; undefined when it is no count. */
export function parsePageCount(stdout: string): number | undefined {
  const count = Number(stdout.trim());
  return Number.isInteger(count) && count > 0 ? count : undefined;
}

/** The kept pages, in order, into `output` (outlines and metadata of the input stay). */
export function buildExtractArgs(input: string, output: string, pages: readonly number[]): string[] {
  return [input, '--pages', '.', qpdfRange(pages), '--', output];
}

/** Rotation added to the current one (qpdf's `+`/`-`): 90 turns a page a quarter further clockwise. */
export function buildRotateArgs(input: string, output: string, rotation: '90' | '180' | '270' | '-90', pages: readonly number[] | null): string[] {
  const angle = rotation.startsWith('-') ? rotation : `+${rotation}`;
  return [input, output, `--rotate=${angle}${pages === null ? '' : `:${qpdfRange(pages)}`}`];
}

/** One file per page: `<pattern>` holds qpdf's `%d` (the page number, zero-padded). */
export function buildSplitArgs(input: string, pattern: string): string[] {
  return ['--split-pages', input, pattern];
}

/** The page number of a file qpdf's --split-pages wrote as `page-<n>.pdf`. */
export function splitPageNumber(name: string): number | undefined {
  const match = /^page-(\d+)\.pdf$/.exec(name);
  return match === null ? undefined : Number(match[1]);
}

/** Characters a password cannot have: qpdf's argument files and password files are line based. */
export const PASSWORD_FORBIDDEN = /[\u0000-\u001f\u007f]/;

/**
 * The lines of qpdf's `@argfile` for AES-256 encryption: an empty owner password becomes the
 * user password (qpdf refuses an empty one with restrictions), so restrictions need the owner's.
 */
export function encryptArgfile(input: string, output: string, passwords: { password: string; ownerPassword?: string }, options: PdfToolOptions['encrypt']): string {
  for (const p of [passwords.password, passwords.ownerPassword ?? '']) if (PASSWORD_FORBIDDEN.test(p)) throw appError('INVALID_OPTION', 'A password may not contain line breaks or control characters.');
  const owner = passwords.ownerPassword ?? passwords.password;
  const lines = [
    input,
    output,
    '--encrypt',
    passwords.password,
    owner,
    '256',
    `--print=${options.allow_print === false ? 'none' : 'full'}`,
    `--extract=${options.allow_copy === false ? 'n' : 'y'}`,
    `--modify=${options.allow_modify === false ? 'none' : 'all'}`,
    '--',
  ];
  return `${lines.join('\n')}\n`;
}

/** Decryption with the password from `passwordFile` (absent: the empty user password). */
export function buildDecryptArgs(input: string, output: string, passwordFile: string | undefined): string[] {
  return [...(passwordFile === undefined ? [] : [`--password-file=${passwordFile}`]), '--decrypt', input, output];
}

/** Whether qpdf's stderr says the password did not open the file. */
export const saysWrongPassword = (stderr: string): boolean => /invalid password/i.test(stderr);

/** A setting's file path as a PostScript string: no character there may end or escape the string. */
function postscriptPath(setting: string, file: string): string {
  if (/[()\\\n]/.test(file)) throw new Error(`${setting} may not contain ( ) \\ or line breaks: ${file}`);
  return `(${file})`;
}

/** The PostScript that gives the PDF/A its sRGB OutputIntent (Ghostscript's PDFA_def.ps, reduced). */
export function pdfaDefinition(iccProfile: string): string {
  return [
    '%!',
    `/ICCProfile ${postscriptPath('PDFA_ICC_PROFILE', iccProfile)} def`,
    '[/_objdef {icc_PDFA} /type /stream /OBJ pdfmark',
    '[{icc_PDFA} << /N 3 >> /PUT pdfmark',
    '[{icc_PDFA} ICCProfile (r) file /PUT pdfmark',
    '[/_objdef {OutputIntent_PDFA} /type /dict /OBJ pdfmark',
    '[{OutputIntent_PDFA} << /Type /OutputIntent /S /GTS_PDFA1 /DestOutputProfile {icc_PDFA} /OutputConditionIdentifier (sRGB) >> /PUT pdfmark',
    '[{Catalog} << /OutputIntents [ {OutputIntent_PDFA} ] >> /PUT pdfmark',
    '',
  ].join('\n');
}

/** The GTS_PDFXVersion each PDF/X part writes (the option is an enum: no user text reaches the PostScript). */
const PDFX_VERSIONS = { '3': 'PDF/X-3:2002' } as const;

/**
 * The PostScript that makes the PDF/X (Ghostscript's PDFX_def.ps, reduced): the Info keys PDF/X
 * requires (a Title of the input's own replaces "Untitled"), and the CMYK profile as the
 * OutputIntent. "Custom" because the operator may set any profile, so no registered printing
 * condition can be named; the embedded profile is what defines it.
 */
export function pdfxDefinition(iccProfile: string, level: keyof typeof PDFX_VERSIONS): string {
  return [
    '%!',
    `/ICCProfile ${postscriptPath('PDFX_ICC_PROFILE', iccProfile)} def`,
    `[ /Title (Untitled) /GTS_PDFXVersion (${PDFX_VERSIONS[level]}) /Trapped /False /DOCINFO pdfmark`,
    '[/_objdef {icc_PDFX} /type /stream /OBJ pdfmark',
    '[{icc_PDFX} << /N 4 >> /PUT pdfmark',
    '[{icc_PDFX} ICCProfile (r) file /PUT pdfmark',
    '[/_objdef {OutputIntent_PDFX} /type /dict /OBJ pdfmark',
    '[{OutputIntent_PDFX} << /Type /OutputIntent /S /GTS_PDFX /OutputConditionIdentifier (Custom) /Info (The printing condition of the embedded output profile) /RegistryName (http://www.color.org) /DestOutputProfile {icc_PDFX} >> /PUT pdfmark',
    '[{Catalog} << /OutputIntents [ {OutputIntent_PDFX} ] >> /PUT pdfmark',
    '',
  ].join('\n');
}

/**
 * Ghostscript's pdfwrite making a standard (PDF/A, PDF/X): the standard's switch, its colour
 * settings, only the ICC profile readable, the definition file first, then the input.
 */
function standardPdfwriteArgs(standard: string, colour: readonly string[], definition: string, input: string, output: string, iccProfile: string): string[] {
  return [standard, '-dBATCH', '-dNOPAUSE', '-dQUIET', '-dSAFER', '-sDEVICE=pdfwrite', ...colour, `--permit-file-read=${iccProfile}`, `-sOutputFile=${output}`, definition, input];
}

/** Ghostscript's PDF/A writer: RGB colours. */
export function buildPdfaArgs(definition: string, input: string, output: string, level: '1b' | '2b' | '3b', iccProfile: string): string[] {
  return standardPdfwriteArgs(
    `-dPDFA=${level.charAt(0)}`,
    // 1: what cannot be PDF/A (e.g. transparency in 1b) is dropped rather than failing the file.
    ['-sColorConversionStrategy=RGB', '-dPDFACompatibilityPolicy=1'],
    definition, input, output, iccProfile,
  );
}

/** Ghostscript's PDF/X writer (PDF/X-3, PDF 1.3): colours converted to CMYK. */
export function buildPdfxArgs(definition: string, input: string, output: string, iccProfile: string): string[] {
  return standardPdfwriteArgs('-dPDFX', ['-sColorConversionStrategy=CMYK'], definition, input, output, iccProfile);
}

/** What Ghostscript prints (exit code 0) when it found no document in the file. */
export const GHOSTSCRIPT_UNREADABLE = /No pages will be processed|Couldn't initialise file/;

/** ocrmypdf: a plain PDF out (no PDF/A pass), one job; images need their resolution. */
export function buildOcrArgs(input: string, output: string, options: PdfToolOptions['ocr'], image: boolean): string[] {
  return [
    '--output-type',
    'pdf',
    '--jobs',
    '1',
    options.ocr_mode === 'force_ocr' ? '--force-ocr' : '--skip-text',
    '-l',
    options.language ?? 'eng',
    ...(options.deskew === true ? ['--deskew'] : []),
    ...(options.auto_orient === true ? ['--rotate-pages'] : []),
    ...(image ? ['--image-dpi', String(options.image_dpi ?? 300)] : []),
    '--quiet',
    input,
    output,
  ];
}

/** ocrmypdf's exit codes that are the input's fault, with what to tell the client. */
export const OCR_EXIT_MESSAGES: Readonly<Record<number, string>> = {
  2: 'ocrmypdf could not read the input: it is not a valid PDF or image.',
  6: 'The PDF already has text. Use ocr_mode=force_ocr to recognize it again.',
  8: 'The PDF is encrypted. Decrypt it first with a pdf/decrypt task.',
};
