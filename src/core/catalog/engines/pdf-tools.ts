// The PDF tools of API v2 (pdf/a, pdf/x, pdf/ocr, pdf/encrypt, pdf/decrypt, pdf/split-pages,
// pdf/extract-pages, pdf/rotate-pages): one engine (`pdftools`) over qpdf, Ghostscript and
// ocrmypdf, one tool per operation, each with its option schema. Not a v1 mode: only v2's
// operations name these tools. Passwords are no options here: they are secrets, sealed apart
// from the plan (see ProcessSecrets.pdf), so no record, status or log can show them.
import type { Format, Group } from '../formats.js';
import type { OptionSpecs, OptionsOf } from '../options.js';
import { PAGE_RANGE_PATTERN } from './pdf.js';

/** The engine id the tasks show (`engine` of a task); not a catalog engine of v1. */
export const PDF_TOOLS_ENGINE_ID = 'pdftools';

export const PDF_TOOLS = ['pdfa', 'pdfx', 'ocr', 'encrypt', 'decrypt', 'split', 'extract', 'rotate'] as const;
export type PdfTool = (typeof PDF_TOOLS)[number];

/** Images ocrmypdf reads directly (one page each), besides PDFs. */
export const OCR_IMAGE_INPUTS = ['png', 'jpg', 'tiff'] as const satisfies readonly Format[];

const PAGES = { type: 'pattern', pattern: PAGE_RANGE_PATTERN, form: 'pages such as 1-3,5 (1-based, within the page count)', default: null } as const;

/** Tesseract language names, joined with + (eng, deu+eng); what is installed is checked by the tool. */
const LANGUAGES = /^[a-z_]{3,20}(?:\+[a-z_]{3,20}){0,4}$/i;

export const PDF_TOOL_OPTIONS = {
  pdfa: {
    conformance_level: { type: 'enum', values: ['1b', '2b', '3b'], default: '2b', description: 'The PDF/A part and level: 1b (PDF 1.4), 2b (the usual archive choice) or 3b (allows attachments).' },
  },
  pdfx: {
    // Ghostscript's pdfwrite writes PDF/X-3 only; X-1a and X-4 would need checks it does not make.
    conformance_level: { type: 'enum', values: ['3'], default: '3', description: 'The PDF/X part: 3 (PDF/X-3:2002, colours in CMYK, the output profile embedded), the one this server writes.' },
  },
  ocr: {
    language: { type: 'pattern', pattern: LANGUAGES, form: 'Tesseract language codes joined with + (e.g. eng or deu+eng)', default: 'eng', description: 'The languages of the text (Tesseract codes; the worker must have their language packages).' },
    ocr_mode: { type: 'enum', values: ['skip_text', 'force_ocr'], default: 'skip_text', description: 'skip_text: pages that already have text stay as they are; force_ocr: every page is rasterized and recognized again.' },
    deskew: { type: 'boolean', default: false, description: 'Straighten crooked scans before recognition.' },
    auto_orient: { type: 'boolean', default: false, description: 'Turn pages whose text runs sideways or upside down.' },
    image_dpi: { type: 'integer', min: 50, max: 1200, default: 300, description: 'Image inputs only: the resolution the image was scanned at, which sets the page size.' },
  },
  encrypt: {
    allow_print: { type: 'boolean', default: true, description: 'Readers may print the document.' },
    allow_copy: { type: 'boolean', default: true, description: 'Readers may copy text and images.' },
    allow_modify: { type: 'boolean', default: true, description: 'Readers may edit, annotate and fill forms.' },
  },
  decrypt: {},
  split: {},
  extract: {
    pages: { ...PAGES, description: 'The pages to keep, in this order (required).' },
  },
  rotate: {
    rotation: { type: 'enum', values: ['90', '180', '270', '-90'], default: null, description: 'Degrees clockwise, added to each page\'s current rotation (required).' },
    pages: { ...PAGES, description: 'The pages to rotate (empty: every page); the others stay as they are.' },
  },
} as const satisfies Record<PdfTool, OptionSpecs>;

/** Options that must be given (the schema has no default for them). */
export const PDF_TOOL_REQUIRED: Readonly<Record<PdfTool, readonly string[]>> = { pdfa: [], pdfx: [], ocr: [], encrypt: [], decrypt: [], split: [], extract: ['pages'], rotate: ['rotation'] };

/** What each tool reads. */
export const PDF_TOOL_INPUTS: Readonly<Record<PdfTool, readonly Format[]>> = {
  pdfa: ['pdf'],
  pdfx: ['pdf'],
  ocr: ['pdf', ...OCR_IMAGE_INPUTS],
  encrypt: ['pdf'],
  decrypt: ['pdf'],
  split: ['pdf'],
  extract: ['pdf'],
  rotate: ['pdf'],
};

export type PdfToolOptions = { readonly [T in PdfTool]: OptionsOf<(typeof PDF_TOOL_OPTIONS)[T]> };

/** A PDF tool run over one input; the output is always PDF (split: one PDF per page). */
export type PdfToolPlanOf<T extends PdfTool> = {
  readonly mode: 'pdftool';
  readonly engine: typeof PDF_TOOLS_ENGINE_ID;
  readonly tool: T;
  readonly inputFormat: Format;
  readonly outputFormat: 'pdf';
  readonly group: Group;
  readonly options: PdfToolOptions[T];
};
export type PdfToolPlan = { [T in PdfTool]: PdfToolPlanOf<T> }[PdfTool];
