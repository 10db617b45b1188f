// The spreadsheet formats: each one's media type, and the other spellings users send for them.
import type { FormatInfo } from './format-info.js';

export const SPREADSHEET_FORMATS = {
  xls: { group: 'spreadsheet', mime: 'application/vnd.ms-excel' },
  xlsx: { group: 'spreadsheet', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  ods: { group: 'spreadsheet', mime: 'application/vnd.oasis.opendocument.spreadsheet' },
  csv: { group: 'spreadsheet', mime: 'text/csv' },
  xlsm: { group: 'spreadsheet', mime: 'application/vnd.ms-excel.sheet.macroEnabled.12', signature: { magic: [{ hex: '504b0304' }] } },
  fods: { group: 'spreadsheet', mime: 'application/vnd.oasis.opendocument.spreadsheet-flat-xml', signature: { text: true } },
} as const satisfies Record<string, FormatInfo>;

export const SPREADSHEET_ALIASES = {} as const;
