// Every part of the format matrix (see ../types.ts). A new area adds its file and one line here.
import type { FormatPart } from '../types.js';
import { OFFICE_EXTRA_PART } from './office-extra.js';

export const FORMAT_PARTS: readonly FormatPart[] = [OFFICE_EXTRA_PART];
