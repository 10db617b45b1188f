// Every part of the format matrix (see ../types.ts). A new area adds its file and one line here.
import type { FormatPart } from '../types.js';
import { IMAGES_EXTRA_PART } from './images-extra.js';

export const FORMAT_PARTS: readonly FormatPart[] = [IMAGES_EXTRA_PART];
