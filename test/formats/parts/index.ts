// Every part of the format matrix (see ../types.ts). A new area adds its file and one line here.
import type { FormatPart } from '../types.js';
import { MEDIA_EXTRA_PART } from './media-extra.js';

export const FORMAT_PARTS: readonly FormatPart[] = [MEDIA_EXTRA_PART];
