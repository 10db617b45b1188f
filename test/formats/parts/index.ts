// Every part of the format matrix (see ../types.ts). A new area adds its file and one line here.
import type { FormatPart } from '../types.js';
import { MARKUP_PART } from './markup.js';

export const FORMAT_PARTS: readonly FormatPart[] = [
  MARKUP_PART,
];
