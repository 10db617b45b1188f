// The CloudConvert-Signature of a webhook delivery (wire spec 11.2): lowercase hex of
// HMAC-SHA256 keyed with the signing secret (UTF-8) over the raw body bytes, no prefix, no
// timestamp. Every SDK recomputes it over the bytes it received, so it is computed over exactly
// the bytes that are sent.
import { createHmac, randomBytes } from 'node:crypto';

export const SIGNATURE_HEADER = 'CloudConvert-Signature';

export function webhookSignature(secret: string, body: string | Buffer): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest('hex');
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A new signing secret: 32 letters and digits, like CloudConvert's, so it pastes anywhere
 * (environment variables, YAML) unquoted. About 190 bits.
 */
export function newSigningSecret(length = 32): string {
  let secret = '';
  while (secret.length < length) {
    // Bytes >= 248 are dropped so every character is equally likely (248 = 4 * 62).
    for (const byte of randomBytes(length * 2)) if (byte < 248 && secret.length < length) secret += ALPHABET[byte % ALPHABET.length];
  }
  return secret;
}
