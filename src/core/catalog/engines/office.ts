// The office engine (LibreOffice): which formats it reads and writes, and its options.
import type { EngineCatalog } from '../engine-record.js';
import type { OptionSpecs } from '../options.js';
import { PAGE_RANGE_PATTERN } from './pdf.js';

export const TEXT_DOCUMENTS = ['doc', 'docx', 'odt', 'rtf', 'txt', 'html'] as const;
export const SPREADSHEETS = ['xls', 'xlsx', 'ods', 'csv'] as const;
export const PRESENTATIONS = ['ppt', 'pptx', 'odp'] as const;

/**
 * More formats of each family, read and written by LibreOffice: macro-enabled OOXML (the macros
 * are kept, never run), templates and the flat (single XML file) OpenDocument formats.
 */
export const TEXT_DOCUMENTS_EXTRA = ['docm', 'dotx', 'dot', 'fodt', 'ott'] as const;
export const SPREADSHEETS_EXTRA = ['xlsm', 'fods', 'ots', 'xltx', 'xlt', 'dif', 'slk'] as const;
export const PRESENTATIONS_EXTRA = ['pptm', 'pps', 'potx', 'fodp', 'otp'] as const;
/**
 * Read only: AbiWord; ppsx, which LibreOffice 7.4 writes with a presentation's content type
 * (PowerPoint refuses such a .ppsx), so it is not listed as an output.
 */
export const TEXT_DOCUMENTS_READ_ONLY = ['abw'] as const;
export const PRESENTATIONS_READ_ONLY = ['ppsx'] as const;
/** OpenDocument drawings and drawing templates (LibreOffice Draw). */
export const DRAWINGS = ['odg', 'otg'] as const;

const TEXT_INPUTS = [...TEXT_DOCUMENTS, ...TEXT_DOCUMENTS_EXTRA, ...TEXT_DOCUMENTS_READ_ONLY] as const;
const TEXT_OUTPUTS = [...TEXT_DOCUMENTS, ...TEXT_DOCUMENTS_EXTRA] as const;
const SPREADSHEET_FORMATS = [...SPREADSHEETS, ...SPREADSHEETS_EXTRA] as const;
const PRESENTATION_INPUTS = [...PRESENTATIONS, ...PRESENTATIONS_EXTRA, ...PRESENTATIONS_READ_ONLY] as const;
const PRESENTATION_OUTPUTS = [...PRESENTATIONS, ...PRESENTATIONS_EXTRA] as const;

export const OFFICE_INPUTS = [...TEXT_INPUTS, ...SPREADSHEET_FORMATS, ...PRESENTATION_INPUTS, ...DRAWINGS] as const;
export type OfficeFormat = (typeof OFFICE_INPUTS)[number];

/** Outputs LibreOffice makes from a PDF (its Writer import: text and graphics as positioned frames). */
export const PDF_TO_OFFICE_OUTPUTS = ['docx', 'odt'] as const;

/** Options of every office conversion. */
export const OFFICE_OPTIONS = {
  password: { type: 'pattern', pattern: /^[^\u0000-\u001f]{1,200}$/, form: 'the password of a protected document (1-200 characters)', default: null, description: 'Password to open a protected input document.' },
} as const satisfies OptionSpecs;

/** Options of office → pdf. */
export const OFFICE_PDF_OPTIONS = {
  page_range: { type: 'pattern', pattern: PAGE_RANGE_PATTERN, form: 'pages such as 1-3,5 (1-based)', default: null, description: 'Only these pages of the document go into the PDF.' },
  pdf_a: { type: 'boolean', default: false, description: 'Write PDF/A-2b (archival PDF) instead of plain PDF.' },
  ...OFFICE_OPTIONS,
} as const satisfies OptionSpecs;

/** Every LibreOffice option: what a converter may receive (a pair shows its subset). */
export const LIBREOFFICE_OPTIONS = OFFICE_PDF_OPTIONS;

export const OFFICE_ENGINE = {
  convert: {
    options: LIBREOFFICE_OPTIONS,
    pairs: [
      { inputs: OFFICE_INPUTS, outputs: ['pdf'], options: OFFICE_PDF_OPTIONS },
      { inputs: TEXT_INPUTS, outputs: TEXT_OUTPUTS, options: OFFICE_OPTIONS },
      { inputs: SPREADSHEET_FORMATS, outputs: SPREADSHEET_FORMATS, options: OFFICE_OPTIONS },
      { inputs: PRESENTATION_INPUTS, outputs: PRESENTATION_OUTPUTS, options: OFFICE_OPTIONS },
      { inputs: DRAWINGS, outputs: DRAWINGS, options: OFFICE_OPTIONS },
      { inputs: ['pdf'], outputs: PDF_TO_OFFICE_OUTPUTS, options: OFFICE_OPTIONS, note: 'Text and graphics become positioned frames (LibreOffice\'s PDF import); editing fidelity is limited.' },
      { inputs: ['pdf'], outputs: DRAWINGS, options: OFFICE_OPTIONS, note: 'Each page becomes a drawing page of editable shapes and text (LibreOffice Draw\'s PDF import).' },
    ],
  },
} as const satisfies EngineCatalog;
