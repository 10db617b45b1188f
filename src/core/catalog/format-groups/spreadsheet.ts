// The spreadsheet formats: each one's media type, and the other spellings users send for them.
import type { FormatInfo } from './format-info.js';
import { OLE2, ZIP } from './signatures.js';

export const SPREADSHEET_FORMATS = {
  xls: { group: 'spreadsheet', mime: 'application/vnd.ms-excel', signature: OLE2 },
  xlsx: { group: 'spreadsheet', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', signature: ZIP },
  ods: { group: 'spreadsheet', mime: 'application/vnd.oasis.opendocument.spreadsheet', signature: ZIP },
  csv: { group: 'spreadsheet', mime: 'text/csv', signature: { text: true } },
  xlsm: { group: 'spreadsheet', mime: 'application/vnd.ms-excel.sheet.macroEnabled.12', signature: ZIP },
  fods: { group: 'spreadsheet', mime: 'application/vnd.oasis.opendocument.spreadsheet-flat-xml', signature: { text: true } },
  // Templates and the old interchange formats DIF (a TABLE header record first) and SYLK (an ID
  // record first), through LibreOffice.
  ots: { group: 'spreadsheet', mime: 'application/vnd.oasis.opendocument.spreadsheet-template', signature: { magic: [{ at: 30, ascii: 'mimetypeapplication/vnd.oasis.opendocument.spreadsheet-template' }] } },
  xltx: { group: 'spreadsheet', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.template', signature: ZIP },
  xlt: { group: 'spreadsheet', mime: 'application/vnd.ms-excel', signature: OLE2 },
  dif: { group: 'spreadsheet', mime: 'text/x-dif', signature: { magic: [{ ascii: 'TABLE' }] } },
  slk: { group: 'spreadsheet', mime: 'text/spreadsheet', signature: { magic: [{ ascii: 'ID;' }] } },
} as const satisfies Record<string, FormatInfo>;

export const SPREADSHEET_ALIASES = {
  sylk: 'slk',
} as const;
