// The presentation formats: each one's media type, and the other spellings users send for them.
import type { FormatInfo } from './format-info.js';
import { OLE2, ZIP } from './signatures.js';

export const PRESENTATION_FORMATS = {
  ppt: { group: 'presentation', mime: 'application/vnd.ms-powerpoint', signature: OLE2 },
  pptx: { group: 'presentation', mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', signature: ZIP },
  odp: { group: 'presentation', mime: 'application/vnd.oasis.opendocument.presentation', signature: ZIP },
  pptm: { group: 'presentation', mime: 'application/vnd.ms-powerpoint.presentation.macroEnabled.12', signature: ZIP },
  ppsx: { group: 'presentation', mime: 'application/vnd.openxmlformats-officedocument.presentationml.slideshow', signature: ZIP },
  pps: { group: 'presentation', mime: 'application/vnd.ms-powerpoint', signature: OLE2 },
  potx: { group: 'presentation', mime: 'application/vnd.openxmlformats-officedocument.presentationml.template', signature: ZIP },
  fodp: { group: 'presentation', mime: 'application/vnd.oasis.opendocument.presentation-flat-xml', signature: { text: true } },
  otp: { group: 'presentation', mime: 'application/vnd.oasis.opendocument.presentation-template', signature: { magic: [{ at: 30, ascii: 'mimetypeapplication/vnd.oasis.opendocument.presentation-template' }] } },
} as const satisfies Record<string, FormatInfo>;

export const PRESENTATION_ALIASES = {} as const;
