// The presentation formats: each one's media type, and the other spellings users send for them.
import type { FormatInfo } from './format-info.js';

export const PRESENTATION_FORMATS = {
  ppt: { group: 'presentation', mime: 'application/vnd.ms-powerpoint' },
  pptx: { group: 'presentation', mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation' },
  odp: { group: 'presentation', mime: 'application/vnd.oasis.opendocument.presentation' },
} as const satisfies Record<string, FormatInfo>;

export const PRESENTATION_ALIASES = {} as const;
