// The PDF engine (mutool): PDF pages to images and text, pdf → pdf edits, images → pdf.
import type { EngineCatalog } from '../engine-record.js';
import type { OptionSpecs } from '../options.js';

export const PDF_IMAGE_OUTPUTS = ['png', 'jpg', 'tiff', 'webp'] as const;
/** txt, and html with each page's text lines positioned as on the page (no vector drawings). */
export const PDF_TEXT_OUTPUTS = ['txt', 'html'] as const;
/** One SVG per page: vector drawings kept, text as glyph outlines, images embedded. */
export const PDF_VECTOR_OUTPUTS = ['svg'] as const;

/** Pages and ranges, 1-based, as in page_range=1-3,5. */
export const PAGE_RANGE_PATTERN = /^\d{1,5}(?:-\d{1,5})?(?:,\d{1,5}(?:-\d{1,5})?){0,49}$/;

/** Inputs mutool turns into a PDF, one page per image (webp, avif and svg via sharp; not heif, whose HEVC sharp cannot decode). */
export const IMAGES_TO_PDF_INPUTS = ['png', 'jpg', 'gif', 'tiff', 'webp', 'avif', 'svg'] as const;

const PASSWORD = /^[^\u0000-\u001f]{1,200}$/;

export const PDF_TEXT_OPTIONS = {
  page_range: { type: 'pattern', pattern: PAGE_RANGE_PATTERN, form: 'pages such as 1-3,5 (1-based)', default: null, description: 'Only these pages (null: every page).' },
  password: { type: 'pattern', pattern: PASSWORD, form: 'the password of a protected PDF (1-200 characters)', default: null, description: 'Password to open a protected input PDF.' },
} as const satisfies OptionSpecs;

/** pdf → pdf: page extraction, rotation, encryption. */
export const PDF_EDIT_OPTIONS = {
  ...PDF_TEXT_OPTIONS,
  rotate: { type: 'enum', values: ['90', '180', '270', '-90'], default: null, description: 'Rotate every page clockwise by this many degrees.' },
  encrypt_password: { type: 'pattern', pattern: PASSWORD, form: 'a password (1-200 characters)', default: null, description: 'Encrypt the output (AES-256) with this password to open it.' },
} as const satisfies OptionSpecs;

export const PDF_IMAGE_OPTIONS = {
  ...PDF_TEXT_OPTIONS,
  // No default value: the engine must know whether the client chose the density (a page too large
  // for it is then refused) or not (150, lowered for such a page).
  density: { type: 'integer', min: 10, max: 1200, default: null, description: 'Rendering density in DPI: a page of W points becomes W * density / 72 pixels wide (null: 150, lower for a page that would exceed the pixel limit).' },
  quality: { type: 'integer', min: 1, max: 100, default: null, description: 'Compression quality for jpg and webp (null: the encoder default).' },
} as const satisfies OptionSpecs;

/**
 * Paged documents mutool turns into a PDF first: XPS and OpenXPS (MuPDF's XPS reader, vector
 * pages kept) and DjVu (djvulibre's ddjvu decodes the pages, which become image pages).
 */
export const PAGED_INPUTS = ['xps', 'oxps', 'djvu'] as const;
export const PAGED_OUTPUTS = ['png', 'jpg'] as const;

/** Options of xps/oxps/djvu → pdf. */
export const PAGED_PDF_OPTIONS = { page_range: PDF_TEXT_OPTIONS.page_range } as const satisfies OptionSpecs;
/** Options of xps/oxps/djvu → png/jpg. */
export const PAGED_IMAGE_OPTIONS = { page_range: PDF_IMAGE_OPTIONS.page_range, density: PDF_IMAGE_OPTIONS.density, quality: PDF_IMAGE_OPTIONS.quality } as const satisfies OptionSpecs;

/** Every mutool option: what a converter may receive (a pair shows its subset). */
export const MUPDF_OPTIONS = { ...PDF_IMAGE_OPTIONS, ...PDF_EDIT_OPTIONS } as const satisfies OptionSpecs;

export const PDF_ENGINE = {
  convert: {
    options: MUPDF_OPTIONS,
    pairs: [
      { inputs: ['pdf'], outputs: PDF_IMAGE_OUTPUTS, options: PDF_IMAGE_OPTIONS, note: 'One image per page: <name>-<page>.<ext> when there are several.' },
      { inputs: ['pdf'], outputs: ['txt'], options: PDF_TEXT_OPTIONS },
      { inputs: ['pdf'], outputs: ['html'], options: PDF_TEXT_OPTIONS, note: 'Text lines positioned as on each page; drawings are not kept (use svg for those).' },
      { inputs: ['pdf'], outputs: PDF_VECTOR_OUTPUTS, options: PDF_TEXT_OPTIONS, note: 'One SVG per page: <name>-<page>.svg when there are several; text as outlines.' },
      { inputs: ['pdf'], outputs: ['pdf'], options: PDF_EDIT_OPTIONS, sameFormat: true, note: 'Page extraction (page_range), rotation and encryption of a PDF.' },
      { inputs: IMAGES_TO_PDF_INPUTS, outputs: ['pdf'], options: {}, note: 'One page per image (per page of a multi-page TIFF).' },
      { inputs: PAGED_INPUTS, outputs: ['pdf'], options: PAGED_PDF_OPTIONS, note: 'XPS pages stay vector; DjVu pages become images.' },
      { inputs: PAGED_INPUTS, outputs: PAGED_OUTPUTS, options: PAGED_IMAGE_OPTIONS, note: 'One image per page: <name>-<page>.<ext> when there are several.' },
    ],
  },
  merge: { inputs: ['pdf'] },
} as const satisfies EngineCatalog;
