// Every part of the format matrix (see ../types.ts). A new area adds its file and one line here.
import type { FormatPart } from '../types.js';
import { CAD_PART } from './cad.js';
import { MODELS_PART } from './models.js';

export const FORMAT_PARTS: readonly FormatPart[] = [
  CAD_PART,
  MODELS_PART,
];
