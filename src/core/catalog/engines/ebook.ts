// The ebook engine (calibre's ebook-convert): ebooks among each other and to/from documents.
// Document ↔ document pairs (docx → pdf, txt → pdf...) stay with LibreOffice and mutool: calibre
// is last in the engine order (engines.ts) and does not list them.
import type { EngineCatalog } from '../engine-record.js';
import type { OptionSpecs } from '../options.js';
import type { PairGroup } from '../pair-groups.js';

export const EBOOKS = ['epub', 'mobi', 'azw3', 'fb2'] as const;
/**
 * Older and niche formats calibre reads into, and writes from, the main ebooks and documents
 * (not among each other: lit → lrf is two steps through epub). PML is read only (calibre writes
 * it inside a pmlz); SNB is written only (calibre 6's SNB reader compares the archive's file
 * names, bytes, with strings and finds no content).
 */
export const MORE_EBOOKS_READ = ['lit', 'pdb', 'lrf', 'rb', 'tcr', 'htmlz', 'txtz', 'pml'] as const;
export const MORE_EBOOKS_WRITTEN = ['lit', 'pdb', 'lrf', 'rb', 'tcr', 'htmlz', 'txtz', 'snb'] as const;
/** Comic book archives: pages as images in a zip, rar or 7z archive. */
export const COMICS = ['cbz', 'cbr', 'cb7'] as const;
/** What a comic becomes: the ebooks and documents that keep whole-page images. */
export const COMIC_OUTPUTS = ['epub', 'mobi', 'azw3', 'pdf', 'docx'] as const;
/** Comic archives written (as zip and 7z; no free RAR writer exists). */
export const COMIC_ARCHIVES_WRITTEN = ['cbz', 'cb7'] as const;
/** Documents calibre reads into an ebook. */
export const EBOOK_SOURCE_DOCUMENTS = ['txt', 'html', 'docx'] as const;

/** A metadata text: printable, one line, bounded (it becomes one argv value of its own). */
const METADATA_TEXT = /^[^\u0000-\u001f\u007f-\u009f]{1,300}$/;
const margin = (side: string) =>
  ({
    type: 'number',
    min: 0,
    max: 500,
    default: null,
    description: `${side} margin in points (null: calibre's default, 5 pt in ebooks, 72 pt on pdf and docx pages).`,
  }) as const;

/** Every calibre option: what the converter receives (a pair shows its subset). */
export const CALIBRE_OPTIONS = {
  base_font_size: { type: 'number', min: 1, max: 100, default: null, description: 'Base font size in points; every font is rescaled from it (null: chosen by calibre for the output).' },
  margin_top: margin('Top'),
  margin_bottom: margin('Bottom'),
  margin_left: margin('Left'),
  margin_right: margin('Right'),
  title: { type: 'pattern', pattern: METADATA_TEXT, form: 'a title of 1-300 printable characters', default: null, description: 'The book title written into the output metadata (null: keep the input\'s).' },
  authors: { type: 'pattern', pattern: METADATA_TEXT, form: 'author names of 1-300 printable characters, several separated by &', default: null, description: 'The author(s) written into the output metadata, several separated by & (null: keep the input\'s).' },
} as const satisfies OptionSpecs;

const METADATA_OPTIONS = { title: CALIBRE_OPTIONS.title, authors: CALIBRE_OPTIONS.authors } as const satisfies OptionSpecs;

const READ_ALONE = 'htmlz and txtz are read from their own archive only (links outside it are not followed); a txtz is read as plain text (no Markdown); pml is read without its images.';
const COMIC_NOTE =
  'The archive\'s images (jpg, png, gif, webp) become the pages, in the order of their names; other entries are ignored. Archives with unsafe entries (absolute paths, "..", links) or that expand past the archive limits are refused.';

export const CALIBRE_PAIRS: readonly PairGroup[] = [
  { inputs: EBOOKS, outputs: [...EBOOKS, ...MORE_EBOOKS_WRITTEN], options: CALIBRE_OPTIONS },
  { inputs: MORE_EBOOKS_READ, outputs: EBOOKS, options: CALIBRE_OPTIONS, note: READ_ALONE },
  {
    inputs: EBOOK_SOURCE_DOCUMENTS,
    outputs: [...EBOOKS, ...MORE_EBOOKS_WRITTEN],
    options: CALIBRE_OPTIONS,
    note: 'A txt is read as plain text (paragraphs at blank lines, no Markdown); an html file is read alone: links to other local files and remote resources are not followed.',
  },
  { inputs: ['pdf'], outputs: [...EBOOKS, ...MORE_EBOOKS_WRITTEN], options: CALIBRE_OPTIONS, note: 'The PDF\'s text is reflowed: columns, tables and page layout are not kept.' },
  { inputs: [...EBOOKS, ...MORE_EBOOKS_READ], outputs: ['pdf', 'docx'], options: CALIBRE_OPTIONS, note: 'Margins are page margins here.' },
  { inputs: [...EBOOKS, ...MORE_EBOOKS_READ], outputs: ['txt'], options: {}, note: 'Plain text: formatting, images and metadata are dropped.' },
  { inputs: COMICS, outputs: COMIC_OUTPUTS, options: METADATA_OPTIONS, note: `${COMIC_NOTE} Each image is one page, as it is (not rescaled).` },
  { inputs: COMICS, outputs: COMIC_ARCHIVES_WRITTEN, options: {}, note: `${COMIC_NOTE} The pages are packed again, unchanged, named 0001.jpg, 0002.png... in their order.` },
];

export const EBOOK_ENGINE = { convert: { options: CALIBRE_OPTIONS, pairs: CALIBRE_PAIRS } } as const satisfies EngineCatalog;
