// Every file format the server knows: its group (CloudConvert's `group`) and its media type.
// A pure data table; engines declare which of these they read and write.
import { splitFilename } from '../filenames.js';

export const GROUPS = ['image', 'vector', 'video', 'audio', 'document', 'spreadsheet', 'presentation', 'archive', 'ebook', 'website'] as const;
export type Group = (typeof GROUPS)[number];

interface FormatInfo {
  readonly group: Group;
  readonly mime: string;
}

export const FORMATS = {
  png: { group: 'image', mime: 'image/png' },
  jpg: { group: 'image', mime: 'image/jpeg' },
  webp: { group: 'image', mime: 'image/webp' },
  gif: { group: 'image', mime: 'image/gif' },
  tiff: { group: 'image', mime: 'image/tiff' },
  avif: { group: 'image', mime: 'image/avif' },
  heif: { group: 'image', mime: 'image/heif' },
  svg: { group: 'vector', mime: 'image/svg+xml' },
  eps: { group: 'vector', mime: 'application/postscript' },
  ps: { group: 'vector', mime: 'application/postscript' },
  emf: { group: 'vector', mime: 'image/emf' },
  wmf: { group: 'vector', mime: 'image/wmf' },
  zip: { group: 'archive', mime: 'application/zip' },
  tar: { group: 'archive', mime: 'application/x-tar' },
  'tar.gz': { group: 'archive', mime: 'application/gzip' },
  'tar.bz2': { group: 'archive', mime: 'application/x-bzip2' },
  'tar.xz': { group: 'archive', mime: 'application/x-xz' },
  '7z': { group: 'archive', mime: 'application/x-7z-compressed' },
  rar: { group: 'archive', mime: 'application/vnd.rar' },
  epub: { group: 'ebook', mime: 'application/epub+zip' },
  mobi: { group: 'ebook', mime: 'application/x-mobipocket-ebook' },
  azw3: { group: 'ebook', mime: 'application/vnd.amazon.ebook' },
  fb2: { group: 'ebook', mime: 'application/x-fictionbook+xml' },
  /** A web page to capture: the "file" is its URL (CloudConvert's `x.website`). */
  website: { group: 'website', mime: 'text/uri-list' },
  mp4: { group: 'video', mime: 'video/mp4' },
  webm: { group: 'video', mime: 'video/webm' },
  mkv: { group: 'video', mime: 'video/x-matroska' },
  mov: { group: 'video', mime: 'video/quicktime' },
  avi: { group: 'video', mime: 'video/x-msvideo' },
  flv: { group: 'video', mime: 'video/x-flv' },
  wmv: { group: 'video', mime: 'video/x-ms-wmv' },
  ogv: { group: 'video', mime: 'video/ogg' },
  m4v: { group: 'video', mime: 'video/x-m4v' },
  mpeg: { group: 'video', mime: 'video/mpeg' },
  '3gp': { group: 'video', mime: 'video/3gpp' },
  ts: { group: 'video', mime: 'video/mp2t' },
  mp3: { group: 'audio', mime: 'audio/mpeg' },
  aac: { group: 'audio', mime: 'audio/aac' },
  m4a: { group: 'audio', mime: 'audio/mp4' },
  ogg: { group: 'audio', mime: 'audio/ogg' },
  oga: { group: 'audio', mime: 'audio/ogg' },
  opus: { group: 'audio', mime: 'audio/opus' },
  wav: { group: 'audio', mime: 'audio/wav' },
  flac: { group: 'audio', mime: 'audio/flac' },
  wma: { group: 'audio', mime: 'audio/x-ms-wma' },
  aiff: { group: 'audio', mime: 'audio/aiff' },
  ac3: { group: 'audio', mime: 'audio/ac3' },
  amr: { group: 'audio', mime: 'audio/amr' },
  pdf: { group: 'document', mime: 'application/pdf' },
  doc: { group: 'document', mime: 'application/msword' },
  docx: { group: 'document', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  odt: { group: 'document', mime: 'application/vnd.oasis.opendocument.text' },
  rtf: { group: 'document', mime: 'application/rtf' },
  txt: { group: 'document', mime: 'text/plain' },
  html: { group: 'document', mime: 'text/html' },
  xls: { group: 'spreadsheet', mime: 'application/vnd.ms-excel' },
  xlsx: { group: 'spreadsheet', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  ods: { group: 'spreadsheet', mime: 'application/vnd.oasis.opendocument.spreadsheet' },
  csv: { group: 'spreadsheet', mime: 'text/csv' },
  ppt: { group: 'presentation', mime: 'application/vnd.ms-powerpoint' },
  pptx: { group: 'presentation', mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation' },
  odp: { group: 'presentation', mime: 'application/vnd.oasis.opendocument.presentation' },
} as const satisfies Record<string, FormatInfo>;

export type Format = keyof typeof FORMATS;

/** Other spellings users send, mapped to the catalog's name. */
const ALIASES: Readonly<Record<string, Format>> = { jpeg: 'jpg', jpe: 'jpg', tif: 'tiff', heic: 'heif', mpg: 'mpeg', aif: 'aiff', mka: 'mkv', qt: 'mov', htm: 'html', text: 'txt', tgz: 'tar.gz', tbz2: 'tar.bz2', tbz: 'tar.bz2', txz: 'tar.xz', azw: 'azw3' };

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
