// Every part of the format matrix (see ../types.ts). A new area adds its file and one line here.
import type { FormatPart } from '../types.js';
import { EBOOKS_EXTRA_PART } from './ebooks-extra.js';

export const FORMAT_PARTS: readonly FormatPart[] = [EBOOKS_EXTRA_PART];
