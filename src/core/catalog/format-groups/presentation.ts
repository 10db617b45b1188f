// The presentation formats: each one's media type, and the other spellings users send for them.
import type { FormatInfo, Signature } from './format-info.js';

const ZIP = { magic: [{ hex: '504b0304' }] } as const satisfies Signature;

export const PRESENTATION_FORMATS = {
  ppt: { group: 'presentation', mime: 'application/vnd.ms-powerpoint' },
  pptx: { group: 'presentation', mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation' },
  odp: { group: 'presentation', mime: 'application/vnd.oasis.opendocument.presentation' },
  pptm: { group: 'presentation', mime: 'application/vnd.ms-powerpoint.presentation.macroEnabled.12', signature: ZIP },
  ppsx: { group: 'presentation', mime: 'application/vnd.openxmlformats-officedocument.presentationml.slideshow', signature: ZIP },
  pps: { group: 'presentation', mime: 'application/vnd.ms-powerpoint', signature: { magic: [{ hex: 'd0cf11e0a1b11ae1' }] } },
  potx: { group: 'presentation', mime: 'application/vnd.openxmlformats-officedocument.presentationml.template', signature: ZIP },
  fodp: { group: 'presentation', mime: 'application/vnd.oasis.opendocument.presentation-flat-xml', signature: { text: true } },
} as const satisfies Record<string, FormatInfo>;

export const PRESENTATION_ALIASES = {} as const;
