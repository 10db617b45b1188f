// The cad formats: each one's media type, and the other spellings users send for them.
// DWG is not listed: no Debian package reads it (LibreCAD's libdxfrw reads it only in the GUI,
// and libredwg is not packaged).
import type { FormatInfo } from './format-info.js';

export const CAD_FORMATS = {
  // ASCII DXF only (what the reader parses): text, with no common first line (a 999 comment or "0 SECTION").
  dxf: { group: 'cad', mime: 'image/vnd.dxf', signature: { text: true } },
} as const satisfies Record<string, FormatInfo>;

export const CAD_ALIASES = {} as const;
