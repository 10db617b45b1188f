// The markup engine (pandoc): markup formats (Markdown, reStructuredText, Org, Textile, MediaWiki,
// DocBook, LaTeX, Jupyter notebooks) among each other and to/from html, docx, odt and epub; PDF
// through HTML and WeasyPrint (no TeX). After LibreOffice and calibre in the engine order: the
// document ↔ document pairs those serve stay theirs, and pandoc lists only the ones they do not.
import type { EngineCatalog } from '../engine-record.js';
import type { OptionSpecs } from '../options.js';
import type { PairGroup } from '../pair-groups.js';

/** Markup formats pandoc reads. */
export const MARKUP_INPUTS = ['md', 'rst', 'org', 'textile', 'mediawiki', 'docbook', 'tex', 'ipynb'] as const;
/** Markup formats pandoc writes: the inputs plus AsciiDoc (pandoc 2.17 writes it but cannot read it). */
export const MARKUP_OUTPUTS = [...MARKUP_INPUTS, 'asciidoc'] as const;
/**
 * Documents pandoc reads into markup. Not odt: in the full format matrix pandoc found no heading
 * in an odt LibreOffice wrote (from HTML), so odt → markup could not be proven by content.
 */
export const PANDOC_DOCUMENT_INPUTS = ['html', 'docx', 'epub'] as const;
/** Packaged documents (ZIP files) pandoc writes from markup. */
export const PANDOC_PACKAGES = ['docx', 'odt', 'epub'] as const;

export const HIGHLIGHT_STYLES = ['pygments', 'tango', 'espresso', 'zenburn', 'kate', 'monochrome', 'breezedark', 'haddock', 'none'] as const;
export const WRAP_MODES = ['auto', 'none', 'preserve'] as const;
export const PANDOC_PAGE_SIZES = ['A4', 'A5', 'A3', 'Letter', 'Legal'] as const;

const toc = { type: 'boolean', default: false, description: 'Add a table of contents built from the headings.' } as const;
const numberSections = { type: 'boolean', default: false, description: 'Number the headings (1, 1.1, 1.2, ...).' } as const;
const highlightStyle = {
  type: 'enum',
  values: HIGHLIGHT_STYLES,
  default: 'pygments',
  description: 'Colours of code blocks: pygments, tango, espresso, zenburn, kate, monochrome, breezedark or haddock (pandoc\'s styles), or none for plain code.',
} as const;

/** Markup and plain-text outputs. */
export const PANDOC_TEXT_OPTIONS = {
  standalone: {
    type: 'boolean',
    default: true,
    description: 'Write a complete document (LaTeX with its preamble, DocBook with its root element, Markdown, reStructuredText, Org and AsciiDoc with their title block); false: a fragment to paste into another document. Textile, MediaWiki, notebooks and txt are always written whole, without a title block.',
  },
  toc,
  wrap: { type: 'enum', values: WRAP_MODES, default: 'auto', description: 'Line wrapping of the text: auto (at 72 columns), none (one line per paragraph) or preserve (the input\'s line breaks).' },
} as const satisfies OptionSpecs;

export const PANDOC_HTML_OPTIONS = {
  standalone: { type: 'boolean', default: true, description: 'Write a complete page (head, title and a basic style); false: an HTML fragment to paste into another page.' },
  toc,
  number_sections: numberSections,
  highlight_style: highlightStyle,
} as const satisfies OptionSpecs;

/** docx, odt, epub and rtf: always complete documents. */
export const PANDOC_DOCUMENT_OPTIONS = { toc, highlight_style: highlightStyle } as const satisfies OptionSpecs;

export const PANDOC_PDF_OPTIONS = {
  toc,
  number_sections: numberSections,
  highlight_style: highlightStyle,
  page_size: { type: 'enum', values: PANDOC_PAGE_SIZES, default: 'A4', description: 'Paper size of the PDF pages: A4, A5, A3, Letter or Legal.' },
} as const satisfies OptionSpecs;

/** Every pandoc option: what the converter receives (a pair shows its subset). */
export const PANDOC_OPTIONS = { ...PANDOC_TEXT_OPTIONS, ...PANDOC_HTML_OPTIONS, ...PANDOC_DOCUMENT_OPTIONS, ...PANDOC_PDF_OPTIONS } as const satisfies OptionSpecs;

const SAFETY_NOTE = 'Include directives (\\input, .. include::, #+INCLUDE) and links to other files or the network are not followed.';
const NO_IMAGES_NOTE = 'Text only: images of the input are not kept.';

export const PANDOC_PAIRS: readonly PairGroup[] = [
  { inputs: MARKUP_INPUTS, outputs: [...MARKUP_OUTPUTS, 'txt'], options: PANDOC_TEXT_OPTIONS, note: `Converted by pandoc; txt is plain text without markup. ${SAFETY_NOTE}` },
  { inputs: MARKUP_INPUTS, outputs: ['html'], options: PANDOC_HTML_OPTIONS, note: `Converted by pandoc. ${SAFETY_NOTE}` },
  { inputs: MARKUP_INPUTS, outputs: [...PANDOC_PACKAGES, 'rtf'], options: PANDOC_DOCUMENT_OPTIONS, note: `Converted by pandoc; only images embedded in the input (a notebook's attachments) are kept. ${SAFETY_NOTE}` },
  { inputs: MARKUP_INPUTS, outputs: ['pdf'], options: PANDOC_PDF_OPTIONS, note: `Converted to HTML by pandoc and laid out by WeasyPrint (no TeX: LaTeX math stays as text). ${SAFETY_NOTE}` },
  { inputs: PANDOC_DOCUMENT_INPUTS, outputs: MARKUP_OUTPUTS, options: PANDOC_TEXT_OPTIONS, note: `Converted by pandoc. ${NO_IMAGES_NOTE}` },
  // The document pairs LibreOffice (docx/odt/html/rtf/txt among each other) and calibre (ebooks) do not serve.
  { inputs: ['epub'], outputs: ['html'], options: PANDOC_HTML_OPTIONS, note: `The book as one page, by pandoc. ${NO_IMAGES_NOTE}` },
  { inputs: ['epub'], outputs: ['odt', 'rtf'], options: PANDOC_DOCUMENT_OPTIONS, note: 'Converted by pandoc, with the book\'s images.' },
  { inputs: ['odt'], outputs: ['epub'], options: PANDOC_DOCUMENT_OPTIONS, note: 'Converted by pandoc, with the document\'s images.' },
];

export const PANDOC_ENGINE = { convert: { options: PANDOC_OPTIONS, pairs: PANDOC_PAIRS } } as const satisfies EngineCatalog;
