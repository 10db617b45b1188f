// What the catalog knows of a format: its group (CloudConvert's `group`), its media type, and how
// its files start, so an upload is checked before a tool reads it (tools pick their reader from
// the first bytes: a file must be the format the client declared, or nothing).
export const GROUPS = ['image', 'vector', 'video', 'audio', 'document', 'spreadsheet', 'presentation', 'archive', 'ebook', 'website', 'font', 'cad', 'subtitle', 'model'] as const;
export type Group = (typeof GROUPS)[number];

/** Bytes a file has at a place: `ascii` (latin1 text) or `hex` (e.g. 'd0cf11e0'), at byte `at` (0 when left out). */
export interface MagicBytes {
  readonly at?: number;
  readonly ascii?: string;
  readonly hex?: string;
}

/**
 * How files of a format start, checked in the first 1024 bytes:
 * - `magic`: the file has one of these byte strings at its place;
 * - `text`: the file is text (no NUL byte in its start), for formats without a signature (csv, srt, obj);
 * - `any`: nothing to check (formats whose files have no common start, e.g. raw MPEG streams).
 */
export type Signature = { readonly magic: readonly MagicBytes[] } | { readonly text: true } | { readonly any: true };

export interface FormatInfo {
  readonly group: Group;
  readonly mime: string;
  /** Checked before a tool sees an input of this format; formats without one are checked by their engine (see file-signatures.ts). */
  readonly signature?: Signature;
}
