// The website formats: each one's media type, and the other spellings users send for them.
import type { FormatInfo } from './format-info.js';

export const WEBSITE_FORMATS = {
  /** A web page to capture: the "file" is its URL (CloudConvert's `x.website`). */
  website: { group: 'website', mime: 'text/uri-list' },
} as const satisfies Record<string, FormatInfo>;

export const WEBSITE_ALIASES = {} as const;
