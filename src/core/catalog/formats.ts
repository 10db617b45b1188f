// Every file format the server knows: its group (CloudConvert's `group`) and its media type.
// A pure data table; engines declare which of these they read and write.

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
  zip: { group: 'archive', mime: 'application/zip' },
} as const satisfies Record<string, FormatInfo>;

export type Format = keyof typeof FORMATS;

/** Other spellings users send, mapped to the catalog's name. */
const ALIASES: Readonly<Record<string, Format>> = { jpeg: 'jpg', jpe: 'jpg', tif: 'tiff', heic: 'heif' };

/** Lower-cases and resolves aliases; returns undefined for a format the server does not know. */
export function normalizeFormat(value: string): Format | undefined {
  const lower = value.trim().toLowerCase().replace(/^\./, '');
  if (Object.hasOwn(FORMATS, lower)) return lower as Format;
  return Object.hasOwn(ALIASES, lower) ? ALIASES[lower] : undefined;
}

/** Media type for a file name's extension; unknown extensions download as octet-stream. */
export function mimeForFilename(filename: string): string {
  const ext = filename.includes('.') ? filename.slice(filename.lastIndexOf('.') + 1) : '';
  const format = normalizeFormat(ext);
  return format === undefined ? 'application/octet-stream' : FORMATS[format].mime;
}
