// Every part of the format matrix (see ../types.ts). A new area adds its file and one line here.
import type { FormatPart } from '../types.js';
import { FONTS_PART } from './fonts.js';

export const FORMAT_PARTS: readonly FormatPart[] = [FONTS_PART];
