// Every part of the format matrix (see ../types.ts). A new area adds its file and one line here.
import type { FormatPart } from '../types.js';
import { ARCHIVES_EXTRA_PART } from './archives-extra.js';

export const FORMAT_PARTS: readonly FormatPart[] = [ARCHIVES_EXTRA_PART];
