// SECRETS_KEY: the key(s) that seal the credentials kept in Redis (src/core/secret-cipher.ts).
// Declared in settings.ts; the generated key file of a single-machine start is src/runtime's.
import { fail } from './error.js';

const KEY_BYTES = 32;
/** More keys than a rotation needs is a slip (a pasted file, a wrong variable). */
const MAX_KEYS = 8;
const HEX = /^[0-9a-fA-F]{64}$/;
/** Standard or URL-safe base64 of 32 bytes: 43 characters, with or without the one `=`. */
const BASE64 = /^[A-Za-z0-9+/_-]{43}=?$/;

/** The 32 bytes of one key written in hex or base64, or undefined when it is neither. */
export function decodeSecretsKey(text: string): Buffer | undefined {
  if (HEX.test(text)) return Buffer.from(text, 'hex');
  if (!BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === KEY_BYTES ? bytes : undefined;
}

export const SECRETS_KEY_RULE = '32 bytes in hex (64 digits) or base64, e.g. `openssl rand -base64 32`';

/**
 * Comma-separated keys; the first seals new values, all open old ones (rotation). Kept as
 * base64 text, since the Config is frozen and a Buffer cannot be. Errors never show a key.
 */
export function parseSecretsKeys(raw: string | undefined, name: string): readonly string[] | undefined {
  const items = (raw ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
  if (items.length === 0) return undefined;
  if (items.length > MAX_KEYS) fail(name, `holds ${items.length} keys; at most ${MAX_KEYS} (the first seals, the others only open older values)`);
  return items.map((item, index) => {
    const bytes = decodeSecretsKey(item);
    if (bytes === undefined) return fail(name, `key ${index + 1} of ${items.length} is not ${SECRETS_KEY_RULE} (a key of ${item.length} characters was given)`);
    return bytes.toString('base64');
  });
}
