// The model formats: each one's media type, and the other spellings users send for them.
import type { FormatInfo } from './format-info.js';

export const MODEL_FORMATS = {} as const satisfies Record<string, FormatInfo>;

export const MODEL_ALIASES = {} as const;
