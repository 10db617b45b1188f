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
} as const satisfies Record<string, FormatInfo>;

export const SPREADSHEET_ALIASES = {} as const;
