// The website engine (Chromium): web pages and HTML files captured as images or printed as PDF.
// Option names are CloudConvert v1's website options.
import type { EngineCatalog } from '../engine-record.js';
import type { OptionSpecs } from '../options.js';
import type { PairGroup } from '../pair-groups.js';
import { PAGE_RANGE_PATTERN } from './pdf.js';

export const WAIT_UNTIL = ['load', 'domcontentloaded', 'networkidle0', 'networkidle2'] as const;
export const PAGE_SIZES = ['A0', 'A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'Letter', 'Legal', 'Tabloid', 'Ledger'] as const;
export const PAGE_ORIENTATIONS = ['portrait', 'landscape'] as const;

/**
 * A plain CSS selector: no control characters or braces, and none of puppeteer's own selector
 * syntaxes (`::-p-text(...)`, `xpath/...`), so it is only ever given to querySelector.
 */
export const CSS_SELECTOR_PATTERN = /^(?![A-Za-z]+\/)(?!.*::-p-)[^\u0000-\u001f\u007f{};\\]{1,200}$/;

const margin = (side: string) =>
  ({ type: 'number', min: 0, max: 100, default: 10, description: `${side} margin of each PDF page, in millimetres.` }) as const;

/** What every capture takes: how the page loads and when it counts as ready. */
const LOADING = {
  zoom: { type: 'number', min: 0.1, max: 2, default: 1, description: 'Zoom factor of the page content (images keep their pixel size; PDFs scale their content).' },
  javascript: { type: 'boolean', default: true, description: 'Run the page\'s scripts (false: the page as served, no script runs).' },
  wait_until: { type: 'enum', values: WAIT_UNTIL, default: 'load', description: 'When the page counts as loaded: load, domcontentloaded, networkidle0 (no request for 500 ms) or networkidle2 (at most 2).' },
  wait_time: { type: 'integer', min: 0, max: 30_000, default: 0, description: 'Extra milliseconds to wait after loading (animations, late scripts); at most 30000.' },
  wait_for_element: { type: 'pattern', pattern: CSS_SELECTOR_PATTERN, form: 'a CSS selector such as #content or .chart svg (at most 200 characters)', default: null, description: 'Wait until an element matching this CSS selector exists before capturing.' },
} as const satisfies OptionSpecs;

const SCREEN = {
  screen_width: { type: 'integer', min: 100, max: 4096, default: 1024, description: 'Width of the browser window and of the image, in pixels.' },
  screen_height: { type: 'integer', min: 100, max: 4096, default: 768, description: 'Height of the browser window, in pixels (the image height unless fullpage is true).' },
  fullpage: { type: 'boolean', default: false, description: 'Capture the whole page instead of the window (cut at the server\'s maximum height).' },
  print_media_type: { type: 'boolean', default: false, description: 'Lay the page out with its print style sheet (CSS @media print).' },
} as const satisfies OptionSpecs;

const IMAGE_QUALITY = {
  quality: { type: 'integer', min: 1, max: 100, default: 85, description: 'Compression quality of jpg and webp images.' },
} as const satisfies OptionSpecs;

const PRINT = {
  page_size: { type: 'enum', values: PAGE_SIZES, default: 'A4', description: 'Paper size of the PDF pages.' },
  page_orientation: { type: 'enum', values: PAGE_ORIENTATIONS, default: 'portrait', description: 'portrait or landscape pages.' },
  margin_top: margin('Top'),
  margin_bottom: margin('Bottom'),
  margin_left: margin('Left'),
  margin_right: margin('Right'),
  print_media_type: { type: 'boolean', default: true, description: 'Use the page\'s print style sheet (false: print it as it looks on screen).' },
  print_background: { type: 'boolean', default: true, description: 'Print background colours and images.' },
  page_range: { type: 'pattern', pattern: PAGE_RANGE_PATTERN, form: 'pages such as 1-3,5 (1-based)', default: null, description: 'Only these pages go into the PDF.' },
} as const satisfies OptionSpecs;

const IMAGE_OPTIONS = { ...SCREEN, ...LOADING } as const satisfies OptionSpecs;
const COMPRESSED_IMAGE_OPTIONS = { ...SCREEN, ...IMAGE_QUALITY, ...LOADING } as const satisfies OptionSpecs;
const PDF_OPTIONS = { ...PRINT, ...LOADING } as const satisfies OptionSpecs;

/** Every Chromium option: what the converter receives (a pair shows its subset). */
export const CHROMIUM_OPTIONS = { ...SCREEN, ...IMAGE_QUALITY, ...PRINT, ...LOADING } as const satisfies OptionSpecs;

const NETWORK_NOTE = 'Every request of the page passes the server\'s private-address guard.';

export const CHROMIUM_PAIRS: readonly PairGroup[] = [
  { inputs: ['website', 'html'], outputs: ['png'], options: IMAGE_OPTIONS, note: `A screenshot taken by Chromium. ${NETWORK_NOTE}` },
  { inputs: ['website', 'html'], outputs: ['jpg', 'webp'], options: COMPRESSED_IMAGE_OPTIONS, note: `A screenshot taken by Chromium. ${NETWORK_NOTE}` },
  { inputs: ['website'], outputs: ['pdf'], options: PDF_OPTIONS, note: `The page printed to PDF by Chromium. ${NETWORK_NOTE}` },
  // Shadowed for now: LibreOffice comes first in the engine order (engines.ts) and keeps html → pdf (its
  // page_range/pdf_a options have clients); moving chromium before it switches the pair.
  { inputs: ['html'], outputs: ['pdf'], options: PDF_OPTIONS, note: `Rendered and printed to PDF by Chromium; local files it links to are not loaded. ${NETWORK_NOTE}` },
];

export const WEBSITE_ENGINE = { convert: { options: CHROMIUM_OPTIONS, pairs: CHROMIUM_PAIRS } } as const satisfies EngineCatalog;
