// Every file format the server knows: its group (CloudConvert's `group`) and its media type.
// A pure data table, one file per group under format-groups/; engines declare which of these
// they read and write.
import { splitFilename } from '../filenames.js';
import { IMAGE_ALIASES, IMAGE_FORMATS } from './format-groups/image.js';
import { VECTOR_ALIASES, VECTOR_FORMATS } from './format-groups/vector.js';
import { VIDEO_ALIASES, VIDEO_FORMATS } from './format-groups/video.js';
import { AUDIO_ALIASES, AUDIO_FORMATS } from './format-groups/audio.js';
import { DOCUMENT_ALIASES, DOCUMENT_FORMATS } from './format-groups/document.js';
import { SPREADSHEET_ALIASES, SPREADSHEET_FORMATS } from './format-groups/spreadsheet.js';
import { PRESENTATION_ALIASES, PRESENTATION_FORMATS } from './format-groups/presentation.js';
import { ARCHIVE_ALIASES, ARCHIVE_FORMATS } from './format-groups/archive.js';
import { EBOOK_ALIASES, EBOOK_FORMATS } from './format-groups/ebook.js';
import { WEBSITE_ALIASES, WEBSITE_FORMATS } from './format-groups/website.js';
import { FONT_ALIASES, FONT_FORMATS } from './format-groups/font.js';
import { CAD_ALIASES, CAD_FORMATS } from './format-groups/cad.js';
import { SUBTITLE_ALIASES, SUBTITLE_FORMATS } from './format-groups/subtitle.js';
import { MODEL_ALIASES, MODEL_FORMATS } from './format-groups/model.js';

import type { FormatInfo, Signature } from './format-groups/format-info.js';

export { GROUPS, type Group, type Signature } from './format-groups/format-info.js';

export const FORMATS = {
  ...IMAGE_FORMATS,
  ...VECTOR_FORMATS,
  ...VIDEO_FORMATS,
  ...AUDIO_FORMATS,
  ...DOCUMENT_FORMATS,
  ...SPREADSHEET_FORMATS,
  ...PRESENTATION_FORMATS,
  ...ARCHIVE_FORMATS,
  ...EBOOK_FORMATS,
  ...WEBSITE_FORMATS,
  ...FONT_FORMATS,
  ...CAD_FORMATS,
  ...SUBTITLE_FORMATS,
  ...MODEL_FORMATS,
};

export type Format = keyof typeof FORMATS;

/** Other spellings users send, mapped to the catalog's name. */
const ALIASES: Readonly<Record<string, Format>> = {
  ...IMAGE_ALIASES,
  ...VECTOR_ALIASES,
  ...VIDEO_ALIASES,
  ...AUDIO_ALIASES,
  ...DOCUMENT_ALIASES,
  ...SPREADSHEET_ALIASES,
  ...PRESENTATION_ALIASES,
  ...ARCHIVE_ALIASES,
  ...EBOOK_ALIASES,
  ...WEBSITE_ALIASES,
  ...FONT_ALIASES,
  ...CAD_ALIASES,
  ...SUBTITLE_ALIASES,
  ...MODEL_ALIASES,
};

/** Lower-cases and resolves aliases; returns undefined for a format the server does not know. */
export function normalizeFormat(value: string): Format | undefined {
  const lower = value.trim().toLowerCase().replace(/^\./, '');
  if (Object.hasOwn(FORMATS, lower)) return lower as Format;
  return Object.hasOwn(ALIASES, lower) ? ALIASES[lower] : undefined;
}

/** Media type for a file name's extension; unknown extensions download as octet-stream. */
export function mimeForFilename(filename: string): string {
  const format = normalizeFormat(splitFilename(filename).ext);
  return format === undefined ? 'application/octet-stream' : FORMATS[format].mime;
}

/** How files of `format` start (checked before a tool reads an input), if the catalog says. */
export const signatureOf = (format: Format): Signature | undefined => (FORMATS[format] as FormatInfo).signature;
