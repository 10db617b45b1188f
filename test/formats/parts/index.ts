// Every part of the format matrix (see ../types.ts). A new area adds its file and one line here.
import type { FormatPart } from '../types.js';
import { ARCHIVES_EXTRA_PART } from './archives-extra.js';
import { ARCHIVES_MORE_PART } from './archives-more.js';
import { ARCHIVES_PART } from './archives.js';
import { CAD_PART } from './cad.js';
import { DOCUMENTS_PART } from './documents.js';
import { EBOOKS_EXTRA_PART } from './ebooks-extra.js';
import { EBOOKS_PART } from './ebooks.js';
import { FONTS_PART } from './fonts.js';
import { IMAGES_EXTRA_PART } from './images-extra.js';
import { IMAGES_MORE_PART } from './images-more.js';
import { IMAGES_PART } from './images.js';
import { MARKUP_PART } from './markup.js';
import { MEDIA_EXTRA_PART } from './media-extra.js';
import { MEDIA_MORE_PART } from './media-more.js';
import { MEDIA_PART } from './media.js';
import { MODELS_PART } from './models.js';
import { OFFICE_EXTRA_PART } from './office-extra.js';
import { OFFICE_MORE_PART } from './office-more.js';
import { WEB_PART } from './web.js';

export const FORMAT_PARTS: readonly FormatPart[] = [
  ARCHIVES_EXTRA_PART,
  ARCHIVES_MORE_PART,
  ARCHIVES_PART,
  CAD_PART,
  DOCUMENTS_PART,
  EBOOKS_EXTRA_PART,
  EBOOKS_PART,
  FONTS_PART,
  IMAGES_EXTRA_PART,
  IMAGES_MORE_PART,
  IMAGES_PART,
  MARKUP_PART,
  MEDIA_EXTRA_PART,
  MEDIA_MORE_PART,
  MEDIA_PART,
  MODELS_PART,
  OFFICE_EXTRA_PART,
  OFFICE_MORE_PART,
  WEB_PART,
];
